"""Positions and issues: what went wrong in a message, and exactly where.

Every stage of the translation layer (detect, parse, validate, map) reports problems as
:class:`Issue` values rather than raising, so that one bad message never sinks the good ones
in the same interchange. An issue carries an ISO 9735 syntax error code (data element 0085)
for EDIFACT syntax problems, a human-readable message and a :class:`Position`.

    >>> Issue("13", "Mandatory data element 0062 missing", Position(segment=2, tag="UNH", element=1))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("interchange", "group", "message", "segment", "element")


@dataclass(frozen=True, slots=True)
class Position:
    """Where a fact or a fault sits in a raw message.

    EDIFACT: ``segment`` is the 1-based segment number within the interchange (UNA is not
    counted), ``tag`` its tag, ``element`` the 1-based data element position within the
    segment, ``component`` the 1-based component position, ``line``/``column`` where the
    segment starts in the text. XML: ``path`` is the element's path and ``line`` its line.
    """

    segment: int | None = None
    tag: str | None = None
    element: int | None = None
    component: int | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    offset: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}

    def __str__(self) -> str:
        parts = []
        if self.segment is not None:
            parts.append(f"segment {self.segment}")
        if self.tag:
            parts.append(self.tag)
        if self.element is not None:
            parts.append(f"element {self.element}")
        if self.component is not None:
            parts.append(f"component {self.component}")
        if self.path:
            parts.append(self.path)
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts) or "start of input"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a message: a code, a message and a position.

    ``code`` is the ISO 9735 syntax error code (UN/EDIFACT 0085) for EDIFACT syntax and
    directory errors, or one of the layer's own codes (see :mod:`edi.choices`) otherwise.
    ``level`` says what the problem sinks: the whole interchange, a functional group, one
    message, or just one segment/element (reported, the message may still be rejected).
    ``message_ref`` is the UNH message reference (0062) the issue belongs to, if any.
    """

    code: str
    message: str
    position: Position = field(default_factory=Position)
    level: str = "segment"
    message_ref: str | None = None
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "position": self.position.as_dict(),
            "level": self.level,
            "severity": self.severity,
        }
        if self.message_ref is not None:
            data["messageReference"] = self.message_ref
        return data
