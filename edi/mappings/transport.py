"""The transport of an event: which TDT of its chain is the call (vessel, truck, train, barge), and the vessel.

A table's ``TRANSPORT`` says which: ``vessel`` (the message's own vessel first: a container's TDT
group is its on-carriage), ``inland`` (the container's own truck, train or barge) or ``any``
(the innermost TDT: a status's own transport). C222 gives the vessel: an IMO number (code list
146, agency 11, or seven digits, also written with its IMO or UN label), a call sign (103), a name.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from edi.mappings.edifact import common
from edi.mappings.scopes import Scope, every, find, status_scope
from edi.mappings.values import imo_problem

INVALID = "12"
INLAND_MODES = frozenset({"2", "3", "8"})
#: A radio call sign (ITU prefix, then letters and digits): 3 to 7 characters with a letter in them.
CALL_SIGN_RE = re.compile(r"(?=.*[A-Z])[A-Z0-9]{3,7}\Z")
#: An IMO number written with its label: IMO (as on the hull) or UN (China's manifests).
IMO_PREFIXED_RE = re.compile(r"(?:IMO|UN)[\s:-]*([0-9]{7})\Z")


#: The ends of a leg an event happens at: a loading or departure at its port of loading (LOC 9) or
#: place of departure (5), a discharge or arrival at its port of discharge (11) or destination (8).
LEG_ENDS = {
    "LOAD": ("9", "5"),
    "DEPA": ("9", "5"),
    "DISC": ("11", "8"),
    "ARRI": ("11", "8"),
}


def transport_call(
    how: str, chain: list[Scope], ctx: Any, mode: str | None = None, leg: tuple[str, str | None] | None = None
) -> dict:
    """The transport call of an event: ``how`` is the table's ``TRANSPORT`` (vessel, inland or any).

    ``mode``: the mode of transport (8067) the event's own status code implies (unloaded from a vessel,
    loaded on rail): a TDT of another mode outside the status's own group is some other leg's, not read.
    ``leg``: (the event's type code, its UN/LOCODE); with ``any``, a status that lists the route's
    TDT groups (the first vessel to a transhipment port, the second from it) is on the one whose group
    names its place at the matching end: a loading there onto the vessel leaving it (LOC 9), a discharge
    there off the one arriving (LOC 11)."""
    tdts = every(chain, "TDT")
    if how == "any" and leg is not None and len(tdts) > 1:
        tdts = _leg_first(tdts, chain, *leg)
    if mode and tdts:
        # the status's own group: the chain's first scope, or the one its container's group is in;
        # of its TDTs (a route: the truck, the train, the vessel), one of the status's mode first
        status = status_scope(chain) or chain[0]
        own = status.segments.get("TDT", ())
        tdts = [t for t in tdts if t in own or mode_of(t) in ("", mode)]
        tdts.sort(key=lambda t: not _of_mode(t, mode))
    vessel_tdt = inland = main = None
    if tdts:
        root_tdts = chain[-1].segments.get("TDT", ())
        # the vessel of a vessel's report (discharge, loading, bayplan, manifest) is the message's
        # own: a container's TDT group is its on-carriage (a feeder), not the ship it came off; so is
        # the vessel of a gate move or an order (inland): the header's main carriage, not the on-carriage
        # (TDT 30) a container's group may name beside its truck
        first_root = how in ("vessel", "inland")
        ordered = [*root_tdts, *(t for t in tdts if t not in root_tdts)] if first_root else tdts
        # a message whose main carriage is not at sea (an air cargo report: TDT+20++4, the flight) has no
        # vessel: a TDT of a consignment that names no mode is not one then
        main = _main_carriage_not_at_sea(root_tdts) if how == "vessel" else None
        for t in ordered:
            mode = mode_of(t)
            if vessel_tdt is None and (mode == "1" or (not mode and t.get(1) == "20" and main is None)):
                vessel_tdt = t
            if inland is None and mode in INLAND_MODES and t not in root_tdts:
                inland = t
    call: dict[str, Any] = {}
    chosen = {"vessel": vessel_tdt or main, "inland": inland or vessel_tdt}.get(how) or (tdts[0] if tdts else None)
    if chosen is not None:
        mode = common.MODE_OF_TRANSPORT.get(mode_of(chosen))
        if mode is None and chosen is vessel_tdt:
            mode = "VESSEL"
        if mode:
            call["modeOfTransport"] = mode
        if chosen is inland and mode_of(chosen) == "3":
            plate = chosen.get(8).strip() or chosen.get(8, 4).strip()
            if plate:
                call["truckLicensePlate"] = plate[:35]
    if vessel_tdt is not None:
        vessel = vessel_of(vessel_tdt, ctx)
        if vessel:
            call["vessel"] = vessel
        voyage = vessel_tdt.get(2).strip()
        if voyage:
            call["carrierVoyageNumber"] = voyage[:50]
    elif main is not None and chosen is main and main.get(2).strip():
        call["carrierVoyageNumber"] = main.get(2).strip()[:50]  # a flight's number (8028) is its voyage
    if "carrierVoyageNumber" not in call:
        von = find(chain, "RFF", common.VOYAGE_REFERENCES)
        if von is not None and von.get(1, 2).strip():
            call["carrierVoyageNumber"] = von.get(1, 2).strip()[:50]
    return call


def mode_of(tdt: Any) -> str:
    """A TDT's mode of transport (C220 8067), else the one its type of means (C228 8179) implies, else ''."""
    return tdt.get(3).strip() or common.MEANS_MODES.get(tdt.get(4).strip(), "")


#: Segments a TDT group holds before or between its LOC groups (a place after others of them is still the leg's).
LEG_GROUP = frozenset(
    {"TDT", "DTM", "LOC", "RFF", "FTX", "TSR", "SCC", "SEL", "MEA", "DIM", "EQN", "TCC", "MOA", "TPL"}
)


def carriage_leg(body: list, place: Any) -> Any:
    """The TDT whose group a LOC stands in (walking back over that group's segments), or None: a header
    place, or one of a party's or a container's group."""
    index = place.number - body[0].number if body else -1  # the body's segments are numbered in a row
    if not 0 <= index < len(body) or body[index] is not place:
        index = next((i for i, seg in enumerate(body) if seg is place), None)
    while index:
        index -= 1
        seg = body[index]
        if seg.tag == "TDT":
            return seg
        if seg.tag not in LEG_GROUP:
            return None
    return None


def off_vessel_leg(call: dict, chain: list[Scope], body: list, locode: str) -> None:
    """A document's place (a booking's place of receipt, LOC 88) that stands in the group of a pre- or
    on-carriage by truck, rail or barge (TDT 10/30 with 8067 3, 2, 8) is where that leg runs, not a call
    of the main carriage's vessel: the call keeps the leg's mode and drops the vessel and voyage. A place
    the message also names elsewhere (the vessel's port of loading, a header place) stays the vessel's."""
    places = [seg for scope in chain for seg in scope.segments.get("LOC", ()) if seg.get(2).strip().upper() == locode]
    legs = [carriage_leg(body, place) for place in places]
    if not legs or any(leg is None or mode_of(leg) not in INLAND_MODES for leg in legs):
        return
    leg = legs[0]
    call.pop("vessel", None)
    call.pop("carrierVoyageNumber", None)
    call["modeOfTransport"] = common.MODE_OF_TRANSPORT[mode_of(leg)]


def _main_carriage_not_at_sea(root_tdts: Any) -> Any:
    """The message's main carriage (TDT 8051 20) when it names a mode (8067) other than maritime, else None."""
    return next((t for t in root_tdts if t.get(1) == "20" and mode_of(t) not in ("", "1")), None)


def _of_mode(tdt: Any, mode: str) -> bool:
    """Whether a TDT is of the mode (8067): its own, or a main carriage (20) that names none, at sea."""
    own = mode_of(tdt)
    return own == mode or (not own and mode == "1" and tdt.get(1) == "20")


class Leg(NamedTuple):
    """The TDT group an event's place ends: its scope, its TDT and where the next TDT of the scope starts."""

    scope: Scope
    tdt: Any
    until: int | None


def leg_of(chain: list[Scope], code: str, locode: str | None) -> Leg | None:
    """The first TDT group of ``chain`` whose LOC names ``locode`` at the end :data:`LEG_ENDS` gives ``code``."""
    ends = LEG_ENDS.get(code)
    if not ends or not locode:
        return None
    for scope in chain:
        own = scope.segments.get("TDT", ())
        places = scope.segments.get("LOC", ())
        for index, tdt in enumerate(own):
            until = own[index + 1].number if index + 1 < len(own) else None
            for loc in places:
                if in_leg(loc, tdt, until) and loc.get(1) in ends and loc.get(2).strip().upper() == locode:
                    return Leg(scope, tdt, until)
    return None


def in_leg(seg: Any, tdt: Any, until: int | None) -> bool:
    """Whether a segment of the TDT's scope stands in that TDT's group (after it, before the next TDT)."""
    return tdt.number < seg.number and (until is None or seg.number < until)


def _leg_first(tdts: list, chain: list[Scope], code: str, locode: str | None) -> list:
    """``tdts`` with the TDT of the event's leg (:func:`leg_of`) first."""
    leg = leg_of([scope for scope in chain if any(t in tdts for t in scope.segments.get("TDT", ()))], code, locode)
    if leg is None or leg.tdt not in tdts:
        return tdts
    return [leg.tdt, *(t for t in tdts if t is not leg.tdt)]


def vessel_of(tdt: Any, ctx: Any) -> dict:
    """The vessel a TDT names (C222: IMO number or call sign by its code list, and name), flagging a bad IMO."""
    ident, code_list, agency, name = (tdt.get(8, i).strip() for i in (1, 2, 3, 4))
    prefixed = IMO_PREFIXED_RE.match(ident.upper())
    if prefixed:  # "IMO9703291", "IMO 9703291", China's "UN9703291": the IMO number with its label
        ident = prefixed.group(1)
    vessel: dict[str, str] = {}
    if ident and (
        code_list in common.IMO_LISTS or agency in common.IMO_AGENCIES or (len(ident) == 7 and ident.isdigit())
    ):
        if len(ident) == 7 and ident.isdigit():
            vessel["vesselIMONumber"] = ident
            problem = imo_problem(ident)
            if problem:
                ctx.report(INVALID, f"Vessel: {problem} (mapped, flagged)", tdt, element=8)
        elif CALL_SIGN_RE.match(ident.upper()):
            # terminals' systems often label the radio call sign (A8BI5, VREG2) with the IMO list 146
            vessel["vesselCallSignNumber"] = ident.upper()
            ctx.report(
                INVALID, f"Vessel {ident!r} under the IMO number list is a call sign: read as one", tdt, element=8
            )
        else:
            ctx.report(INVALID, f"Vessel IMO number {ident!r} is not 7 digits", tdt, element=8)
    elif ident and code_list in common.CALL_SIGN_LISTS:
        vessel["vesselCallSignNumber"] = ident
    if name:
        vessel["vesselName"] = name[:35]
    return vessel
