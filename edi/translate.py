"""The translation document of a message file: ``{"messages": [...], "events": [...], "errors": [...]}``.

This is what ``manage.py edi translate`` prints (see the SPEC): each message names its type,
version, reference, sender, recipient and status; each error its ISO 9735 code, message and
position. Events fill in once the mappings exist; until then the list is empty.

    >>> translate_file(Path("codeco.edi"))["messages"][0]["status"]
    'accepted'

Input that is not a message at all raises :class:`edi.exceptions.NotAMessage`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from edi.detect import detect
from edi.exceptions import EdiError, NotAMessage
from edi.validate import ValidationResult, validate_interchange

MAX_BYTES = 256 * 1024 * 1024


def translate_file(path: str | Path) -> dict[str, Any]:
    """Read, validate and translate one message file."""
    path = Path(path)
    if not path.is_file():
        raise NotAMessage(f"No such file: {path}")
    if path.stat().st_size > MAX_BYTES:
        raise NotAMessage(f"File too large to translate: {path} ({path.stat().st_size} bytes)")
    with open(path, "rb") as fh:
        head = fh.read(65536)
    detection = detect(head)
    if detection.format != "edifact":
        family = detection.family or detection.root or "unknown"
        error = EdiError(f"XML documents ({family}) are not translated here yet", code="UNKNOWN_TYPE")
        return {"messages": [], "events": [], "errors": [error.as_dict()]}
    return translate_result(validate_interchange(path))


def translate_bytes(data: bytes) -> dict[str, Any]:
    """The translation document of raw EDIFACT bytes."""
    detect(data)
    return translate_result(validate_interchange(data))


def translate_result(result: ValidationResult) -> dict[str, Any]:
    """Shape a :class:`ValidationResult` as the SPEC's document (warnings ride along per message)."""
    messages = [
        {
            "type": item.type,
            "version": item.version,
            "reference": item.reference,
            "sender": result.sender,
            "recipient": result.recipient,
            "status": item.status,
            "errors": [issue.as_dict() for issue in item.errors],
            "warnings": [issue.as_dict() for issue in item.issues if issue.severity != "error"],
        }
        for item in result.messages
    ]
    return {
        "messages": messages,
        "events": [],
        "errors": [issue.as_dict() for issue in result.errors],
        "interchangeErrors": [issue.as_dict() for issue in result.interchange_errors],
    }


def format_issue(issue: Any) -> str:
    """One line for a terminal: ``segment 5 CNI, element 2: [15] Segment CNI is not ...``."""
    data = issue if isinstance(issue, dict) else issue.as_dict()
    position = data.get("position") or {}
    parts = []
    if position.get("segment") is not None:
        parts.append(f"segment {position['segment']}" + (f" {position['tag']}" if position.get("tag") else ""))
    if position.get("element") is not None:
        parts.append(f"element {position['element']}")
    if position.get("component") is not None:
        parts.append(f"component {position['component']}")
    if position.get("line") is not None:
        parts.append(f"line {position['line']}")
    where = ", ".join(parts) or "interchange"
    severity = "" if data.get("severity", "error") == "error" else f"{data['severity']} "
    return f"{where}: {severity}[{data['code']}] {data['message']}"
