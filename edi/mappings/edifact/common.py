"""Code tables every EDIFACT mapping shares: UN code -> canonical code, one dict per data element.

Each table is keyed by the UN/EDIFACT code (UNCL, the element named in the comment) and reads
as the mapping it is; the per-message tables (``codeco.py`` ...) name which qualifiers they use.
A qualifier missing from the message's directory code list is reported by :mod:`edi.map`;
one that the directory knows but no table uses is read past silently (it carries no fact we keep).
"""

from __future__ import annotations

#: 8067 mode of transport -> DCSA ``modeOfTransport``.
MODE_OF_TRANSPORT = {"1": "VESSEL", "2": "RAIL", "3": "TRUCK", "4": "AIR", "8": "BARGE"}

#: 8179 type of means of transport -> the mode (8067) it implies, for a TDT that names no mode of its own
#: (Australia's and New Zealand's customs messages: TDT+20+6901++6 a flight, TDT+20+123++11 a ship).
MEANS_MODES = {
    "6": "4",  # aircraft
    "8": "1",  # container ship
    "11": "1",  # ship
    "13": "1",  # ocean vessel
    "16": "8",  # barge
    "31": "3",  # truck
}

#: 8169 full/empty indicator -> DCSA ``emptyIndicatorCode`` (partly filled counts as laden).
EMPTY_INDICATOR = {
    "1": "LADEN",  # more than one quarter volume available
    "2": "LADEN",  # more than half volume available
    "3": "LADEN",  # more than three quarters volume available
    "4": "EMPTY",
    "5": "LADEN",  # full
    "6": "LADEN",  # no volume available
    "7": "LADEN",  # full, mixed consignment (LCL)
    "8": "LADEN",  # full, single consignment (FCL)
}

#: 1153 reference qualifier -> DCSA/logihub ``documentReferenceType``.
DOCUMENT_REFERENCES = {
    "BN": "BKG",  # booking reference number
    "BM": "TRD",  # bill of lading number
    "MB": "TRD",  # master bill of lading number
    "BH": "TRD",  # house bill of lading number
    "HB": "TRD",  # house bill of lading (partners' spelling, not in UNCL 1153)
    "AAS": "TRD",  # transport document number
    "AAM": "TRD",  # waybill number
    "AWB": "TRD",  # air waybill number
    "MWB": "TRD",  # master air waybill number (1001 741, as DOC reads it)
    "HWB": "TRD",  # house waybill number (1001 703, as DOC reads it)
    "ABT": "DEC",  # customs declaration number
    "AAE": "DEC",  # goods declaration number
    "ABE": "DEC",  # declarant's reference number (the LRN)
    "AVX": "DEC",  # movement reference number (the MRN customs give a declaration; D13B and later)
    "AEI": "DEC",  # registration number of previous Customs declaration (what an amendment replaces)
    "AFB": "MAN",  # cargo manifest number
    "XC": "MAN",  # cargo control number, the consignment as the carrier reported it (Canada's CCN; D03B and later)
    "CT": "CTR",  # contract number
    "ON": "CTR",  # order number (purchase)
    "AKF": "CTR",  # transport equipment stuffing order (COSTCO, COSTOR; D00B and later)
}

#: 1001 document name code of a DOC segment -> ``documentReferenceType`` of its number (C503 1004).
DOCUMENT_TYPES = {
    "703": "TRD",  # house waybill
    "704": "TRD",  # master bill of lading
    "705": "TRD",  # bill of lading
    "706": "TRD",  # bill of lading original
    "707": "TRD",  # bill of lading copy
    "710": "TRD",  # sea waybill
    "714": "TRD",  # house bill of lading
    "720": "TRD",  # rail consignment note
    "740": "TRD",  # air waybill
    "741": "TRD",  # master air waybill
    "785": "MAN",  # cargo manifest
    "933": "MAN",  # cargo declaration (arrival)
    "830": "DEC",  # goods declaration for exportation
    "913": "DEC",  # customs declaration without commercial detail
    "914": "DEC",  # customs declaration with commercial and item detail
    "915": "DEC",  # customs declaration without item detail
    "929": "DEC",  # goods declaration for importation
    "960": "DEC",  # single administrative document
}

#: 1153 qualifiers that carry the voyage, the vessel or a container number rather than a document.
VOYAGE_REFERENCES = frozenset({"VON"})
EQUIPMENT_REFERENCES = frozenset({"EQ"})

