"""The simulator's EDIFACT dialect: CUSDEC/CUSCAR read through the translation layer, CUSRES (D.96B) written back.

An authority that speaks EDIFACT acknowledges an interchange at the transport layer with a
CONTRL (ISO 9735) and answers each step of its plan with a CUSRES: GIS 7365 for the decision
(1 accepted, 2 rejected with comment, 4 released, 5 examination, 6 documents, 7 detained,
15 correction approved, 17 received), BGM 1225 1 for a cancellation, BGM 1001 965 for a duty
assessment, RFF ABT for the registration number, ERC/FTX for the reasons, EQD for the containers
an inspection, hold or release names. UNCL 7365 has no code for a refused release or a completed
inspection, so those steps are not sent in this dialect (as the DMS dialect skips steps it has no
function code for).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydifact.control.characters import Characters
from pydifact.segments import Segment
from pydifact.serializer import Serializer

from customs_gateway.choices import DeclarationKind
from customs_gateway.edifact import EDIFACT_TYPES, FUNCTION_IN, _first_error, _first_ref, _function_code
from edi.writing import edifact_bytes, fit_segments

CUSRES_GIS = {
    "accept": "1",
    "reject": "2",
    "release": "4",
    "inspect": "5",
    "review": "6",
    "hold": "7",
    "amend": "15",
    "receive": "17",
}
WITH_CONTAINERS = frozenset({"inspect", "hold", "release"})
DIRECTORY = ["CUSRES", "D", "96B", "UN"]


def read(body: bytes, sent_class: type):
    """What the simulator reads from a CUSDEC/CUSCAR interchange: a ``Sent`` (problems: its errors)."""
    from edi.parse.interchange import read_interchange
    from edi.translate import translate_edifact

    document = translate_edifact(bytes(body)).document
    problems = []
    error = _first_error(document)
    if error is not None:
        problems.append((str(error["code"])[:8], error["message"][:200]))
    message = document["messages"][0] if document["messages"] else {"type": "", "reference": ""}
    events = [e for e in document["events"] if e["eventType"] == "CUSTOMS"]
    kind = EDIFACT_TYPES.get(message["type"], DeclarationKind.DECLARATION)
    first = events[0] if events else {}
    reference = _first_ref(first, "MAN" if kind == DeclarationKind.MANIFEST else "DEC") if first else ""
    if not reference:
        problems.append(("R002", "no declaration or manifest number (BGM 1004)"))
    call = first.get("transportCall") or {}
    containers = sorted(
        {n for e in events for n in ([e.get("equipmentReference")] + list(e.get("equipmentReferences") or [])) if n}
    )
    bills = [_first_ref(e, "TRD") for e in events if _first_ref(e, "TRD")]
    function = _function_code(body)
    sent = sent_class(
        read_interchange(bytes(body)).control_reference or "",
        kind,
        message["type"],
        FUNCTION_IN.get(function, function),
        reference,
        1,  # EDIFACT carries no version: every submission of a reference is read as its first
        voyage=call.get("carrierVoyageNumber", ""),
        bills=bills,
        containers=containers,
        problems=problems,
    )
    sent.dialect = "edifact"
    return sent


def contrl(body: bytes) -> bytes:
    """The transport layer's answer: a CONTRL acknowledging (or rejecting) the interchange."""
    from edi.acknowledge import build_contrl
    from edi.validate import validate_interchange

    text = build_contrl(validate_interchange(bytes(body)), force=True)
    return edifact_bytes(text or "")


def cusres(
    sent, step: str, *, registration: str, reasons: list[tuple[str, str]], sender: str, receiver: str, reference: str
) -> bytes | None:
    """The CUSRES interchange answering ``step`` for ``sent``, or None when the dialect has no code for it."""
    if step not in CUSRES_GIS and step not in ("cancel", "assess"):
        return None
    document = "965" if step == "assess" else "963" if step == "reject" else "961"
    function = "1" if step == "cancel" else "9"
    now = datetime.now(UTC)
    body = [
        Segment("BGM", document, sent.reference[:35], function),
        Segment("DTM", ["137", now.strftime("%Y%m%d%H%M"), "203"]),
    ]
    if step in CUSRES_GIS:
        body.append(Segment("GIS", CUSRES_GIS[step]))
    if step in WITH_CONTAINERS:
        body += [Segment("EQD", "CN", number) for number in sent.containers]
    if registration:
        body.append(Segment("RFF", ["ABT", registration[:35]]))
    for bill in sent.bills[:9]:
        body.append(Segment("RFF", ["BM", bill[:35]]))
    if reasons:
        body.append(Segment("ERP", "1"))
        for code, text in reasons[:9]:
            body += [Segment("ERC", code[:8]), Segment("FTX", "AAO", "", "", text[:70])]
    head = [Segment("UNH", "1", DIRECTORY), *body]
    segments = [
        Segment(
            "UNB", ["UNOC", "3"], sender[:35], receiver[:35], [now.strftime("%y%m%d"), now.strftime("%H%M")], reference
        ),
        *head,
        Segment("UNT", str(len(head) + 1), "1"),
        Segment("UNZ", "1", reference),
    ]
    text = Serializer(Characters(decimal_point=".")).serialize(fit_segments(segments, "UNOC"), with_una_header=True)
    return edifact_bytes(text)
