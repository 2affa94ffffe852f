"""Read payloads, as the readers send them, to one list of reads. Pure functions, no database.

Three shapes, single events or batches (a JSON array, or JSON lines):

* generic (SPEC): ``{"reader": "R1", "gate": "G1"?, "reads": [{"epc", "antenna", "rssi", "time"}]}``;
* Impinj R700, IoT device interface tag-inventory event stream:
  ``{"timestamp", "hostname"?, "eventType": "tagInventory", "tagInventoryEvent": {"epcHex" | "epc" (base64),
  "antennaPort", "peakRssiCdbm", "lastSeenTime"?, ...}}``; other event types (keep-alives) are heartbeats;
* Zebra FX IoT Connector data events: ``{"type", "timestamp", "data": {"idHex", "antenna", "peakRssi",
  "reads"?, "eventNum", "format"}}``, or the handheld batch ``"data": {"tagData": [{"EPCid", "peakRssi",
  "seenCount", "antenna"?}]}``; ``type: "heartbeat"`` and (handheld) ``eventName: "heartbeat"`` events, with
  or without ``data``, are heartbeats.

Every error names its JSON path (``$.reads[3].epc``; ``$[2]...`` for the third event or line). In a
reader's batch (events of a vendor shape, a handheld's ``tagData``) one bad event or tag does not lose the
others: it is kept in ``Payload.rejected`` (the gate then holds and says why); a batch with nothing good
in it is refused with its first error.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from rfid.epc import HEX, MAX_HEX, is_hex
from rfid.exceptions import InvalidPayload, TooManyReads

GENERIC_KEYS = {"reader", "gate", "reads"}
READ_KEYS = {"epc", "antenna", "rssi", "time", "count"}
MAX_ANTENNA = 65535
MAX_COUNT = 1_000_000


@dataclass(slots=True)
class Read:
    """One tag read: EPC bank in hex, antenna port, RSSI in dBm, reader time (None: receive time), weight."""

    epc: str
    antenna: int
    rssi: float | None
    time: datetime | None
    count: int = 1


@dataclass
class Payload:
    """What a post carried: the reader and gate it claims (generic shape only), reads, heartbeats."""

    shape: str
    reads: list[Read] = field(default_factory=list)
    reader: str | None = None
    gate: str | None = None
    heartbeats: int = 0
    rejected: list[InvalidPayload] = field(default_factory=list)


def _fail(message: str, position: str) -> InvalidPayload:
    return InvalidPayload(message, position=position)


def load_json(body: bytes, *, keep_bad_lines: bool = False) -> Any:
    """JSON, or JSON lines (one event per line) as a list; InvalidPayload when neither. ``keep_bad_lines``:
    a line that is not JSON (a stream cut mid-event) stands in the list as its InvalidPayload instead."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(_("The body is not UTF-8."), f"byte {exc.start}") from exc
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise _fail(_("The body nests too deeply."), "$") from exc
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise _fail(_("The body is not JSON: %(error)s.") % {"error": exc.msg}, f"char {exc.pos}") from exc
    items = []
    for number, line in enumerate(lines):
        try:
            items.append(json.loads(line))
        except RecursionError as exc:
            raise _fail(_("The body nests too deeply."), f"$[{number}]") from exc
        except json.JSONDecodeError as exc:
            bad = _fail(
                _("Line %(line)d is not JSON: %(error)s.") % {"line": number + 1, "error": exc.msg}, f"$[{number}]"
            )
            if not keep_bad_lines:
                raise bad from exc
            items.append(bad)
    return items


def parse_time(value: Any, position: str) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise _fail(_("A time is an ISO 8601 string with a UTC offset."), position)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _fail(_("Not an ISO 8601 date-time: %(value)s.") % {"value": value[:40]}, position) from exc
    if parsed.tzinfo is None:
        raise _fail(_("The time has no UTC offset."), position)
    return parsed


def _epc(value: Any, position: str) -> str:
    if not isinstance(value, str) or not is_hex(value) or not value:
        raise _fail(_("An EPC is an even number of hex digits, at most 124."), position)
    return value.upper()


