"""GACC cross-border e-commerce (跨境电商, 202205 edition): orders, inventories and their receipts.

CEB311 import order / CEB303 export order: one CUSTOMS DECL event per ``Order``, naming the
order (CTR) and the e-commerce platform; CEB621 import / CEB603 export inventory (the customs
list of the goods): one DECL per ``Inventory``, naming the enterprise's number and the
inventory number (DEC), the order (CTR), the bill (TRD) and the voyage. ``appType`` 1 is a
new lodgement, 2 a change (DECL), 3 a withdrawal (CNCL). Every receipt (CEB312, CEB622 ...,
``*Return`` with ``returnStatus``) is read by the customs gateway
(:data:`customs_gateway.responses.CEB_STATUS`): one event per returned document.
Times are China's; the authority is the customs code the document names.
"""

from edi.mappings.xml import Fact

FAMILY = "china-ceb"
TYPE_FROM = ("#root",)
HEADER = {
    "reference": ("@guid", "/*/guid"),
    "sender": ("/BaseTransfer/copCode", "/*/ebpCode", "/*/ebcCode", "/*/agentCode"),
    "recipient": ("/*/customsCode", "/BaseTransfer/dxpId"),
    "function": ("/*/appType",),
    "version": ("@version",),
    "created": ("/*/appTime", "/*/returnTime"),
}
NAMESPACES = {"*": "http://www.chinaport.gov.cn/ceb"}
TIME_ZONE = "Asia/Shanghai"
AUTHORITY = ("customsCode", "../customsCode", "/*/customsCode")
DEFAULT_AUTHORITY = "CN-GACC"
CHANGE = {"3": ("CUSTOMS", "CNCL", "ACT")}


def _order(head: str) -> Fact:
    return Fact(
        scope=f"/Order/{head}",
        event=("CUSTOMS", "DECL", "ACT"),
        by_function=CHANGE,
        function=("appType",),
        time=("appTime",),
        references=(("CTR", ("orderNo",)),),
        parties=(("ECP", ("ebpCode",)), ("ECE", ("ebcCode",))),
    )


def _inventory() -> Fact:
    return Fact(
        scope="/Inventory/InventoryHead",
        event=("CUSTOMS", "DECL", "ACT"),
        by_function=CHANGE,
        function=("appType",),
        time=("appTime", "declTime"),
        references=(
            ("DEC", ("copNo",)),
            ("DEC", ("invtNo",)),
            ("DEC", ("preNo",)),
            ("CTR", ("orderNo",)),
            ("TRD", ("billNo",)),
        ),
        voyage=("voyageNo",),
        parties=(("ECP", ("ebpCode",)), ("ECE", ("ebcCode",)), ("AG", ("agentCode",))),
    )


class Declarations:
    FAMILY = FAMILY
    TYPES = {"CEB311": "ceb.xsd", "CEB303": None, "CEB621": "ceb.xsd", "CEB603": None}
    FACTS = {
        "CEB311": [_order("OrderHead")],
        "CEB303": [_order("OrderHead")],
        "CEB621": [_inventory()],
        "CEB603": [_inventory()],
    }


class Receipts:
    FAMILY = FAMILY
    #: the receipts of the 202205 edition; any other CEB message of the same ``*Return`` shape is read too
    TYPES = {"CEB312": "ceb.xsd", "CEB622": "ceb.xsd", "CEB304": None, "CEB604": None, "CEB412": None}
    TYPES |= {"CEB506": None, "CEB508": None, "CEB510": None, "CEB514": None, "CEB624": None, "CEB626": None}
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"
    BUSINESS_REFERENCE_BY_TYPE = {"CEB312": "CTR", "CEB304": "CTR"}


TABLES = (Declarations, Receipts)
