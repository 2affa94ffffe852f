"""Customs XML whose bytes are not the encoding it declares (or XML assumes): refused, naming what they are."""

import pytest

from edi.customs_xml import translate_xml
from edi.exceptions import ParseError
from edi.parse.xml import parse_xml

RECEIPT = (
    '<CEB622Message xmlns="http://www.chinaport.gov.cn/ceb" guid="A1" version="1.0"><InventoryReturn>'
    "<guid>A1</guid><customsCode>5141</customsCode><ebpCode>4403169D3W</ebpCode><ebcCode>4403169D3W</ebcCode>"
    "<agentCode>4403180ABC</agentCode><copNo>LH2026112500001</copNo><preNo>B20261125000000001</preNo>"
    "<invtNo>51412026I000001208</invtNo><returnStatus>800</returnStatus><returnTime>20261125160000000</returnTime>"
    "<returnInfo>[Code:2600;Desc:放行]</returnInfo></InventoryReturn></CEB622Message>"
)


@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0" encoding="UTF-8"?>'])
def test_gbk_bytes_without_their_encoding_are_refused_naming_the_charset_to_declare(declaration):
    body = (declaration + RECEIPT).encode("gbk")
    with pytest.raises(ParseError) as caught:
        parse_xml(body)
    assert 'declare encoding="GB18030"' in caught.value.message and caught.value.position.line == 1
    document = translate_xml(body).document
    assert document["messages"][0]["status"] == "rejected"
    assert "GB18030" in document["errors"][0]["message"]


def test_gbk_bytes_under_their_own_declaration_are_read():
    body = ('<?xml version="1.0" encoding="GBK"?>' + RECEIPT).encode("gbk")
    assert translate_xml(body).document["messages"][0]["status"] == "accepted"


def test_bytes_that_are_no_chinese_charset_either_keep_the_parsers_own_words():
    with pytest.raises(ParseError) as caught:
        parse_xml(b"<a>\xff\xff\xff</a>")
    assert caught.value.message.startswith("XML is not well-formed")
