"""The tracking store's models, one module per concern, importable from ``tracking.models``."""

from tracking.models.access import Access, Claim
from tracking.models.event import Event, EventAssertion, EventParty, Withdrawal
from tracking.models.parties import ApiKey, Party
from tracking.models.references import Equipment, Location, Shipment, ShipmentEquipment, TransportCall, Vessel
from tracking.models.status import ContainerStatus, ShipmentStatus
from tracking.models.webhooks import Delivery, InterchangeSequence, OutboundMessage, Subscription

__all__ = [
    "Access",
    "ApiKey",
    "Claim",
    "ContainerStatus",
    "Delivery",
    "Equipment",
    "InterchangeSequence",
    "OutboundMessage",
    "Event",
    "EventAssertion",
    "EventParty",
    "Location",
    "Party",
    "Shipment",
    "ShipmentEquipment",
    "ShipmentStatus",
    "Subscription",
    "TransportCall",
    "Vessel",
    "Withdrawal",
]
