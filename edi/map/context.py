"""What mapping one message gives (:class:`MappingResult`) and what it needs while it runs (:class:`Context`).

The context holds the per-message facts the event builders read (sender, recipient, raw message,
dates of last resort, known places) and the issue sink, capped per code so that a bayplan of
thousands of alike defects reports a readable few, and saying each (code, text, place) once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from edi.issues import Issue, Position
from edi.mappings.values import iso, lies_ahead

MAX_ISSUES_PER_CODE = 25


@dataclass
class MappingResult:
    """What one message (or interchange) meant: canonical events, application issues, an acknowledgement."""

    events: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    acknowledgement: dict | None = None
    acknowledgements: list[dict] = field(default_factory=list)
    # a replacement or cancellation of an earlier report: {"document": {type, number, function}, "created"}
    withdraws: dict | None = None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def as_dict(self) -> dict:
        """JSON-ready: ``{"events", "issues", "acknowledgements"}`` (issues with code, message, position)."""
        acknowledgements = list(self.acknowledgements)
        if self.acknowledgement is not None:
            acknowledgements.insert(0, self.acknowledgement)
        return {
            "events": self.events,
            "issues": [issue.as_dict() for issue in self.issues],
            "acknowledgements": acknowledgements,
        }

    def extend(self, other: MappingResult) -> None:
        self.events.extend(other.events)
        self.issues.extend(other.issues)
        if other.acknowledgement is not None:
            self.acknowledgements.append(other.acknowledgement)


class Context:
    """Per-message facts the event builder needs, and the issue sink (capped per code)."""

    def __init__(self, message: Any, table: Any, **facts: Any) -> None:
        self.message = message
        self.table = table  # the table's options (edi.mappings.options)
        self.reference = message.reference
        self.sender = facts.get("sender")
        self.recipient = facts.get("recipient")
        self.raw_message_id = facts.get("raw_message_id")
        self.known_locations = facts.get("known_locations")
        self.created: str | None = None
        # the DTM read as the message date and how its zone was found: an event timed by that same
        # segment is that same instant (edi.mappings.events._time)
        self.created_from: tuple[Any, str] | None = None
        # the document the message is (BGM: its type, number C106 1004 and function 1225), in each event's source
        self.document: dict[str, str] | None = None
        self.parties: list[dict] | None = None  # the message's NAD parties, read once
        self.decided: list = []  # groups with a decision of their own (edi.mappings.decisions)
        self.issues: list[Issue] = []
        self._counts: dict[str, int] = {}
        self._said: set[tuple] = set()  # one fact read for several events (a vessel's TDT) is reported once
        # the event time of last resort, best first: the message date (DTM 137, set later), the
        # interchange's preparation date (UNB S004), when we received it, when we processed it
        self._message_date: tuple[str, str] | None = None
        self._prepared = facts.get("prepared")
        self._received = facts.get("received")

    @property
    def interchange_date(self) -> str | None:
        return iso(_aware(self._prepared)) if self._prepared is not None else None

    @property
    def fallback_time(self) -> tuple[str, str]:
        if self._message_date is not None:
            return self._message_date
        for moment, label in ((self._prepared, "interchange date"), (self._received, "received")):
            if moment is not None:
                return iso(_aware(moment)), label
        return iso(datetime.now(UTC)), "processing time"

    def too_late_for_actual(self, when: str) -> str | None:
        """When we got the message (else now), if an actual event at ``when`` lies beyond it (see
        :func:`edi.mappings.values.lies_ahead`): a move cannot be reported before it happens. None otherwise.
        (The message's own dates are no bound: partners' templates keep stale DTM 137s.)"""
        now = _aware(self._received) if self._received is not None else datetime.now(UTC)
        return iso(now) if lies_ahead(when, now) else None

    def report(self, code: str, text: str, segment: Any = None, *, element: int | None = None, error: bool = False):
        said = (code, text, segment.number if segment is not None else None, element, error)
        if said in self._said:
            return
        self._said.add(said)
        n = self._counts[code] = self._counts.get(code, 0) + 1
        if n > MAX_ISSUES_PER_CODE:
            if n == MAX_ISSUES_PER_CODE + 1:
                self.issues.append(Issue(code, f"Further code {code} problems not reported", Position(), "message"))
            return
        position = Position()
        if segment is not None:
            position = Position(
                segment=segment.number, tag=segment.tag, element=element, line=segment.line, column=segment.column
            )
        self.issues.append(
            Issue(
                code,
                text,
                position,
                "element" if element else "segment",
                self.reference,
                "error" if error else "warning",
            )
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
