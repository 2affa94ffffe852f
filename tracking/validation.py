"""Checking canonical events against ``schemas/canonical-event.schema.json`` before they are stored.

>>> problems_of([{"eventID": "x"}])[0]["message"]
"'eventType' is a required property"

A valid batch (the usual case) is recognised by jsonschema-rs, compiled once, in a few microseconds an
event; only when it finds an event invalid does the Python ``jsonschema`` walk the batch again to name
every problem as it always has. Either way an event passes only when ``jsonschema`` would pass it too
(tested on the fixtures and on mutated events).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tracking.exceptions import InvalidEvent

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "canonical-event.schema.json"
FRIENDLY = {
    "pattern": {
        "eventDateTime": "must be an ISO 8601 date-time with a UTC offset (Z or +hh:mm)",
        "eventCreatedDateTime": "must be an ISO 8601 date-time with a UTC offset (Z or +hh:mm)",
        "UNLocationCode": "must be a UN/LOCODE: 2 letters of country and 3 of place",
        "vesselIMONumber": "must be a 7-digit IMO number",
        "eventID": "must be a UUID",
    }
}


@cache
def schema() -> dict:
    document = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    return document


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


@cache
def fast_validator() -> jsonschema_rs.Draft202012Validator:
    # formats are annotations, as for jsonschema's validator above (it checks none unless asked)
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=False)


def _real_datetimes(event: dict) -> bool:
    for field in ("eventDateTime", "eventCreatedDateTime"):
        try:
            datetime.fromisoformat(event[field])
        except (KeyError, TypeError, ValueError):
            return False
    return True


def all_valid(events: list) -> bool:
    """True when every event is valid: the schema (jsonschema-rs) and real date-times."""
    fast = fast_validator()
    return all(isinstance(e, dict) and fast.is_valid(e) and _real_datetimes(e) for e in events)


def _path(index: int, error: ValidationError) -> str:
    path = f"[{index}]"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _message(error: ValidationError) -> str:
    field = error.absolute_path[-1] if error.absolute_path else None
    friendly = FRIENDLY.get(str(error.validator), {}).get(str(field))
    if friendly:
        return f"{field} {friendly}, not {error.instance!r}"
    return f"{field}: {error.message}" if isinstance(field, str) else error.message


def problems_of(events: list[dict]) -> list[dict]:
    """Every schema problem of a batch: ``{"index", "eventID", "path", "message"}``; empty when valid."""
    if all_valid(events):
        return []
    problems = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            problems.append({"index": index, "eventID": None, "path": f"[{index}]", "message": "not an object"})
            continue
        for error in sorted(validator().iter_errors(event), key=lambda e: list(map(str, e.absolute_path))):
            problems.append(
                {
                    "index": index,
                    "eventID": event.get("eventID"),
                    "path": _path(index, error),
                    "message": _message(error),
                }
            )
        for field in ("eventDateTime", "eventCreatedDateTime"):
            value = event.get(field)
            if isinstance(value, str) and not any(p["path"] == f"[{index}].{field}" for p in problems):
                try:
                    datetime.fromisoformat(value)
                except ValueError:
                    problems.append(
                        {
                            "index": index,
                            "eventID": event.get("eventID"),
                            "path": f"[{index}].{field}",
                            "message": f"{field} is not a real date-time: {value!r}",
                        }
                    )
    return problems


def check_events(events: list[dict]) -> None:
    """Raise :class:`InvalidEvent` listing every problem when any event of the batch is invalid."""
    problems = problems_of(events)
    if problems:
        raise InvalidEvent(problems)
