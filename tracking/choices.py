"""Choices of the tracking store; values are the codes of the standards (DCSA, ours for CUSTOMS)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyRole(models.TextChoices):
    FORWARDER = "forwarder", _("Freight forwarder")
    CARRIER = "carrier", _("Carrier")
    TERMINAL = "terminal", _("Terminal")
    PORT = "port", _("Port")
    CUSTOMS = "customs", _("Customs")
    INSPECTION = "inspection", _("Inspection agency")
    READER_OPERATOR = "reader-operator", _("Reader operator")


class EventType(models.TextChoices):
    EQUIPMENT = "EQUIPMENT", _("Equipment")
    TRANSPORT = "TRANSPORT", _("Transport")
    SHIPMENT = "SHIPMENT", _("Shipment")
    CUSTOMS = "CUSTOMS", _("Customs")


class EventClassifier(models.TextChoices):
    ACTUAL = "ACT", _("Actual")
    PLANNED = "PLN", _("Planned")
    ESTIMATED = "EST", _("Estimated")


class EquipmentEventType(models.TextChoices):
    LOAD = "LOAD", _("Loaded")
    DISC = "DISC", _("Discharged")
    GTIN = "GTIN", _("Gated in")
    GTOT = "GTOT", _("Gated out")
    STUF = "STUF", _("Stuffed")
    STRP = "STRP", _("Stripped")
    PICK = "PICK", _("Picked up")
    DROP = "DROP", _("Dropped off")
    INSP = "INSP", _("Inspected")
    RSEA = "RSEA", _("Resealed")
    RMVD = "RMVD", _("Removed")


class TransportEventType(models.TextChoices):
    ARRI = "ARRI", _("Arrived")
    DEPA = "DEPA", _("Departed")


class ShipmentEventType(models.TextChoices):
    RECE = "RECE", _("Received")
    DRFT = "DRFT", _("Drafted")
    PENA = "PENA", _("Pending approval")
    PENU = "PENU", _("Pending update")
    REJE = "REJE", _("Rejected")
    APPR = "APPR", _("Approved")
    ISSU = "ISSU", _("Issued")
    SURR = "SURR", _("Surrendered")
    SUBM = "SUBM", _("Submitted")
    VOID = "VOID", _("Void")
    CONF = "CONF", _("Confirmed")
    REQS = "REQS", _("Requested")
    CMPL = "CMPL", _("Completed")
    HOLD = "HOLD", _("On hold")
    RELS = "RELS", _("Released")


class CustomsEventType(models.TextChoices):
    DECL = "DECL", _("Declaration lodged")
    RCVD = "RCVD", _("Received by customs")
    ACPT = "ACPT", _("Accepted by customs")
    RJCT = "RJCT", _("Rejected by customs")
    DOCR = "DOCR", _("Documents requested")
    INSP = "INSP", _("Inspection ordered")
    HOLD = "HOLD", _("Held")
    RLSD = "RLSD", _("Released")
    REFU = "REFU", _("Release refused")
    CNCL = "CNCL", _("Cancelled")
    AMND = "AMND", _("Amendment accepted")
    TAXA = "TAXA", _("Duty assessed")


class DocumentReferenceType(models.TextChoices):
    BKG = "BKG", _("Booking")
    TRD = "TRD", _("Transport document")
    DEC = "DEC", _("Customs declaration")
    MAN = "MAN", _("Manifest")
    CTR = "CTR", _("Contract or order")


TYPE_CODE_FIELD = {
    EventType.EQUIPMENT: "equipmentEventTypeCode",
    EventType.TRANSPORT: "transportEventTypeCode",
    EventType.SHIPMENT: "shipmentEventTypeCode",
    EventType.CUSTOMS: "customsEventTypeCode",
}


class ShipmentKind(models.TextChoices):
    """What a shipment reference is: DCSA's document reference types for bookings and bills of lading."""

    BKG = "BKG", _("Booking")
    TRD = "TRD", _("Bill of lading")


# ShipmentKind.values builds its list anew at each use; the store asks it for every event of a batch
SHIPMENT_KINDS: tuple[str, ...] = tuple(ShipmentKind.values)


class AccessKind(models.TextChoices):
    """What an access grant opens: a container or a shipment by one of its references."""

    EQUIPMENT = "EQ", _("Container")
    BKG = "BKG", _("Booking")
    TRD = "TRD", _("Bill of lading")


class AccessReason(models.TextChoices):
    """Why a party may see a container or shipment."""

    SOURCE = "source", _("Sent a message about it")
    NAMED = "named", _("Named in a message")
    PROVEN = "proven", _("Proved container and bill of lading")


class ClaimState(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROVEN = "proven", _("Proven")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Retrying")
    DEAD = "dead", _("Dead")


class DeliveryKind(models.TextChoices):
    EVENT = "event", _("Event")
    WITHDRAWN = "withdrawn", _("Event withdrawn")
    RESTORED = "restored", _("Event current again")


class PushFormat(models.TextChoices):
    JSON = "json", _("JSON (one event per request)")
    EDIFACT = "edifact", _("EDIFACT (one interchange per batch)")


class OutboundType(models.TextChoices):
    IFTSTA = "IFTSTA", _("IFTSTA (status report)")
    CODECO = "CODECO", _("CODECO (gate in and out)")
    COARRI = "COARRI", _("COARRI (loads and discharges)")


class AnswerState(models.TextChoices):
    NONE = "", _("Not answered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REJECTED = "rejected", _("Rejected")
