"""Observations out as GS1 EPCIS 2.0 ObjectEvents, with the standard's query parameters and paging.

    >>> doc, token = query(params, observations=Observation.objects.all())

One observation is one ObjectEvent (action OBSERVE): its EPC (pure identity, or a raw tag URI for
what does not decode), bizStep ``arriving`` (in) or ``departing`` (out), readPoint the reader and
bizLocation the gate, as ``urn:logihub:rfid:...`` URIs. Parameters: ``eventType``,
``GE_eventTime``/``LT_eventTime``, ``EQ_bizStep``, ``EQ_readPoint``, ``MATCH_epc`` (EPC URIs or
``urn:epc:idpat:`` patterns), ``perPage`` and ``nextPageToken``; others are refused (400).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rfid.choices import Direction
from rfid.epc import epcis_uri
from rfid.exceptions import InvalidPayload
from rfid.models import Observation
from rfid.parse import parse_time

CONTEXT = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"logihub": "https://logihub.example/epcis/"},
]
OBSERVATION_NAMESPACE = uuid.UUID("5d2f8c1e-6a4b-5e9d-8c3f-1b7a0e4d2c96")
READER_PREFIX = "urn:logihub:rfid:reader:"
GATE_PREFIX = "urn:logihub:rfid:gate:"
BIZ_STEP = {Direction.IN: "arriving", Direction.OUT: "departing"}
KNOWN = {
    "eventType",
    "GE_eventTime",
    "LT_eventTime",
    "EQ_bizStep",
    "EQ_readPoint",
    "MATCH_epc",
    "perPage",
    "nextPageToken",
}
PER_PAGE, MAX_PER_PAGE = 30, 1000
SALT = "rfid.epcis.page"


def _values(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[|,]", value) if v.strip()]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def object_event(obs: Observation, reader_id: str) -> dict:
    return {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{uuid.uuid5(OBSERVATION_NAMESPACE, str(obs.pk))}",
        "eventTime": _iso(obs.first_seen),
        "eventTimeZoneOffset": "+00:00",
        "recordTime": _iso(obs.recorded_at),
        "epcList": [epcis_uri(obs.tag)],
        "action": "OBSERVE",
        "bizStep": BIZ_STEP.get(obs.direction, "other"),
        "readPoint": {"id": READER_PREFIX + quote(reader_id, safe="")},
        "bizLocation": {"id": GATE_PREFIX + quote(obs.gate, safe="")},
        "logihub:lastSeen": _iso(obs.last_seen),
        "logihub:readCount": obs.count,
        "logihub:bestRssi": obs.best_rssi,
        "logihub:antennas": obs.antennas,
        "logihub:lane": obs.lane,
    }


def _step(value: str) -> str:
    for prefix in ("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def _epc_filter(patterns: list[str]) -> Q:
    match = Q(pk__in=[])
    for pattern in patterns:
        raw = re.match(r"^urn:epc:raw:\d+\.x([0-9A-Fa-f]+)$", pattern)
        if raw:
            match |= Q(tag=raw.group(1).upper())
        elif pattern.startswith("urn:epc:idpat:"):
            body = "urn:epc:id:" + pattern[len("urn:epc:idpat:") :]
            regex = "^" + re.escape(body).replace(r"\*", "[^.:]*") + "$"
            match |= Q(tag__regex=regex)
        else:
            match |= Q(tag=pattern)
    return match


def _filter(params: dict, rows: QuerySet) -> QuerySet | None:
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise InvalidPayload(
            _("Unknown query parameter %(p)s.") % {"p": unknown[0]}, position=unknown[0], code="query_parameter"
        )
    if "eventType" in params and "ObjectEvent" not in _values(params["eventType"]):
        return None
    for name, lookup in (("GE_eventTime", "first_seen__gte"), ("LT_eventTime", "first_seen__lt")):
        if name in params:
            rows = rows.filter(**{lookup: parse_time(params[name], name)})
    if "EQ_bizStep" in params:
        steps = {_step(v) for v in _values(params["EQ_bizStep"])}
        rows = rows.filter(direction__in=[d for d, s in BIZ_STEP.items() if s in steps])
    if "EQ_readPoint" in params:
        ids = [unquote(v[len(READER_PREFIX) :]) for v in _values(params["EQ_readPoint"]) if v.startswith(READER_PREFIX)]
        rows = rows.filter(reader__reader_id__in=ids)
    if "MATCH_epc" in params:
        rows = rows.filter(_epc_filter(_values(params["MATCH_epc"])))
    return rows


def _per_page(params: dict) -> int:
    value = params.get("perPage", str(PER_PAGE))
    if not value.isdigit() or not 1 <= int(value) <= MAX_PER_PAGE:
        raise InvalidPayload(
            _("perPage is a whole number from 1 to %(max)d.") % {"max": MAX_PER_PAGE}, position="perPage"
        )
    return int(value)


def query(params: dict, *, observations: QuerySet) -> tuple[dict, str | None]:
    """The EPCISQueryDocument of one page, and the token of the next page (None on the last)."""
    per_page = _per_page(params)
    rows = _filter(params, observations)
    events: list[dict] = []
    token = None
    if rows is not None:
        if params.get("nextPageToken"):
            try:
                after_time, after_id = signing.loads(params["nextPageToken"], salt=SALT)
            except signing.BadSignature as exc:
                raise InvalidPayload(_("nextPageToken is not valid."), position="nextPageToken") from exc
            moment = datetime.fromisoformat(after_time)
            rows = rows.filter(Q(first_seen__gt=moment) | Q(first_seen=moment, id__gt=after_id))
        page = list(rows.select_related("reader").order_by("first_seen", "id")[: per_page + 1])
        if len(page) > per_page:
            page = page[:per_page]
            token = signing.dumps([page[-1].first_seen.isoformat(), page[-1].id], salt=SALT)
        events = [object_event(obs, obs.reader.reader_id) for obs in page]
    doc = {
        "@context": CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": _iso(timezone.now()),
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}},
    }
    return doc, token