def _int(value: Any, position: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(_("Expected a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}, position)
    return value


def _rssi(value: Any, position: str, scale: float = 1.0) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(_("RSSI is a number."), position)
    dbm = value / scale
    if not -200 <= dbm <= 50:
        raise _fail(_("RSSI out of range (dBm from -200 to 50)."), position)
    return float(dbm)


def _object(value: Any, position: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(_("Expected a JSON object."), position)
    return value


def _fast_read(item: Any) -> Read | None:
    """The read when every field is plainly right (the hot path), else None: the careful path names the error."""
    if type(item) is not dict or not item.keys() <= READ_KEYS:
        return None
    epc = item.get("epc")
    if type(epc) is not str or not 0 < len(epc) <= MAX_HEX or len(epc) % 2 or not HEX.fullmatch(epc):
        return None
    antenna = item.get("antenna", 0)
    rssi = item.get("rssi")
    stamp = item.get("time")
    count = item.get("count", 1)
    if (
        type(antenna) is not int
        or not 0 <= antenna <= MAX_ANTENNA
        or type(count) is not int
        or not 1 <= count <= MAX_COUNT
    ):
        return None
    if rssi is not None and (type(rssi) not in (int, float) or not -200 <= rssi <= 50):
        return None
    when = None
    if stamp is not None:
        if type(stamp) is not str or len(stamp) > 40:
            return None
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return None
        if when.tzinfo is None:
            return None
    return Read(epc.upper(), antenna, None if rssi is None else float(rssi), when, count)


def _generic(doc: dict, limit: int) -> Payload:
    unknown = set(doc) - GENERIC_KEYS
    if unknown:
        raise _fail(_("Unknown field %(field)s.") % {"field": sorted(unknown)[0]}, f"$.{sorted(unknown)[0]}")
    reader = doc.get("reader")
    if not isinstance(reader, str) or not 0 < len(reader) <= 64:
        raise _fail(_("reader is the reader id, a string."), "$.reader")
    gate = doc.get("gate")
    if gate is not None and (not isinstance(gate, str) or not 0 < len(gate) <= 64):
        raise _fail(_("gate is the gate code, a string."), "$.gate")
    items = doc["reads"]
    if not isinstance(items, list):
        raise _fail(_("reads is a list of reads."), "$.reads")
    if not items:
        raise _fail(_("reads is empty."), "$.reads")
    if len(items) > limit:
        raise TooManyReads(_("At most %(limit)d reads per post.") % {"limit": limit}, position="$.reads")
    reads = []
    for index, item in enumerate(items):
        read = _fast_read(item)
        if read is not None:
            reads.append(read)
            continue
        at = f"$.reads[{index}]"
        if not isinstance(item, dict):
            raise _fail(_("A read is a JSON object."), at)
        extra = set(item) - READ_KEYS
        if extra:
            raise _fail(_("Unknown field %(field)s.") % {"field": sorted(extra)[0]}, f"{at}.{sorted(extra)[0]}")
        if "epc" not in item:
            raise _fail(_("epc is required."), f"{at}.epc")
        time = item.get("time")
        reads.append(
            Read(
                epc=_epc(item["epc"], f"{at}.epc"),
                antenna=_int(item.get("antenna", 0), f"{at}.antenna", 0, MAX_ANTENNA),
                rssi=_rssi(item.get("rssi"), f"{at}.rssi"),
                time=None if time is None else parse_time(time, f"{at}.time"),
                count=_int(item.get("count", 1), f"{at}.count", 1, MAX_COUNT),
            )
        )
    return Payload(shape="generic", reads=reads, reader=reader, gate=gate)


def _impinj(event: dict, at: str, out: Payload) -> None:
    inner = event.get("tagInventoryEvent")
    if inner is None:
        out.heartbeats += 1
        return
    inner = _object(inner, f"{at}.tagInventoryEvent")
    where = f"{at}.tagInventoryEvent"
    if "epcHex" in inner:
        epc = _epc(inner["epcHex"], f"{where}.epcHex")
    elif isinstance(inner.get("epc"), str):
        try:
            epc = _epc(base64.b64decode(inner["epc"], validate=True).hex(), f"{where}.epc")
        except (binascii.Error, ValueError) as exc:
            raise _fail(_("epc is the EPC in base64."), f"{where}.epc") from exc
    else:
        raise _fail(_("epcHex is required."), f"{where}.epcHex")
    stamp = inner.get("lastSeenTime") or event.get("timestamp")
    stamp_at = f"{where}.lastSeenTime" if inner.get("lastSeenTime") else f"{at}.timestamp"
    out.reads.append(
        Read(
            epc=epc,
            antenna=_int(inner.get("antennaPort", 0), f"{where}.antennaPort", 0, MAX_ANTENNA),
            rssi=_rssi(inner.get("peakRssiCdbm"), f"{where}.peakRssiCdbm", scale=100.0),
            time=None if stamp is None else parse_time(stamp, stamp_at),
        )
    )


def _zebra_tag(tag: dict, at: str, stamp: datetime | None) -> Read:
    for name in ("idHex", "EPCid", "EPC"):
        if name in tag:
            epc = _epc(tag[name], f"{at}.{name}")
            break
    else:
        raise _fail(_("idHex is required."), f"{at}.idHex")
    seen = tag.get("reads", tag.get("seenCount", 1))
    return Read(
        epc=epc,
        antenna=_int(tag.get("antenna", 0), f"{at}.antenna", 0, MAX_ANTENNA),
        rssi=_rssi(tag.get("peakRssi"), f"{at}.peakRssi"),
        time=stamp,
        count=_int(seen, f"{at}.reads", 1, MAX_COUNT),
    )


def _zebra_heartbeat(event: dict) -> bool:
    """A Zebra heartbeat: ``"type": "heartbeat"`` (FX IoT Connector) or ``"eventName": "heartbeat"`` (handheld)."""
    return any(str(event.get(name, "")).lower() == "heartbeat" for name in ("type", "eventName"))


def _zebra(event: dict, at: str, out: Payload) -> None:
    if _zebra_heartbeat(event):
        out.heartbeats += 1
        return
    stamp = None if event.get("timestamp") is None else parse_time(event["timestamp"], f"{at}.timestamp")
    data = _object(event["data"], f"{at}.data")
    if "tagData" in data:
        tags = data["tagData"]
        if not isinstance(tags, list):
            raise _fail(_("tagData is a list."), f"{at}.data.tagData")
        for index, tag in enumerate(tags):
            try:
                out.reads.append(
                    _zebra_tag(_object(tag, f"{at}.data.tagData[{index}]"), f"{at}.data.tagData[{index}]", stamp)
                )
            except InvalidPayload as exc:
                out.rejected.append(exc)
    elif "idHex" in data or "EPCid" in data:
        out.reads.append(_zebra_tag(data, f"{at}.data", stamp))
    else:
        out.heartbeats += 1  # a barcode or other data event: proof of life, no tag


def _event(event: Any, at: str, out: Payload) -> None:
    event = _object(event, at)
    if "tagInventoryEvent" in event or "eventType" in event:
        out.shape = out.shape or "impinj"
        _impinj(event, at, out)
    elif "data" in event or _zebra_heartbeat(event):
        out.shape = out.shape or "zebra"
        _zebra(event, at, out)
    else:
        raise _fail(_("Not a read payload: expected reads, tagInventoryEvent or data."), at)


def parse_payload(body: bytes, *, limit: int) -> Payload:
    """The reads of a body in any supported shape; InvalidPayload or TooManyReads when it cannot be taken."""
    doc = load_json(body, keep_bad_lines=True)
    if isinstance(doc, dict) and "reads" in doc:
        return _generic(doc, limit)
    out = Payload(shape="")
    events = doc if isinstance(doc, list) else [doc]
    if isinstance(doc, list) and not doc:
        raise _fail(_("The batch is empty."), "$")
    for index, event in enumerate(events):
        try:
            if isinstance(event, InvalidPayload):  # a line of JSON lines that is not JSON
                raise event
            _event(event, f"$[{index}]" if isinstance(doc, list) else "$", out)
        except InvalidPayload as exc:
            out.rejected.append(exc)
        if len(out.reads) + len(out.rejected) > limit:
            raise TooManyReads(_("At most %(limit)d reads per post.") % {"limit": limit}, position=f"$[{index}]")
    if out.rejected and not out.reads and not out.heartbeats:
        raise out.rejected[0]
    return out
