"""Messages whose composites php-edifact's directory data had cut short are read as the UN directory defines them."""

from edi.translate import translate_bytes

D97A_STATUS = (
    "UNA:+.? 'UNB+UNOC:3+MAEU:ZZZ+LOGIHUB:ZZZ+261201:0930+IFT0001'UNH+1+IFTSTA:D:97A:UN'BGM+23+ST1+9'"
    "DTM+137:202612010930:203'NAD+CA+MAEU:160:ZZZ'CNI+1+MAEU261234567'STS+1+AE::ZZZ'"
    "DTM+334:202611301415:203'LOC+5+CNSHA:139:6'TDT+20+645W+1++MAEU:172:20+++9778791:146:11:MAERSK ESSEN'"
    "EQD+CN+MSKU9070323+45G1:102:5'UNT+11+1'UNZ+1+IFT0001'"
)
D99B_INSTRUCTION = (
    "UNB+UNOC:3+FWDCO:ZZZ+MAEU:ZZZ+261201:1200+INS1'UNH+INS1+IFTMIN:D:99B:UN'BGM+340+SI261201+9'"
    "DTM+137:202612011200:203'RFF+BN:261234567'TDT+20+645W+1++MAEU:172:20+++9778791:146:11:MAERSK ESSEN'"
    "LOC+9+CNSHA:139:6'NAD+CZ+++SHANGHAI EXPORTERS+88 PUDONG AVENUE:BUILDING 2+SHANGHAI++200120+CN'"
    "GID+1+1000:CT'EQD+CN+MSKU9070323+45G1:102:5+2+5'UNT+10+INS1'UNZ+1+INS1'"
)


def _problems(document):
    message = document["messages"][0]
    return [(i["code"], i["position"].get("tag")) for i in message["errors"] + message["warnings"]]


def test_a_d97a_party_identifier_and_vessel_are_not_too_many_components():
    document = translate_bytes(D97A_STATUS.encode())
    assert document["messages"][0]["status"] == "accepted"
    assert ("16", "NAD") not in _problems(document) and ("16", "TDT") not in _problems(document)
    (event,) = document["events"]
    assert event["transportCall"]["vessel"] == {"vesselIMONumber": "9778791", "vesselName": "MAERSK ESSEN"}


def test_a_d99b_street_address_does_not_reject_the_instruction():
    document = translate_bytes(D99B_INSTRUCTION.encode())
    assert document["messages"][0]["status"] == "accepted", _problems(document)
    assert document["events"]
