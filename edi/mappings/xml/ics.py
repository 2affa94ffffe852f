"""ICS (the EU's Import Control System): the CC315A entry summary declaration, its CC313A amendment, the answers.

CC315A and CC313A: one CUSTOMS DECL event each, naming the LRN (``RefNumHEA4``) or the MRN
amended (``DocNumHEA5``) as DEC, the commercial and
transport references (TRD), the containers of its goods items and the conveyance reference
(the voyage); the authority is the office of first entry. Its answers (CC328A registered,
CC316A rejected, CC304A/CC305A amendment, CC351A do not load) and HMRC's synchronous
``SuccessResponse``/``ErrorResponse`` are read by the customs gateway
(:data:`customs_gateway.responses_eu.ICS_ANSWERS`). Times are taken as UTC.
"""

from edi.mappings.xml import Fact

FAMILY = "eu-ics"
TYPE_FROM = ("/MesTypMES20", "#root")
HEADER = {
    "reference": ("/MesIdeMES19", "/ResponseData/CorrelationId"),
    "sender": ("/MesSenMES3", "/Error/RaisedBy"),
    "recipient": ("/MesRecMES6",),
    "function": (),
    "version": ("@SchemaVersion",),
    "created": ("/HEAHEA/DecDatTimHEA114",),
}
NAMESPACES = {"": "http://ics.dgtaxud.ec/{type}"}
TIME_ZONE = "UTC"
AUTHORITY = ("/CUSOFFFENT730/RefNumCUSOFFFENT731", "recipient")  # the office of first entry
ITEMS = "/GOOITEGDS"


def _entry_summary(time: tuple[str, ...]) -> Fact:
    return Fact(
        scope="",
        event=("CUSTOMS", "DECL", "ACT"),
        time=time,
        references=(
            ("DEC", ("/HEAHEA/RefNumHEA4",)),
            ("DEC", ("/HEAHEA/DocNumHEA5",)),
            ("TRD", ("/HEAHEA/ComRefNumHEA",)),
            ("TRD", (f"{ITEMS}/ComRefNumGIM1",)),
            ("TRD", (f"{ITEMS}/PRODOCDC2/DocRefDC23",)),
        ),
        containers=(f"{ITEMS}/CONNR2/ConNumNR21",),
        vessel_id=("/HEAHEA/IdeOfMeaOfTraCroHEA85",),
        voyage=("/HEAHEA/ConRefNumHEA",),
        parties=(("DDR", ("/PERLODSUMDEC/TINPLD1",)), ("CA", ("/TRACARENT601/TINTRACARENT602",))),
    )


class Declaration:
    FAMILY = FAMILY
    TYPES = {"CC315A": "ics-cc315a.xsd", "CC313A": "ics-cc313a.xsd"}
    FACTS = {
        "CC315A": [_entry_summary(("/HEAHEA/DecDatTimHEA114", "/DatOfPreMES9"))],
        "CC313A": [_entry_summary(("/HEAHEA/DatTimAmeHEA113", "/DatOfPreMES9"))],
    }


class Answers:
    FAMILY = FAMILY
    TYPES = {t: f"ics-{t.lower()}.xsd" for t in ("CC328A", "CC316A", "CC304A", "CC305A", "CC351A")}
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"


class HmrcAnswers(Answers):
    FAMILY = "hmrc-response"
    TYPES = {"SuccessResponse": "hmrc-success-response.xsd", "ErrorResponse": "hmrc-error-response.xsd"}
    TYPE_FROM = ("#root",)
    NAMESPACES = {}  # HMRC's own response namespaces, as they come


TABLES = (Declaration, Answers, HmrcAnswers)
