"""What validation found: per message (:class:`MessageResult`) and per interchange (:class:`ValidationResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edi.choices import MessageStatus
from edi.issues import Issue


@dataclass
class MessageResult:
    """What validation found in one message; the segments themselves are not kept."""

    type: str
    version: str
    reference: str
    directory: str | None
    segment: int  # number of its UNH within the interchange
    segment_count: int
    issues: list[Issue] = field(default_factory=list)
    association: str = ""
    group_reference: str | None = None  # UNG 0048 of its functional group, if any

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def status(self) -> str:
        if self.errors:
            return MessageStatus.REJECTED.value
        return MessageStatus.ACCEPTED_WITH_WARNINGS.value if self.issues else MessageStatus.ACCEPTED.value


@dataclass
class ValidationResult:
    """The outcome of validating one interchange (or one bare message)."""

    syntax_identifier: str | None = None
    syntax_version: str | None = None
    sender: str | None = None
    recipient: str | None = None
    control_reference: str | None = None
    ack_requested: bool = False
    test: bool = False  # UNB 0035 = 1 (or 2, syntax 4: syntax only): the sender says the interchange is a test
    header: Any = None  # the UNB segment, kept for acknowledgements
    trailer: Any = None  # the UNZ segment, None when the interchange ended without one
    una: Any = None  # the service characters (Delimiters) a UNA advised, None without UNA
    groups: list = field(default_factory=list)
    messages: list[MessageResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # interchange and group level

    @property
    def all_issues(self) -> list[Issue]:
        return self.issues + [i for m in self.messages for i in m.issues]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.all_issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def interchange_errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]
