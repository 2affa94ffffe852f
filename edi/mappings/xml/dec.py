"""China customs declarations (报关单, 海关总署 2018 年第 67 号公告) and the single window's receipts.

A ``DecMessage`` (namespace ``http://www.chinaport.gov.cn/dec``) is one CUSTOMS DECL event: the
declaration's numbers are its references (DEC: the entry number ``EntryId`` customs gives, the
unified number ``SeqNo``, the pre-entry number and the declarant's own ``ClientSeqNo``), the bill
of lading ``BillNo`` (TRD) and the containers ``DecContainers/Container/ContainerId``; the
declarant is ``AgentCode``; the office ``CustomMaster``.

Its receipts are read by the customs gateway (:mod:`customs_gateway.responses_dec`): the import
receipt ``DecImportResponse`` (ResponseCode 0: taken in by the single window, else refused) and
the business receipt ``DEC_RESULT`` (no namespace), whose ``CHANNEL`` says what customs did
(:data:`customs_gateway.responses_dec.DEC_CHANNEL`: L registered, P released, K released under
guarantee, E returned, D deleted ...). Times are China's.
"""

from edi.mappings.xml import Fact

FAMILY = "china-dec"
TYPE_FROM = ("#root",)
DEC = "http://www.chinaport.gov.cn/dec"
TIME_ZONE = "Asia/Shanghai"
DEFAULT_AUTHORITY = "CN-GACC"


class Declarations:
    FAMILY = FAMILY
    TYPES = {"DecMessage": "dec.xsd"}
    HEADER = {
        "reference": ("/DecSign/ClientSeqNo", "/DecHead/SeqNo", "/DecHead/EntryId"),
        "sender": ("/DecHead/AgentCode", "/DecSign/CopCode"),
        "recipient": ("/DecHead/CustomMaster",),
        "function": ("/DecSign/OperType",),
        "version": ("@version",),
        "created": ("/DecSign/SignDate",),
    }
    NAMESPACES = {"*": DEC}
    AUTHORITY = ("/DecHead/CustomMaster",)
    FACTS = {
        "DecMessage": [
            Fact(
                scope="/DecHead",
                event=("CUSTOMS", "DECL", "ACT"),
                time=("/DecSign/SignDate",),
                references=(
                    ("DEC", ("EntryId",)),
                    ("DEC", ("SeqNo",)),
                    ("DEC", ("PreEntryId",)),
                    ("DEC", ("/DecSign/ClientSeqNo",)),
                    ("TRD", ("BillNo",)),
                ),
                containers=("/DecContainers/Container/ContainerId",),
                parties=(("DDR", ("AgentCode",)),),
            )
        ]
    }


class _Receipt:
    FAMILY = FAMILY
    HEADER = {
        "reference": ("/CUS_CIQ_NO", "/ClientSeqNo", "/SeqNo"),
        "sender": ("/CUSTOM_MASTER",),
        "recipient": (),
        "function": (),
        "version": (),
        "created": ("/NOTICE_DATE",),
    }
    AUTHORITY = ("/CUSTOM_MASTER",)
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"


class ImportReceipts(_Receipt):
    TYPES = {"DecImportResponse": "dec.xsd"}
    NAMESPACES = {"*": DEC}


class BusinessReceipts(_Receipt):
    TYPES = {"DEC_RESULT": "dec-result.xsd"}
    NAMESPACES = {"*": ""}  # published without a namespace: one a sender added is read without


TABLES = (Declarations, ImportReceipts, BusinessReceipts)
