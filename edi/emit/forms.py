"""What ``edi translate FILE --format edifact|xml`` writes: the outbound form of a translation's events.

EDIFACT: each event goes out in the message its kind of partner expects, by :data:`OUTBOUND`
(gate moves as CODECO, loads and discharges as COARRI, declarations as CUSDEC, a manifest's bills
as CUSCAR, any other actual event as IFTSTA), one interchange per message type. Only a cargo report
is a CUSCAR (the China manifests MT1101, MT2101, MT1201, MT2201 and their amendments): the lodgement
of an arrival or tally report, a distribution, change or transfer application or a packing list has
no EDIFACT form and is left out with that reason in ``notes``. XML: the events
that are a manifest's bills, as the China manifest family's MT1101 (:mod:`customs_gateway.manifest_out`).
Events a form cannot carry are counted with the reason in ``notes`` (the command prints them on
standard error); when none can be written the caller gets :class:`edi.exceptions.EdiError`.

    >>> text, notes = outbound_form(document, "edifact", sender="LOGIHUB", recipient="PARTNER")
"""

from __future__ import annotations

from collections import Counter

from edi.exceptions import EdiError

#: (eventType, type code) -> the outbound message type; anything else goes out as IFTSTA.
OUTBOUND = {
    ("EQUIPMENT", "GTIN"): "CODECO",
    ("EQUIPMENT", "GTOT"): "CODECO",
    ("EQUIPMENT", "LOAD"): "COARRI",
    ("EQUIPMENT", "DISC"): "COARRI",
    ("CUSTOMS", "DECL"): "CUSDEC",
    ("CUSTOMS", "CNCL"): "CUSDEC",
}


def outbound_type(event: dict) -> str:
    """The EDIFACT message type an event goes out in (a declaration under a MAN reference is a CUSCAR bill)."""
    kind = event.get("eventType", "")
    code = event.get(kind.lower() + "EventTypeCode", "")
    message_type = OUTBOUND.get((kind, code), "IFTSTA")
    refs = {r.get("documentReferenceType") for r in event.get("documentReferences") or ()}
    if message_type == "CUSDEC" and "MAN" in refs:
        return "CUSCAR"
    return message_type


def outbound_form(document: dict, output: str, *, sender: str, recipient: str) -> tuple[str, list[str]]:
    """The ``edifact`` or ``xml`` text of ``document["events"]``, and notes on what was left out."""
    events = document.get("events") or []
    if output == "xml":
        return _manifest_xml(events, sender=sender, recipient=recipient)
    return _edifact(events, sender=sender, recipient=recipient)


def _edifact(events: list[dict], *, sender: str, recipient: str) -> tuple[str, list[str]]:
    from edi.emit import emit

    groups: dict[str, list[dict]] = {}
    for event in events:
        groups.setdefault(outbound_type(event), []).append(event)
    texts, skipped = [], Counter()
    for message_type, group in groups.items():
        authority = next((e.get("customsAuthority") for e in group if e.get("customsAuthority")), None)
        to = authority if message_type in ("CUSDEC", "CUSCAR") and authority else recipient
        out = emit(group, message_type, sender=sender, recipient=to)
        if out.text:
            texts.append(out.text)
        skipped.update(reason for _event, reason in out.skipped)
    notes = [f"{count} event(s) not written: {reason}" for reason, count in skipped.items()]
    if not texts:
        raise EdiError(
            f"none of the {len(events)} events has an outbound EDIFACT form" + (f" ({notes[0]})" if notes else ""),
            code="NO_OUTBOUND_FORM",
        )
    return "\n".join(texts), notes


def _manifest_xml(events: list[dict], *, sender: str, recipient: str) -> tuple[str, list[str]]:
    from customs_gateway.exceptions import CustomsError
    from customs_gateway.manifest_out import is_manifest, mt1101
    from edi.acknowledge import new_control_reference

    bills = [e for e in events if is_manifest(e)]
    try:
        body, left_out = mt1101(bills, sender=sender, receiver=recipient, message_id=new_control_reference())
    except CustomsError as exc:
        raise EdiError(exc.message, code="NO_OUTBOUND_FORM") from exc
    notes = []
    if len(bills) < len(events):
        notes.append(f"{len(events) - len(bills)} event(s) not written: not a bill of a manifest")
    if left_out:
        notes.append(f"containers without size-type or fullness left out of the manifest: {', '.join(left_out)}")
    return body.decode("utf-8"), notes
