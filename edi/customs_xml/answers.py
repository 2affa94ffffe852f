"""The authority's and the agencies' answers as canonical CUSTOMS events, read by the gateway's own reader.

:func:`customs_gateway.responses.interpret` reads every answer family (MT9999, DMS
notifications, CEB receipts, NCTS and ICS answers, agency decisions) into
:class:`~customs_gateway.responses.Answer` values; this module only shapes them as events, so
the translation layer and the gateway can never read one answer two ways. An MT9999 answers per
bill and per container: one event each. An answer that is no customs decision (goods arrived,
a general response, inspection finished) gives no event and a warning.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from customs_gateway.responses import TRIGGER_EVENT, Answer, interpret
from edi.customs_xml.engine import (
    INVALID,
    NOT_SUPPORTED,
    actual_in_time,
    add_containers,
    authority_of,
    finish,
    reference_list,
    references,
    transport_call,
)
from edi.customs_xml.paths import local, xml_datetime
from edi.customs_xml.read import option
from edi.mappings.values import BadValue

#: besides a CEB ``*Return``: a DMS notification's Response, a CEB tax bill's Tax
ANSWER_ELEMENTS = ("Response", "Tax")


def map_answers(ctx: Any) -> None:
    table, root = ctx.opened.table, ctx.opened.root
    # the element each answer sits in: a CEB Return, a DMS notification's Response
    returns = [
        c for c in root if isinstance(c.tag, str) and (local(c).endswith("Return") or local(c) in ANSWER_ELEMENTS)
    ]
    for index, answer in enumerate(interpret(root)):
        element = returns[index] if index < len(returns) else root
        if answer.family == "MT9999" and (answer.bills or answer.containers):
            _per_item(answer, root, ctx)
            continue
        code = _agency_code(answer, table) if answer.trigger == "agency" else answer.customs_event
        _emit(answer, code, element, ctx, reasons=_reasons(answer))


def _per_item(answer: Answer, root: etree._Element, ctx: Any) -> None:
    bills = [e for e in root.iter() if isinstance(e.tag, str) and local(e) == "Consignment"]
    boxes = [e for e in root.iter() if isinstance(e.tag, str) and local(e) == "TransportEquipment"]
    for items, elements, kind in ((answer.bills, bills, "bill"), (answer.containers, boxes, "container")):
        for index, item in enumerate(items):
            element = elements[index] if index < len(elements) else root
            code = TRIGGER_EVENT.get(item.trigger, "")
            reasons = [{"code": item.code[:35], "text": item.text[:512]}] if item.code else []
            _emit(answer, code, element, ctx, reasons=reasons, item=(kind, item.number, item.house_number))


def _agency_code(answer: Answer, table: Any) -> str:
    states = {check.state for check in answer.checks}
    for state, code in option(table, "CHECK_EVENTS", ()):
        if state in states:
            return code
    return ""


def _reasons(answer: Answer) -> list[dict]:
    if answer.trigger == "agency":
        found = []
        for check in answer.checks:
            text = f"item {check.item_number} {check.check_code}: {'; '.join(check.reasons)}".strip(": ")
            found.append({"code": check.decision_code, "text": text})
        return _clean(found)
    return _clean(answer.reasons)


def _clean(reasons: list[dict]) -> list[dict]:
    out = []
    for reason in reasons:
        item = {
            k: " ".join(str(v).split())[: 35 if k == "code" else 512]
            for k, v in reason.items()
            if k in ("code", "text")
        }
        item = {k: v for k, v in item.items() if v}
        if item and item not in out:
            out.append(item)
    return out


def _emit(answer: Answer, code: str, element: etree._Element, ctx: Any, *, reasons: list[dict],
          item: tuple[str, ...] | None = None) -> None:  # fmt: skip
    if not code:
        what = answer.status_code or (answer.reasons[0].get("code") if answer.reasons else "") or answer.trigger
        text = _("%(family)s answer %(code)s is no customs decision: no event")
        ctx.report(NOT_SUPPORTED, text % {"family": answer.family, "code": what or "?"}, element)
        return
    table = ctx.opened.table
    event: dict[str, Any] = {"eventType": "CUSTOMS", "eventClassifierCode": "ACT", "customsEventTypeCode": code}
    business = (option(table, "BUSINESS_REFERENCE_BY_TYPE", {}) or {}).get(ctx.header.type) or option(
        table, "BUSINESS_REFERENCE", "DEC"
    )
    found = [
        (business, answer.business_reference),
        (option(table, "REGISTRATION_REFERENCE", "DEC"), answer.registration_number),
    ]
    if item is not None and item[0] == "bill":
        found += [("TRD", number) for number in item[1:]]  # the bill, and its house bill when it names one
    if item is not None and item[0] == "container":
        number = item[1].replace(" ", "").upper()
        if 0 < len(number) <= 15:
            event["equipmentReference"] = number
    context = (option(table, "ANSWER_CONTEXT_BY_TYPE", {}) or {}).get(ctx.header.type) or option(
        table, "ANSWER_CONTEXT"
    )
    found += answer.references  # the further documents the answer names (a receipt: the manifest it answers)
    if item is None:  # what the whole answer names besides the declaration: its documents and containers
        found += [
            (r["documentReferenceType"], r["documentReferenceValue"]) for r in references(context, ctx.opened.root, ctx)
        ]
        add_containers(event, context, ctx.opened.root, ctx)
    refs = reference_list(found)
    if refs:
        event["documentReferences"] = refs
    call = transport_call(context, ctx.opened.root, "", ctx)
    if call:
        event["transportCall"] = call
    when, how = _issued(answer, element, ctx)
    if not actual_in_time("ACT", when, element, ctx):
        return
    event["eventDateTime"] = when
    event["eventCreatedDateTime"] = when
    authority = authority_of(ctx.opened.root, ctx, answer.authority or answer.agency)
    if authority:
        event["customsAuthority"] = authority[:70]
    if reasons:
        event["reasons"] = reasons
    ctx.out.events.append(finish(event, element, ctx, how))


def _issued(answer: Answer, element: etree._Element, ctx: Any) -> tuple[str, str]:
    for value in (answer.issued, ctx.header.created):
        if not value:
            continue
        try:
            return xml_datetime(value, None, ctx.zone)
        except BadValue as exc:
            ctx.report(INVALID, f"Answer time: {exc}", element)
    from edi.customs_xml.engine import _time

    return _time((), element, "", ctx)
