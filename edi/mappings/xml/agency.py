"""An inspection agency's exchange with customs (UK: CDS <-> ALVS/IPAFFS, over SOAP).

The clearance request (``ALVSClearanceRequest``, customs -> agency) is the declaration as the
agency sees it: one CUSTOMS DECL event naming the entry (its MRN, DEC) and the declarant,
lodged by the system named in ``ServiceHeader/SourceSystem``. The agency's
``DecisionNotification`` is read by the customs gateway: each check's decision code (C
cleared, H hold, N refused, X/E no match) folds into one event for the entry: REFU if any
check is refused, HOLD if any is held, else RLSD, with every check's code and reasons.
Times without a zone are the UK's.
"""

from edi.mappings.xml import Fact

FAMILY = "soap"
TYPE_FROM = ("#root",)
HEADER = {
    "reference": ("/ServiceHeader/CorrelationId",),
    "sender": ("/ServiceHeader/SourceSystem",),
    "recipient": ("/ServiceHeader/DestinationSystem",),
    "function": (),
    "version": ("/Header/EntryVersionNumber",),
    "created": ("/ServiceHeader/ServiceCallTimestamp",),
}
NAMESPACES = {}
TIME_ZONE = "Europe/London"
AUTHORITY = ("/ServiceHeader/SourceSystem", "sender")


class ClearanceRequest:
    FAMILY = FAMILY
    TYPES = {"ALVSClearanceRequest": "agency.xsd"}
    FACTS = {
        "ALVSClearanceRequest": [
            Fact(
                scope="",
                event=("CUSTOMS", "DECL", "ACT"),
                time=("/ServiceHeader/ServiceCallTimestamp",),
                references=(("DEC", ("/Header/EntryReference",)), ("DEC", ("/Header/DeclarationUCR",))),
                parties=(("DDR", ("/Header/DeclarantId",)),),
            )
        ]
    }


class Decision:
    FAMILY = FAMILY
    TYPES = {"DecisionNotification": "agency.xsd"}
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"
    #: the agency's check states (customs_gateway.responses.AGENCY_DECISION), worst first
    CHECK_EVENTS = (("refused", "REFU"), ("held", "HOLD"), ("released", "RLSD"))


TABLES = (ClearanceRequest, Decision)
