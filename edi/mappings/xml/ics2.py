"""ICS2 (the EU's Import Control System 2): entry summary filings, their amendments, and customs' answers.

A filing (IE3F10-IE3F51: sea, air, express, postal, road, rail) or an amendment (IE3A10-IE3A51,
naming the MRN it amends) is one CUSTOMS DECL event naming its LRN/MRN (DEC), the master and
house transport documents (TRD), the containers, the active means of transport and its voyage
(conveyance reference); the declarant is the party filing. Customs' answers are read by the
customs gateway (:data:`customs_gateway.responses_eu.ICS2_ANSWERS`): IE3R01 registered (ACPT,
with the MRN), IE3N03 assessment complete (ACPT), IE3N10 amended, IE3R07 invalidated, the error
notifications IE3N01/IE3N07/IE3N99 (RJCT), referrals (IE3N02, IE3N04, IE3Q02: DOCR), screening and
controls (IE3N05, IE3N08, IE3N09, IE3Q03: INSP) and do not load (IE3Q01: HOLD). Times carry
their zone; one without is UTC.
"""

from edi.mappings.xml import Fact

FAMILY = "eu-ics2"
TYPE_FROM = ("#root",)
NAMESPACE = "urn:wco:datamodel:eu:ics2:2"
HEADER = {
    "reference": ("/LRN", "/MRN"),
    "sender": ("/declarant/identificationNumber", "/carrier/identificationNumber"),
    "recipient": ("/addressedMemberState/country", "/responsibleMemberState/country"),
    "function": (),
    "version": (),
    "created": ("/documentIssueDate/DateTime", "/registrationDate/DateTime", "/notificationDate/DateTime"),
}
NAMESPACES = {"*": NAMESPACE}
TIME_ZONE = "UTC"
ZONE_FROM_PLACE = False
AUTHORITY = ("/customsOfficeOfFirstEntry/referenceNumber", "/addressedMemberState/country", "recipient")
SCHEMA = "ics2.xsd"
FILINGS = tuple(f"IE3F{n}" for n in range(10, 52)) + tuple(f"IE3A{n}" for n in range(10, 52))
#: customs' requests, notifications and responses (customs_gateway.responses_eu.ICS2_ANSWERS)
ANSWERS = tuple(f"IE3Q0{n}" for n in (1, 2, 3)) + tuple(f"IE3N{n:02d}" for n in (*range(1, 12), 99))
ANSWERS += tuple(f"IE3R0{n}" for n in (1, 4, 5, 6, 7, 8))

MASTER = ("/consignmentMasterLevel", "/consignmentMasterLevel/consignmentHouseLevel")
DOCUMENTS = tuple(f"{level}/transportDocument*/documentNumber" for level in MASTER)
CONTAINERS = tuple(f"{level}/transportEquipment/containerIdentificationNumber" for level in MASTER)


class Filings:
    FAMILY = FAMILY
    TYPES = dict.fromkeys(FILINGS, SCHEMA)
    FACTS = {
        t: [
            Fact(
                scope="",
                event=("CUSTOMS", "DECL", "ACT"),
                time=("/documentIssueDate/DateTime",),
                references=(("DEC", ("/LRN",)), ("DEC", ("/MRN",)), *(("TRD", (path,)) for path in DOCUMENTS)),
                containers=CONTAINERS,
                vessel_id=("/activeBorderTransportMeans/identificationNumber",),
                voyage=("/activeBorderTransportMeans/conveyanceReferenceNumber",),
                parties=(("DDR", ("/declarant/identificationNumber",)), ("CA", ("/carrier/identificationNumber",))),
            )
        ]
        for t in FILINGS
    }


class Answers:
    FAMILY = FAMILY
    TYPES = dict.fromkeys(ANSWERS, SCHEMA)
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"


TABLES = (Filings, Answers)
