"""What every China new-manifest table shares: the head, the zone, the authority, and the fact builders.

The manifest reference (MAN: type, vessel or flight, and voyage), the bills and their containers
of a manifest are the customs gateway's own reading (:func:`customs_gateway.records.extract`):
``#submission.<field>`` (``manifest_reference``: the MAN, also of an application whose own
business reference adds its first bill), and ``#bill.<field>`` for the n-th bill. Times without a zone are
China's (the port's own zone when its UN/LOCODE says so).
"""

from __future__ import annotations

from typing import Any

from edi.mappings.xml import Fact, Paths

FAMILY = "china-manifest"
#: the type the head names; an answer to a transfer check repeats the check's type (MT8105) over a
#: Response body, so it is told apart first (``MT8105-RESPONSE``)
TYPE_FROM = (("/Response/../Head/MessageType", "{}-RESPONSE"), "/Head/MessageType", "#namespace")
HEADER = {
    "reference": ("/Head/MessageID",),
    "sender": ("/Head/SenderID",),
    "recipient": ("/Head/ReceiverID",),
    "function": ("/Head/FunctionCode",),
    "version": ("/Head/Version",),
    "created": ("/Head/SendTime",),
}
NAMESPACES = {"Manifest": "urn:Declaration:datamodel:standard:CN:{type}:1"}
TIME_ZONE = "Asia/Shanghai"
#: the customs office: declared, else the one written after the port (``CNSHA/2248``), else the receiver
AUTHORITY = (
    "/Declaration/DeclarationOfficeID",
    "office:UnloadingLocation/ID",
    "office:LoadingLocation/ID",
    "office:/Declaration/UnloadingLocation/ID",
    "recipient",
)

MEANS = "/Declaration/BorderTransportMeans"
SENT = ("/Head/SendTime",)
MAN = ("MAN", ("#submission.manifest_reference",))
#: a ship: its IMO number (``UN`` + 7 digits), name and voyage
VESSEL: dict[str, Any] = {
    "vessel_id": (f"{MEANS}/ID",),
    "vessel_name": (f"{MEANS}/Name",),
    "voyage": (f"{MEANS}/JourneyID",),
    "mode": "VESSEL",
}
#: a flight: its number is the voyage; the aircraft's registration is no vessel and is not read
FLIGHT: dict[str, Any] = {"voyage": (f"{MEANS}/JourneyID",), "mode": "AIR"}
CONTAINER = {
    "equipment": "EquipmentIdentification/ID",
    "size_type": ("CharacteristicCode",),
    "fullness": ("FullnessCode",),
    "stowage": ("TransportMeans/StowageLocationID",),  # the tallies' bay-row-tier
}
BILL_CONTAINERS = ("#bill.containers",)
PARTIES = (("CA", ("/Declaration/Carrier/ID",)), ("AG", ("/Declaration/Agent/ID",)), ("CN", ("Consignee/ID",)))
BILL = ("TRD", ("TransportContractDocument/ID", "AssociatedTransportDocument/ID"))


def declaration(place: Paths, means: dict[str, Any]) -> Fact:
    """A manifest: one DECL per bill (9 main, 0 secondary, 5 amendment, 2 addition), CNCL for a deletion (3)."""
    return Fact(
        scope="/Declaration/Consignment",
        event=("CUSTOMS", "DECL", "ACT"),
        by_function={"3": ("CUSTOMS", "CNCL", "ACT")},
        time=SENT,
        place=place,
        references=(MAN, ("TRD", ("#bill.number",)), ("TRD", ("#bill.house_number",))),
        containers=BILL_CONTAINERS,
        parties=PARTIES,
        **means,
    )


def move(scope: str, code: str, time: Paths, place: Paths, bill: str) -> Fact:
    """A report of a container's move (LOAD, DISC, GTIN): one event per container; a deletion states no move."""
    return Fact(
        scope=scope,
        event=("EQUIPMENT", code, "ACT"),
        by_function={"3": None},
        time=time,
        place=place,
        references=(MAN, ("TRD", (bill,))) if bill else (MAN,),
        **CONTAINER,
        **VESSEL,
    )


def lodged(scope: str, means: dict[str, Any], *, place: Paths = (), references: tuple = (), containers: Paths = (),
           man: bool = True) -> Fact:  # fmt: skip
    """A report or application lodged with customs: one DECL per bill it names; its deletion (3) states none.

    What the authority is told (an arrival, a tally, a distribution, a change of course) is the
    lodgement, dated when it was sent; the change it asks for is not yet a fact.
    """
    return Fact(
        scope=scope,
        event=("CUSTOMS", "DECL", "ACT"),
        by_function={"3": None},
        time=SENT,
        place=place,
        references=((MAN,) if man else ()) + (references or (BILL,)),
        containers=containers,
        parties=(("CA", ("/Declaration/Carrier/ID",)),),
        **means,
    )
