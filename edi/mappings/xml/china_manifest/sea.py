"""The sea manifests and reports of moves (进出境舱单, 水运) -> canonical events.

- MT1101 original (import) and MT2101 pre-allocated (export) manifests: one CUSTOMS DECL per bill
  with its containers, the vessel (``BorderTransportMeans/ID``, the IMO number written ``UN`` + 7
  digits) and voyage (``JourneyID``); FunctionCode 9 main data, 0 secondary data, 5 amendment and 2
  (addition) are lodgements (DECL), 3 a deletion (CNCL, as CUSCAR's 1225 = 1).
- MT3101 is the export arrival report (出口运抵报告) and MT3102 the import distribution/dispatch
  arrival report (进口分流/分拨运抵报告): the operator of the supervised place tells customs the
  cargo has come in. Each container is an EQUIPMENT GTIN at that place (``UnloadingLocation``) at
  ``ArrivalDate``, and each bill a CUSTOMS DECL (the report lodged). The ship named is the one the
  cargo is to leave on or came with: the report says nothing of the ship's own arrival, so no
  TRANSPORT event.
- MT4101 loading manifest: EQUIPMENT LOAD per container. MT5101 import tally: DISC per container;
  MT5102 export tally: LOAD per container.
- A deletion (3) of a report of a move states no move: no event.
"""

from edi.mappings.xml.china_manifest.common import (
    AUTHORITY,
    FAMILY,
    HEADER,
    MEANS,
    NAMESPACES,
    SENT,
    TIME_ZONE,
    TYPE_FROM,
    VESSEL,
    declaration,
    lodged,
    move,
)

__all__ = ["AUTHORITY", "FACTS", "FAMILY", "HEADER", "NAMESPACES", "TIME_ZONE", "TYPES", "TYPE_FROM"]

TYPES = {t: f"{t}.xsd" for t in ("MT1101", "MT2101", "MT3101", "MT3102", "MT4101", "MT5101", "MT5102")}

ARRIVAL_PLACE = ("/Declaration/UnloadingLocation/ID",)
ARRIVED = ("/Declaration/UnloadingLocation/ArrivalDate", *SENT)


def _arrival() -> list:
    return [
        move("/Declaration/TransportEquipment", "GTIN", ARRIVED, ARRIVAL_PLACE, ""),
        lodged("/Declaration/Consignment", VESSEL, place=ARRIVAL_PLACE),
    ]


FACTS = {
    "MT1101": [
        declaration(("UnloadingLocation/ID", f"{MEANS}/FirstArrivalLocationID", "GoodsReceiptPlace/ID"), VESSEL)
    ],
    "MT2101": [declaration(("LoadingLocation/ID", "/Declaration/LoadingLocation/ID", "GoodsReceiptPlace/ID"), VESSEL)],
    "MT3101": _arrival(),
    "MT3102": _arrival(),
    "MT4101": [
        move(
            "/Declaration/Consignment/TransportEquipment",
            "LOAD",
            ("../LoadingLocation/LoadingDate", f"{MEANS}/ActualDateTime", *SENT),
            ("../LoadingLocation/ID", "/Declaration/LoadingLocation/ID"),
            "../TransportContractDocument/ID",
        ),
        move(
            "/Declaration/TransportEquipment",
            "LOAD",
            ("/Declaration/LoadingLocation/LoadingDate", f"{MEANS}/ActualDateTime", *SENT),
            ("/Declaration/LoadingLocation/ID", "/Declaration/Consignment/LoadingLocation/ID"),
            "/Declaration/Consignment/TransportContractDocument/ID",
        ),
    ],
    "MT5101": [
        move(
            "/Declaration/TransportEquipment",
            "DISC",
            (f"{MEANS}/CompletedDateTime", f"{MEANS}/ActualDateTime", *SENT),
            (f"{MEANS}/UnloadingLocation/ID", "/Declaration/UnloadingLocation/ID"),
            "/Declaration/Consignment/TransportContractDocument/ID",
        )
    ],
    "MT5102": [
        move(
            "/Declaration/TransportEquipment",
            "LOAD",
            (f"{MEANS}/CompletedDateTime", f"{MEANS}/ActualDateTime", *SENT),
            (f"{MEANS}/LoadingLocation/ID", "/Declaration/LoadingLocation/ID"),
            "/Declaration/Consignment/TransportContractDocument/ID",
        )
    ],
}
