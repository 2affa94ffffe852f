"""APERAK and CONTRL from partners read into a plain acknowledgement result the lead correlates.

Neither carries a cargo fact; each says what happened to a message we sent:

    >>> read_acknowledgement(message, sender="TERMINAL")
    {'type': 'APERAK', 'status': 'rejected', 'answers': {'messageReference': 'PO123456', ...},
     'errors': [{'code': '12', 'text': 'Order rejected: invalid product code'}], ...}

``answers`` names what is acknowledged: for APERAK the referenced message (RFF ACW/AGO), the
document (DOC 1004) and its type; for CONTRL the interchange control reference (UCI 0020), with
``groups`` (UCF: each functional group's UNG 0048 and action) and ``messages`` (UCM: each UNH 0062
and action). ``status`` is accepted, rejected or received; a group or message rejected rejects it.
"""

from __future__ import annotations

from typing import Any

from edi.mappings.edifact import aperak as table
from edi.mappings.scopes import components

ACTIONS = {"4": "rejected", "7": "accepted", "8": "received"}


def read_acknowledgement(message: Any, *, sender: str | None = None, recipient: str | None = None) -> dict:
    if message.type == "CONTRL":
        return _contrl(message, sender, recipient)
    return _aperak(message, sender, recipient)


def _aperak(message: Any, sender: str | None, recipient: str | None) -> dict:
    answers: dict[str, str] = {}
    errors: list[dict] = []
    status = "accepted"
    bgm = None
    for seg in message.body:
        tag = seg.tag
        if tag == "BGM":
            bgm = seg
        elif tag == "DOC" and "documentNumber" not in answers:
            answers["documentType"] = seg.get(1)
            answers["documentNumber"] = seg.get(2)
        elif tag == "RFF" and seg.get(1) in table.ANSWERED_REFERENCES and "messageReference" not in answers:
            answers["messageReference"] = seg.get(1, 2)
        elif tag == "ERC":
            errors.append({"code": seg.get(1), "position": seg.position.as_dict()})
        elif tag == "FTX" and errors and "text" not in errors[-1]:
            text = " ".join(c for c in components(seg, 4) if c)
            if text:
                errors[-1]["text"] = text
    if bgm is not None:
        function, response = bgm.get(3), bgm.get(4)
        if response in table.REJECTED or function in table.REJECTED:
            status = "rejected"
        elif response in table.ACCEPTED or function in table.ACCEPTED:
            status = "accepted"
        elif errors:
            status = "rejected"
    return {
        "type": "APERAK",
        "messageReference": message.reference,
        "sender": sender,
        "recipient": recipient,
        "status": status,
        "answers": {k: v for k, v in answers.items() if v},
        "errors": errors,
    }


def _contrl(message: Any, sender: str | None, recipient: str | None) -> dict:
    interchange: dict[str, str] = {}
    groups: list[dict] = []
    messages: list[dict] = []
    errors: list[dict] = []
    segment: int | None = None
    for seg in message.body:
        if seg.tag == "UCI":
            interchange = {
                "controlReference": seg.get(1),
                "status": ACTIONS.get(seg.get(4), seg.get(4)),
                "error": seg.get(5),
            }
            if seg.get(5):
                errors.append({"code": seg.get(5)})
        elif seg.tag == "UCF":  # a functional group (UNG 0048): 0083 its action, 0085 its error
            groups.append(
                {"groupReference": seg.get(1), "status": ACTIONS.get(seg.get(4), seg.get(4)), "error": seg.get(5)}
            )
            if seg.get(5):
                errors.append({"code": seg.get(5), "groupReference": seg.get(1)})
        elif seg.tag == "UCM":
            messages.append(
                {
                    "messageReference": seg.get(1),
                    "type": seg.get(2),
                    "status": ACTIONS.get(seg.get(3), seg.get(3)),
                    "error": seg.get(4),
                }
            )
            if seg.get(4):
                errors.append({"code": seg.get(4), "messageReference": seg.get(1)})
        elif seg.tag in ("UCS", "UCD"):
            found = _reported_error(seg, messages[-1]["messageReference"] if messages else None)
            if seg.tag == "UCS":
                segment = found["position"].get("segment")
            elif segment is not None:  # a UCD names an element of the segment its UCS named
                found["position"] = {"segment": segment, **found["position"]}
            errors.append(found)
    rejected = interchange.get("status") == "rejected" or any(
        part["status"] == "rejected" for part in (*groups, *messages)
    )
    return {
        "type": "CONTRL",
        "messageReference": message.reference,
        "sender": sender,
        "recipient": recipient,
        "status": "rejected" if rejected else interchange.get("status", "received"),
        "answers": {"controlReference": interchange.get("controlReference", "")},
        "interchange": {k: v for k, v in interchange.items() if v},
        **({"groups": [{k: v for k, v in g.items() if v} for g in groups]} if groups else {}),
        "messages": [{k: v for k, v in m.items() if v} for m in messages],
        "errors": [{k: v for k, v in e.items() if v} for e in errors if e.get("code")],
    }


def _reported_error(seg: Any, reference: str | None) -> dict:
    """A UCS (segment position 0096, error 0085) or UCD (S011 element and component position, 0085):
    where in our message the partner found a syntax error, as the position it gives."""
    position: dict[str, int] = {}
    if seg.tag == "UCS":
        code, number = seg.get(2), seg.get(1)
        if number.isdecimal():
            position["segment"] = int(number)
    else:
        code, element, component = seg.get(1), seg.get(2), seg.get(2, 2)
        if element.isdecimal():
            position["element"] = int(element)
        if component.isdecimal():
            position["component"] = int(component)
    return {"code": code, "position": position, "messageReference": reference}
