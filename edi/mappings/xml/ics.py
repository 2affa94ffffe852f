"""ICS (the EU's Import Control System): the CC315A entry summary declaration and its answers.

CC315A: one CUSTOMS DECL event, naming the LRN (``RefNumHEA4``, DEC), the commercial and
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
AUTHORITY = ("/CUSOFFFENT730/RefNumOFFENT731", "recipient")
ITEMS = "/GOOITEGDS"


class Declaration:
    FAMILY = FAMILY
    TYPES = {"CC315A": "ics-cc315a.xsd"}
    FACTS = {
        "CC315A": [
            Fact(
                scope="",
                event=("CUSTOMS", "DECL", "ACT"),
                time=("/HEAHEA/DecDatTimHEA114",),
                references=(
                    ("DEC", ("/HEAHEA/RefNumHEA4",)),
                    ("TRD", ("/HEAHEA/ComRefNumHEA",)),
                    ("TRD", (f"{ITEMS}/ComRefNumGIM1",)),
                    ("TRD", (f"{ITEMS}/PRODOCDC2/DocRefDC23",)),
                ),
                containers=(f"{ITEMS}/CONNR2/ConNumNR21",),
                vessel_id=("/HEAHEA/IdeOfMeaOfTraCroHEA85",),
                voyage=("/HEAHEA/ConRefNumHEA",),
                parties=(("DDR", ("/PERLODSUMDEC/TINPLD1",)), ("CA", ("/TRACARENT601/TINTRACARENT602",))),
            )
        ]
    }


class Answers:
    FAMILY = FAMILY
    TYPES = {t: None for t in ("CC328A", "CC316A", "CC304A", "CC305A", "CC351A")}
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"


class HmrcAnswers(Answers):
    FAMILY = "hmrc-response"
    TYPES = {"SuccessResponse": None, "ErrorResponse": None}
    TYPE_FROM = ("#root",)


TABLES = (Declaration, Answers, HmrcAnswers)
