"""China Customs new manifest system (进出境舱单), the sea messages -> canonical events.

MT1101 original (import) and MT2101 pre-allocated (export) manifests: one CUSTOMS DECL event
per bill (``Consignment``), with its containers, the vessel (``BorderTransportMeans/ID``, the IMO
number written ``UN`` + 7 digits) and voyage (``JourneyID``); FunctionCode 9 main data, 0
secondary data, 5 amendment and 2 (addition) are lodgements (DECL), 3 a deletion (CNCL, as
CUSCAR's 1225 = 1). MT3101 arrival report: the vessel's TRANSPORT ARRI. MT4101 loading
manifest: EQUIPMENT LOAD per container. MT5101 import tally: DISC per container; MT5102 export
tally: LOAD per container. A deletion (3) of a report of a move states no move: no event.
The manifest reference (MAN: type, vessel and voyage), the bills and their containers are the
customs gateway's own reading of the manifest (:func:`customs_gateway.records.extract`).
Times without a zone are China's (the port's own zone when its UN/LOCODE says so).
"""

from edi.mappings.xml import Fact

FAMILY = "china-manifest"
TYPE_FROM = ("/Head/MessageType", "#namespace")
TYPES = {t: f"{t}.xsd" for t in ("MT1101", "MT2101", "MT3101", "MT4101", "MT5101", "MT5102")}
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
#: the manifest's reference, its bills and their containers are the customs gateway's reading
#: (customs_gateway.records.extract): ``#submission.<field>``, and ``#bill.<field>`` for the n-th bill.
MAN = ("MAN", ("#submission.business_reference",))
VESSEL = {
    "vessel_id": (f"{MEANS}/ID",),
    "vessel_name": (f"{MEANS}/Name",),
    "voyage": (f"{MEANS}/JourneyID",),
    "mode": "VESSEL",
}
CONTAINER = {
    "equipment": "EquipmentIdentification/ID",
    "size_type": ("CharacteristicCode",),
    "fullness": ("FullnessCode",),
    "stowage": ("TransportMeans/StowageLocationID",),  # the tallies' bay-row-tier
}
BILL_CONTAINERS = ("#bill.containers",)
PARTIES = (("CA", ("/Declaration/Carrier/ID",)), ("AG", ("/Declaration/Agent/ID",)), ("CN", ("Consignee/ID",)))


def _declaration(place: tuple[str, ...]) -> Fact:
    return Fact(
        scope="/Declaration/Consignment",
        event=("CUSTOMS", "DECL", "ACT"),
        by_function={"3": ("CUSTOMS", "CNCL", "ACT")},
        time=("/Head/SendTime",),
        place=place,
        references=(MAN, ("TRD", ("#bill.number",)), ("TRD", ("#bill.house_number",))),
        containers=BILL_CONTAINERS,
        parties=PARTIES,
        **VESSEL,
    )


def _move(scope: str, code: str, time: tuple[str, ...], place: tuple[str, ...], bill: str) -> Fact:
    return Fact(
        scope=scope,
        event=("EQUIPMENT", code, "ACT"),
        by_function={"3": None},
        time=time,
        place=place,
        references=(MAN, ("TRD", (bill,))),
        **CONTAINER,
        **VESSEL,
    )


FACTS = {
    "MT1101": [_declaration(("UnloadingLocation/ID", f"{MEANS}/FirstArrivalLocationID", "GoodsReceiptPlace/ID"))],
    "MT2101": [_declaration(("LoadingLocation/ID", "/Declaration/LoadingLocation/ID", "GoodsReceiptPlace/ID"))],
    "MT3101": [
        Fact(
            scope="",
            event=("TRANSPORT", "ARRI", "ACT"),
            by_function={"3": None},
            time=(f"{MEANS}/ArrivalDateTime", "/Declaration/UnloadingLocation/ArrivalDate", "/Head/SendTime"),
            place=("/Declaration/UnloadingLocation/ID", f"{MEANS}/UnloadingLocation/ID"),
            references=(MAN,),
            **VESSEL,
        )
    ],
    "MT4101": [
        _move(
            "/Declaration/Consignment/TransportEquipment",
            "LOAD",
            ("../LoadingLocation/LoadingDate", f"{MEANS}/ActualDateTime", "/Head/SendTime"),
            ("../LoadingLocation/ID", "/Declaration/LoadingLocation/ID"),
            "../TransportContractDocument/ID",
        ),
        _move(
            "/Declaration/TransportEquipment",
            "LOAD",
            ("/Declaration/LoadingLocation/LoadingDate", f"{MEANS}/ActualDateTime", "/Head/SendTime"),
            ("/Declaration/LoadingLocation/ID", "/Declaration/Consignment/LoadingLocation/ID"),
            "/Declaration/Consignment/TransportContractDocument/ID",
        ),
    ],
    "MT5101": [
        _move(
            "/Declaration/TransportEquipment",
            "DISC",
            (f"{MEANS}/CompletedDateTime", f"{MEANS}/ActualDateTime", "/Head/SendTime"),
            (f"{MEANS}/UnloadingLocation/ID", "/Declaration/UnloadingLocation/ID"),
            "/Declaration/Consignment/TransportContractDocument/ID",
        )
    ],
    "MT5102": [
        _move(
            "/Declaration/TransportEquipment",
            "LOAD",
            (f"{MEANS}/CompletedDateTime", f"{MEANS}/ActualDateTime", "/Head/SendTime"),
            (f"{MEANS}/LoadingLocation/ID", "/Declaration/LoadingLocation/ID"),
            "/Declaration/Consignment/TransportContractDocument/ID",
        )
    ],
}
