"""Applications that steer a manifest's cargo (进出境舱单: 分流, 分拨, 装箱清单, 改靠港, 落货, 变更, 转运) -> events.

Each is lodged with customs and asks for something not yet done, so the fact is the lodgement:
one CUSTOMS DECL per bill (a relation, for the transfer check), dated when it was sent, naming
the bills, the ship (sea: IMO number, voyage) or flight (air: number as the voyage, AIR), and the
containers where the message ties them to the bill. A deletion (3) withdraws it: no event.

- MT6101/MT6201 distribution (分流/疏港) and MT6102/MT6202 dispatch (分拨) applications: the bills
  to be moved from the port of discharge (the event's place) to another supervised place.
- MT7101 packing list (装箱清单, sea export): per container each bill packed in it, the
  container's loading place as the place.
- MT8101/MT8201 change of port of arrival, MT8102/MT8202 off-load (落货), MT8103/MT8203 change of
  transport after off-load and MT8104/MT8204 before it: the bills of the present ship or flight;
  a changed bill's new number (``ChangeConsignment``) is a second TRD, its containers are named.
- MT8105/MT8205 international transfer check (国际转运准单): each relation pairs the import bill with
  the export bill it leaves on: both TRD, the containers of both sides; it names two ships or
  flights, so no transport call.
- MTECIM/MTECEX empty container movements (空集装箱调运): the bills of the empty containers.
"""

from edi.mappings.xml.china_manifest.common import (
    AUTHORITY,
    BILL,
    FAMILY,
    FLIGHT,
    HEADER,
    MEANS,
    NAMESPACES,
    TIME_ZONE,
    TYPE_FROM,
    VESSEL,
    lodged,
)

__all__ = ["AUTHORITY", "FACTS", "FAMILY", "HEADER", "NAMESPACES", "TIME_ZONE", "TYPES", "TYPE_FROM"]

SEA = ("MT6101", "MT6102", "MT7101", "MT8101", "MT8102", "MT8103", "MT8104", "MT8105", "MTECIM", "MTECEX")
AIR = ("MT6201", "MT6202", "MT8201", "MT8202", "MT8203", "MT8204", "MT8205")
TYPES = {t: f"{t}.xsd" for t in SEA + AIR}

BILLS = "/Declaration/Consignment"
CHANGED = (BILL, ("TRD", ("ChangeConsignment/TransportContractDocument/ID",)))
RELATION = (
    ("TRD", ("ImportInformation/Consignment/TransportContractDocument/ID",)),
    ("TRD", ("ExportInformation/Consignment/TransportContractDocument/ID",)),
)
EXCHANGED = ("TransportEquipment/ImportTransportEquipment/ID", "TransportEquipment/ExportTransportEquipment/ID")
CHANGED_CONTAINERS = ("ChangeConsignment/TransportEquipment/EquipmentIdentification/ID",)


def _pair(sea: str, air: str, **options) -> dict:
    return {sea: [lodged(BILLS, VESSEL, **options)], air: [lodged(BILLS, FLIGHT, **options)]}


FACTS = {
    **_pair("MT6101", "MT6201", place=(f"{MEANS}/UnloadingLocation/ID",)),
    **_pair("MT6102", "MT6202", place=(f"{MEANS}/UnloadingLocation/ID",)),
    **_pair("MT8101", "MT8201"),
    **_pair("MT8102", "MT8202"),
    **_pair("MT8103", "MT8203", references=CHANGED, containers=CHANGED_CONTAINERS),
    **_pair("MT8104", "MT8204", references=CHANGED),
    "MT7101": [
        lodged(
            "/Declaration/TransportEquipment/Consignment",
            VESSEL,
            place=("../LoadingLocation/ID",),
            containers=("../EquipmentIdentification/ID",),
        )
    ],
    "MT8105": [lodged("/Declaration/Relation", {}, references=RELATION, containers=EXCHANGED, man=False)],
    "MT8205": [lodged("/Declaration/Relation", {}, references=RELATION, containers=EXCHANGED, man=False)],
    "MTECIM": [lodged(BILLS, VESSEL)],
    "MTECEX": [lodged(BILLS, VESSEL)],
}
