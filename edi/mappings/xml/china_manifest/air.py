"""The air manifests and reports (进出境舱单, 空运) -> canonical events.

Every air message names the flight by its number (``JourneyID``, the event's ``carrierVoyageNumber``,
``modeOfTransport`` AIR); the aircraft's registration is no vessel and is not read. Air waybills
carry no containers (``TransportEquipment`` is 0..0 in every published air message), and an
EQUIPMENT event needs one, so each fact is about a waybill:

- MT1201 original (import) and MT2201 pre-allocated (export) manifests: one CUSTOMS DECL per
  waybill (9, 0, 5, 2), CNCL for a deletion (3), as MT1101/MT2101.
- MT3201 export arrival report and MT3202 import distribution/dispatch arrival report, MT4201
  loading manifest, MT5201 import and MT5202 export tally reports: the report lodged, one CUSTOMS
  DECL per waybill at the airport the report names. Which waybill was loaded or tallied when is
  not an event of ours without a container; a deletion (3) states nothing.
"""

from edi.mappings.xml.china_manifest.common import (
    AUTHORITY,
    FAMILY,
    FLIGHT,
    HEADER,
    MEANS,
    NAMESPACES,
    TIME_ZONE,
    TYPE_FROM,
    declaration,
    lodged,
)

__all__ = ["AUTHORITY", "FACTS", "FAMILY", "HEADER", "NAMESPACES", "TIME_ZONE", "TYPES", "TYPE_FROM"]

TYPES = {t: f"{t}.xsd" for t in ("MT1201", "MT2201", "MT3201", "MT3202", "MT4201", "MT5201", "MT5202")}
WAYBILLS = "/Declaration/Consignment"

FACTS = {
    "MT1201": [
        declaration(("UnloadingLocation/ID", f"{MEANS}/FirstArrivalLocationID", "GoodsReceiptPlace/ID"), FLIGHT)
    ],
    "MT2201": [declaration(("LoadingLocation/ID", "/Declaration/LoadingLocation/ID", "GoodsReceiptPlace/ID"), FLIGHT)],
    "MT3201": [lodged(WAYBILLS, FLIGHT, place=("/Declaration/UnloadingLocation/ID",))],
    "MT3202": [lodged(WAYBILLS, FLIGHT, place=("/Declaration/UnloadingLocation/ID",))],
    "MT4201": [lodged(WAYBILLS, FLIGHT, place=("LoadingLocation/ID",))],
    "MT5201": [lodged(WAYBILLS, FLIGHT, place=(f"{MEANS}/UnloadingLocation/ID",))],
    "MT5202": [lodged(WAYBILLS, FLIGHT, place=(f"{MEANS}/LoadingLocation/ID",))],
}