#: 2379 date/time format -> the layout of the value (Z: a UTC offset or zone follows).
DATE_FORMATS = {
    "101": "YYMMDD",
    "102": "CCYYMMDD",
    "201": "YYMMDDHHMM",
    "202": "YYMMDDHHMMSS",
    "203": "CCYYMMDDHHMM",
    "204": "CCYYMMDDHHMMSS",
    "205": "CCYYMMDDHHMMZ",
    "206": "YYMMDDHHMMZ",  # ZHHMM: a signed offset, as 205
    "207": "YYMMDDHHMMSSZ",
    "208": "CCYYMMDDHHMMSSZ",
    "301": "YYMMDDHHMMZ",
    "302": "YYMMDDHHMMSSZ",
    "303": "CCYYMMDDHHMMZ",
    "304": "CCYYMMDDHHMMSSZ",
}
#: 2379 formats written day (or month) first -> (the year-first format, slices that reorder the value).
DAY_FIRST_FORMATS = {
    "2": ("101", ((4, 6), (2, 4), (0, 2))),  # DDMMYY
    "3": ("101", ((4, 6), (0, 2), (2, 4))),  # MMDDYY
    "4": ("102", ((4, 8), (2, 4), (0, 2))),  # DDMMCCYY
    "5": ("203", ((4, 8), (2, 4), (0, 2), (8, 12))),  # DDMMCCYYHHMM
}
#: 2379 formats with a part the plain layout has not -> (the plain format, where the part starts, the part):
#: 10 writes a time designator between date and time, 307 adds milliseconds (events keep whole seconds).
EXTENDED_FORMATS = {
    "10": ("203", 8, r"[Tt]"),  # CCYYMMDDTHHMM
    "307": ("204", 14, r"\d{3}"),  # CCYYMMDDHHMMSSFFF
}
#: 2379 period formats (start and end, without a hyphen or, as partners also write them, with one)
#: -> the format of each end; an event time read from a period is its start.
PERIOD_FORMATS = {
    "711": "102",  # CCYYMMDD-CCYYMMDD
    "713": "201",  # YYMMDDHHMM-YYMMDDHHMM
    "717": "101",  # YYMMDD-YYMMDD
    "718": "102",  # CCYYMMDD-CCYYMMDD
    "719": "203",  # CCYYMMDDHHMM-CCYYMMDDHHMM
}

#: 1225 message functions that withdraw what an earlier report of the same document said: a
#: replacement states the document anew (what it no longer states is withdrawn), a cancellation or
#: deletion yields no event (a cancelled gate-out is not a gate-out) and withdraws the report's. A
#: table maps them through its ``FUNCTION_EVENTS`` instead (a cancelled declaration is CNCL).
WITHDRAWING_FUNCTIONS = {"5": "replacement", "1": "cancellation", "3": "deletion", "50": "withdrawal"}

#: 2005 qualifiers of the message's own date (eventCreatedDateTime).
CREATED_TIMES = ("137", "97", "182")

#: LOC's first related place (C519) names the terminal or facility (SMDG's terminal list 72, the
#: partner's TER/ZZZ, BIC) unless its code list (1131) or agency (3055) says it is a country or region.
NOT_FACILITY_LISTS = frozenset({"162", "163", "3207"})
NOT_FACILITY_AGENCIES = frozenset({"5"})

#: 1131 / 3055 of C222 (means of transport identification) that say "this is an IMO/Lloyd's number".
IMO_LISTS = frozenset({"146"})
IMO_AGENCIES = frozenset({"11"})
CALL_SIGN_LISTS = frozenset({"103"})

#: NAD 3035 party function -> DCSA party function code.
PARTY_FUNCTIONS = {
    "CZ": "OS",  # consignor -> original shipper
    "SH": "OS",
    "CN": "CN",  # consignee
    "NI": "N1",  # notify party
    "N1": "N1",
    "FW": "FW",  # freight forwarder
    "CA": "CA",  # carrier
    "CF": "CA",  # container operator
    "DDR": "DDR",
}

#: 2005 qualifiers of a vessel's arrival or departure (TDT group) -> (transportEventTypeCode, eventClassifierCode).
#: 136 "transport means departure date/time" states a departure that happened (SMDG's ATD), so ACT;
#: the earliest/ultimate times (196, 208, 231, 233) are constraints, not facts, and map to nothing.
VESSEL_TIMES = {
    "132": ("ARRI", "EST"),  # transport means arrival date/time, estimated
    "178": ("ARRI", "ACT"),  # transport means arrival date/time, actual
    "232": ("ARRI", "PLN"),  # transport means arrival date/time, scheduled
    "133": ("DEPA", "EST"),  # transport means departure date/time, estimated
    "136": ("DEPA", "ACT"),  # transport means departure date/time
    "186": ("DEPA", "ACT"),  # transport means departure date/time, actual
    "189": ("DEPA", "PLN"),  # transport means departure date/time, scheduled
}
#: 3227 places a vessel arrives at / departs from, by preference, when the LOC before a date is not one.
ARRIVAL_PORTS = ("153", "11", "12", "60", "24", "61", "13", "8")
DEPARTURE_PORTS = ("153", "9", "5", "13", "76")


def vessel_calls(arrival: tuple[str, ...] = ARRIVAL_PORTS, departure: tuple[str, ...] = DEPARTURE_PORTS) -> dict:
    """A table's ``VESSEL_CALLS``: every vessel time of :data:`VESSEL_TIMES` with the ports it may happen at."""
    return {
        qualifier: (code, classifier, arrival if code == "ARRI" else departure)
        for qualifier, (code, classifier) in VESSEL_TIMES.items()
    }
