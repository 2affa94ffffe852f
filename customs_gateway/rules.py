"""What each message type requires for each function code, beyond its schema: a table, checked in one place.

Which function codes a type has at all is :data:`customs_gateway.manifest_types.FUNCTIONS`
(the published definitions: an application to change a manifest's course has main data only).
The XSDs describe the union of a message type's structures over its function codes (main
data, amendment, deletion); which elements a given function code requires is data here,
as the authority's own per-function-code definitions say (a deletion or amendment names its
change reason; main data names the carrier, the vessel's name and each bill's consignor).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from customs_gateway import manifest_types
from customs_gateway.exceptions import ERRORS, InvalidMessage

if TYPE_CHECKING:
    from customs_gateway.records import Submission

# (message type, function code) -> paths (from Declaration) that must be present and not empty;
# "Consignment/..." paths must be present in every consignment.
REQUIRED: dict[tuple[str, str], tuple[str, ...]] = {
    ("MT1101", "9"): (
        "ExitCustomsOffice/ID",
        "Carrier/ID",
        "BorderTransportMeans/TypeCode",
        "BorderTransportMeans/Name",
        "BorderTransportMeans/DepartureDateTime",
        "Consignment/LoadingLocation/LoadingDate",
        "Consignment/UnloadingLocation/ID",
        "Consignment/FreightPayment/MethodCode",
        "Consignment/ConsignmentPackaging/QuantityQuantity",
        "Consignment/TotalGrossMassMeasure",
        "Consignment/Consignor/Name",
    ),
    ("MT2101", "9"): (
        "ExitCustomsOffice/ID",
        "Carrier/ID",
        "BorderTransportMeans/Name",
        "Consignment/LoadingLocation/LoadingDate",
        "Consignment/FreightPayment/MethodCode",
        "Consignment/ConsignmentPackaging/QuantityQuantity",
        "Consignment/TotalGrossMassMeasure",
        "Consignment/Consignor/Name",
        "Consignment/Consignor/Address/Line",
    ),
    # an amendment or deletion of any manifest, sea or air, says why for each bill
    **{
        (manifest, code): ("Consignment/TransportContractDocument/ChangeReasonCode",)
        for manifest in manifest_types.CARGO_REPORTS
        for code in ("5", "3")
    },
    # an arrival report says when the goods arrived; a tally report when it started and was completed
    **{(report, "2"): ("UnloadingLocation/ArrivalDate",) for report in ("MT3101", "MT3201", "MT3102", "MT3202")},
    **{
        (tally, "2"): ("BorderTransportMeans/ActualDateTime", "BorderTransportMeans/CompletedDateTime")
        for tally in ("MT5101", "MT5102", "MT5201", "MT5202")
    },
}


def _present(element, path: list[str]) -> bool:
    from customs_gateway.records import kids

    if not path:
        return bool((element.text or "").strip())
    return any(_present(child, path[1:]) for child in kids(element, path[0]))


def check(sub: Submission) -> None:
    """Raise :class:`InvalidMessage` naming the first required element the function code misses."""
    from customs_gateway.records import kid, kids

    allowed = manifest_types.FUNCTIONS.get(sub.message_type, ())
    if sub.standard == "cn-manifest" and sub.function_code not in allowed:
        raise InvalidMessage(
            ERRORS["function_code"]
            % {"function_code": sub.function_code, "message_type": sub.message_type, "allowed": ", ".join(allowed)},
            code="function_code",
            position={"path": "/Manifest/Head/FunctionCode"},
        )
    if sub.standard == "wco-dms" and not sub.business_reference:  # what it is known by until customs registers it
        raise InvalidMessage(
            ERRORS["required"]
            % {"function_code": sub.function_code, "message_type": sub.message_type, "path": "FunctionalReferenceID"},
            code="required",
            position={"path": "/MetaData/Declaration/FunctionalReferenceID"},
        )
    needed = REQUIRED.get((sub.message_type, sub.function_code), ())
    body = kid(sub.root, "Declaration")
    for path in needed:
        parts = path.split("/")
        if parts[0] == "Consignment":
            for index, consignment in enumerate(kids(body, "Consignment"), start=1):
                if not _present(consignment, parts[1:]):
                    raise InvalidMessage(
                        ERRORS["required"]
                        % {"function_code": sub.function_code, "message_type": sub.message_type, "path": path},
                        code="required",
                        position={"path": f"/Manifest/Declaration/Consignment[{index}]/{'/'.join(parts[1:])}"},
                    )
        elif body is not None and not _present(body, parts):
            raise InvalidMessage(
                ERRORS["required"]
                % {"function_code": sub.function_code, "message_type": sub.message_type, "path": path},
                code="required",
                position={"path": f"/Manifest/Declaration/{path}"},
            )
