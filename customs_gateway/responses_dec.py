"""The China customs declaration's receipts (报关单回执) from the single window, by tables of their codes.

    >>> interpret_dec(root)      # -> [Answer], one per receipt

Two receipts answer a declaration (``DecMessage``). The import receipt ``DecImportResponse``
(namespace ``http://www.chinaport.gov.cn/dec``) says whether the single window took the message
in: ``ResponseCode`` 0, with the unified number ``SeqNo`` it gave the declarant's ``ClientSeqNo``;
any other code refused it, ``ErrorMessage`` says why. The business receipt ``DEC_RESULT`` (no
namespace) says what customs did with the declaration ``CUS_CIQ_NO`` (its unified number) and
``ENTRY_ID`` (the entry number, once given): ``CHANNEL`` is the processing code, ``NOTE`` the
text, ``NOTICE_DATE`` when. A new code is a row, not code.
"""

from __future__ import annotations

from lxml import etree

from customs_gateway.records import local, text
from customs_gateway.responses import Answer

# DEC_RESULT CHANNEL (the single window's declaration receipt codes) -> the gateway's trigger; "" for
# a notice that decides nothing (files to resend, the port's own gate notices).
DEC_CHANNEL: dict[str, str] = {
    "7": "receive",  # 申报成功: declared to customs' pre-entry system
    "L": "accept",  # 海关已接收 / 入库成功: registered by customs
    "G": "accept",  # 报关单已审结: concluded
    "J": "accept",  # 通关无纸化审结: concluded (paperless)
    "W": "accept",  # 海关无纸验放通知（审结）: concluded, paperless inspection and release notice
    "M": "review",  # 报关单重审: examined again
    "H": "review",  # 海关挂起，需手工申报: suspended, to be declared by hand
    "C": "inspect",  # 出口查验通知: inspection notice
    "S": "inspect",  # 施检: inspected by the inspection service
    "T": "assess",  # 需交税费: duties to pay
    "B": "release",  # 担保放行: released under guarantee
    "K": "release",  # 通关无纸化担保放行: released under guarantee (paperless)
    "I": "release",  # 海关无纸放行通知: released (paperless)
    "F": "release",  # 放行交单: released, documents to hand in
    "P": "release",  # 海关已放行: released
    "R": "release",  # 已结关: cleared, the declaration is closed
    "E": "reject",  # 海关退单/不受理: returned, not accepted
    "Y": "reject",  # 申报失败: declaration failed
    "Z": "reject",  # 退回修改: returned for correction
    "D": "cancel",  # 海关删单: deleted by customs
    "A": "",  # 海关放行前删除或者异常处理: deleted before release or handled as an exception
    "N": "",  # 重传文件: files to resend
    "X": "",  # 准予进港: admitted into the bonded port area (Yangshan)
}
#: DecImportResponse: 0 taken in, anything else refused
IMPORT_ACCEPTED = "0"


def interpret_dec(root: etree._Element) -> list[Answer]:
    """The receipt's answer: a DEC_RESULT's by its CHANNEL, an import receipt's by its ResponseCode."""
    if local(root) == "DEC_RESULT":
        channel, number, entry = text(root, "CHANNEL"), text(root, "CUS_CIQ_NO"), text(root, "ENTRY_ID")
        return [
            Answer(
                family="DEC_RESULT",
                trigger=DEC_CHANNEL.get(channel, ""),
                status_code=channel,
                reasons=[{"code": channel, "text": text(root, "NOTE")}],
                message_id=f"{number}:{channel}:{text(root, 'NOTICE_DATE')}",
                business_reference=number,
                registration_number=entry,
                issued=text(root, "NOTICE_DATE"),
                authority=text(root, "CUSTOM_MASTER"),
            )
        ]
    code = text(root, "ResponseCode")
    return [
        Answer(
            family="DecImportResponse",
            trigger="receive" if code == IMPORT_ACCEPTED else "reject",
            status_code=code,
            reasons=[{"code": code, "text": text(root, "ErrorMessage")}],
            message_id=f"{text(root, 'ClientSeqNo')}:{text(root, 'SeqNo')}:{code}",
            business_reference=text(root, "ClientSeqNo"),
            registration_number=text(root, "SeqNo"),
        )
    ]
