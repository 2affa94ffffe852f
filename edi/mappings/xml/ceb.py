"""GACC cross-border e-commerce (跨境电商, 202205 edition): the enterprises' lodgements and their receipts.

Every business message has one shape: records under the root (``Order``, ``Inventory``,
``Logistics`` ...), each with a head (``OrderHead`` ...) or flat, opened by ``guid``,
``appType``, ``appTime``, ``appStatus``, then the BaseTransfer block and the signature. Each
record is one CUSTOMS DECL event (the lodgement), a cancellation application (CEB605, CEB623)
CNCL; ``appType`` 3 (withdrawal) is CNCL too; a record only saved (``appStatus`` 1, 暂存), not
lodged (2, 申报), states no fact and is reported so. The record's numbers are its references: the
enterprise's number ``copNo``, the inventory ``invtNo``/``preNo`` and summary ``sumNo`` (DEC),
the order ``orderNo`` (CTR), the bill ``billNo`` and the carrier's waybill ``logisticsNo``
(TRD); ``voyageNo`` is the voyage. Every receipt (CEB312, CEB622 ..., ``*Return`` with
``returnStatus``) is read by the customs gateway (:data:`customs_gateway.responses_ceb.CEB_STATUS`):
one event per returned record; CEB900 (format check failed, status below 0) a rejection, a CEB816
tax bill (and CEB818 naming it generated) TAXA with the duties as reasons. Times are China's; the authority is the customs code the
record names.
"""

from edi.mappings.xml import Fact

FAMILY = "china-ceb"
TYPE_FROM = ("#root",)
HEADER = {
    "reference": ("@guid", "/*/guid", "/*/*Head/guid"),
    "sender": ("/BaseTransfer/copCode", "/*/*Head/ebpCode", "/*/ebpCode", "/*/ebcCode", "/*/agentCode"),
    # the customs office a record is lodged with; BaseTransfer/dxpId is the SENDER's DXP user number
    "recipient": ("/*/*Head/customsCode", "/*/customsCode"),
    "function": ("/*/*Head/appType", "/*/appType"),
    "version": ("@version",),
    "created": ("/*/*Head/appTime", "/*/appTime", "/*/returnTime"),
}
NAMESPACES = {"*": "http://www.chinaport.gov.cn/ceb"}
TIME_ZONE = "Asia/Shanghai"
AUTHORITY = ("customsCode", "../customsCode", "/*/customsCode", "/*/*Head/customsCode")
DEFAULT_AUTHORITY = "CN-GACC"

#: the business messages: import order 311, payment 411, logistics 511, logistics status 513,
#: inventory 621, inventory cancellation 623, refund 625, delivery 711; export order 303,
#: collection 403, logistics 505, arrival 507, departure 509, inventory 603, cancellation 605,
#: waybill 607, refund 213/215, summary application 701, summary result 792.
BUSINESS = ("CEB311", "CEB411", "CEB511", "CEB513", "CEB621", "CEB623", "CEB625", "CEB711")
BUSINESS += ("CEB303", "CEB403", "CEB505", "CEB507", "CEB509", "CEB603", "CEB605", "CEB607", "CEB213", "CEB215")
BUSINESS += ("CEB701", "CEB792")
ROOT_NAME = "{type}Message"  # a root written without "Message" (CEB214) is read as if it had it
CANCELLATIONS = frozenset({"CEB605", "CEB623"})
WITHDRAWN = {"3": ("CUSTOMS", "CNCL", "ACT")}
#: ``appStatus`` 1 (暂存): the enterprise saved the record without lodging it (2, 申报, lodges it)
DRAFT = frozenset({"1"})


def _record(scope: str, event: tuple) -> Fact:
    return Fact(
        scope=scope,
        requires="guid",
        event=event,
        by_function=WITHDRAWN,
        function=("appType",),
        draft=("appStatus", DRAFT),
        time=("appTime", "declTime", "logisticsTime", "opDate"),
        references=(
            ("DEC", ("copNo",)),
            ("DEC", ("invtNo",)),
            ("DEC", ("preNo",)),
            ("DEC", ("sumNo",)),
            ("DEC", ("payTransactionId",)),  # a payment's own number (CEB411), as its receipt CEB412 names it
            ("DEC", ("rkdNo",)),  # the warehousing-entry number customs gives a delivery (CEB711/712)
            ("CTR", ("orderNo",)),
            ("TRD", ("billNo",)),
            ("TRD", ("logisticsNo",)),
        ),
        voyage=("voyageNo",),
        parties=(("ECP", ("ebpCode",)), ("ECE", ("ebcCode",)), ("AG", ("agentCode",)), ("LSP", ("logisticsCode",))),
    )


def _facts(message_type: str) -> list[Fact]:
    event = ("CUSTOMS", "CNCL" if message_type in CANCELLATIONS else "DECL", "ACT")
    return [_record("/*/*Head", event), _record("/*", event)]  # a record with a head, or a flat one


class Declarations:
    FAMILY = FAMILY
    TYPES = dict.fromkeys(BUSINESS, "ceb.xsd")
    FACTS = {t: _facts(t) for t in BUSINESS}


class Receipts:
    FAMILY = FAMILY
    #: the receipts of the 202205 edition; any other CEB message of the same ``*Return`` shape is read too
    TYPES = dict.fromkeys(("CEB312", "CEB622", "CEB304", "CEB604", "CEB214", "CEB216", "CEB404", "CEB412"), "ceb.xsd")
    TYPES |= dict.fromkeys(("CEB506", "CEB508", "CEB510", "CEB512", "CEB514", "CEB606", "CEB608"), "ceb.xsd")
    TYPES |= dict.fromkeys(("CEB624", "CEB626", "CEB702", "CEB712"), "ceb.xsd")
    #: the format-check receipt (returnStatus < 0), the electronic tax bill and its status
    TYPES |= dict.fromkeys(("CEB900", "CEB816", "CEB818"), "ceb.xsd")
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"
    BUSINESS_REFERENCE_BY_TYPE = {"CEB312": "CTR", "CEB304": "CTR", "CEB404": "CTR"}


TABLES = (Declarations, Receipts)
