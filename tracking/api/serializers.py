"""Serializers of the tracking API. They document the shapes (OpenAPI) as much as they render them.

The canonical event is served exactly as stored (``payload``); its declared fields are there
for the OpenAPI document, modelled on DCSA Track & Trace 2.2.
"""

from __future__ import annotations

from rest_framework import serializers

from tracking.choices import (
    CustomsEventType,
    DocumentReferenceType,
    EquipmentEventType,
    EventClassifier,
    EventType,
    ShipmentEventType,
    TransportEventType,
)
from tracking.filters import DOCUMENT_TYPE_CODES


class VesselSerializer(serializers.Serializer):
    vesselIMONumber = serializers.CharField()
    vesselName = serializers.CharField(required=False)


class EventVesselSerializer(serializers.Serializer):
    """The vessel of an event's call: a partner's message may name it by call sign or name alone."""

    vesselIMONumber = serializers.CharField(required=False)
    vesselCallSignNumber = serializers.CharField(required=False)
    vesselName = serializers.CharField(required=False)


class TransportCallSerializer(serializers.Serializer):
    transportCallID = serializers.CharField(help_text="UUID5 over the call's place, vessel, voyage and mode")
    UNLocationCode = serializers.CharField(required=False)
    facilityCode = serializers.CharField(required=False)
    modeOfTransport = serializers.CharField(required=False)
    vessel = EventVesselSerializer(required=False)
    carrierVoyageNumber = serializers.CharField(required=False)
    truckLicensePlate = serializers.CharField(required=False)


class DocumentReferenceSerializer(serializers.Serializer):
    documentReferenceType = serializers.ChoiceField(DocumentReferenceType.choices)
    documentReferenceValue = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(required=False)
    text = serializers.CharField(required=False)
    errorPoint = serializers.CharField(required=False, help_text="where in the answered message the reason points")


class PartySerializer(serializers.Serializer):
    partyEDIIdentity = serializers.CharField()
    partyFunction = serializers.CharField(required=False)
    partyName = serializers.CharField(required=False)


class EventSerializer(serializers.Serializer):
    """A canonical event (schemas/canonical-event.schema.json), served as stored."""

    eventID = serializers.UUIDField()
    eventType = serializers.ChoiceField(EventType.choices)
    eventClassifierCode = serializers.ChoiceField(EventClassifier.choices)
    eventDateTime = serializers.DateTimeField()
    eventCreatedDateTime = serializers.DateTimeField()
    equipmentEventTypeCode = serializers.ChoiceField(EquipmentEventType.choices, required=False)
    transportEventTypeCode = serializers.ChoiceField(TransportEventType.choices, required=False)
    shipmentEventTypeCode = serializers.ChoiceField(ShipmentEventType.choices, required=False)
    customsEventTypeCode = serializers.ChoiceField(CustomsEventType.choices, required=False)
    documentID = serializers.CharField(required=False, help_text="shipment events: the document's reference")
    documentTypeCode = serializers.ChoiceField(
        [(code, code) for code in DOCUMENT_TYPE_CODES], required=False, help_text="shipment events: DCSA's code"
    )
    customsAuthority = serializers.CharField(required=False)
    reasons = ReasonSerializer(many=True, required=False)
    equipmentReference = serializers.CharField(required=False)
    ISOEquipmentCode = serializers.CharField(required=False)
    emptyIndicatorCode = serializers.ChoiceField([("EMPTY", "EMPTY"), ("LADEN", "LADEN")], required=False)
    transportCall = TransportCallSerializer(required=False)
    documentReferences = DocumentReferenceSerializer(many=True, required=False)
    equipmentReferences = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="shipment events: the containers of the document"
    )
    stowagePosition = serializers.CharField(required=False)
    parties = PartySerializer(many=True, required=False)
    source = serializers.DictField(required=False)

    def to_representation(self, instance) -> dict:
        return instance.payload if hasattr(instance, "payload") else instance


class MilestoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    eventType = serializers.CharField()
    eventDateTime = serializers.DateTimeField()
    eventID = serializers.CharField()


class EtaSerializer(serializers.Serializer):
    eventDateTime = serializers.DateTimeField()
    UNLocationCode = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    milestone = MilestoneSerializer(allow_null=True)
    UNLocationCode = serializers.CharField()
    facilityCode = serializers.CharField()
    vessel = VesselSerializer(allow_null=True)
    carrierVoyageNumber = serializers.CharField()
    ETA = EtaSerializer(allow_null=True)


class HoldSerializer(serializers.Serializer):
    authority = serializers.CharField()
    code = serializers.CharField()
    since = serializers.CharField()


class CustomsSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="latest customsEventTypeCode, empty when none")
    since = serializers.DateTimeField(allow_null=True)
    holds = HoldSerializer(many=True)


class ContainerSerializer(serializers.Serializer):
    equipmentReference = serializers.CharField()
    ISOEquipmentCode = serializers.CharField()
    valid = serializers.BooleanField(help_text="False when the ISO 6346 check digit fails")
    problem = serializers.CharField()
    status = StatusSerializer()
    customs = CustomsSerializer()
    shipments = DocumentReferenceSerializer(many=True)
    timeline = EventSerializer(many=True)


class ShipmentContainerSerializer(serializers.Serializer):
    equipmentReference = serializers.CharField()
    ISOEquipmentCode = serializers.CharField()
    valid = serializers.BooleanField()
    status = StatusSerializer()
    customs = CustomsSerializer()


class ShipmentSerializer(serializers.Serializer):
    documentReferenceType = serializers.ChoiceField(DocumentReferenceType.choices)
    documentReferenceValue = serializers.CharField()
    status = StatusSerializer()
    customs = CustomsSerializer()
    containers = ShipmentContainerSerializer(many=True)
    timeline = EventSerializer(many=True)


class PublicMilestoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    eventDateTime = serializers.DateTimeField()
    UNLocationCode = serializers.CharField()
    vesselName = serializers.CharField()


class PublicTrackSerializer(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.ChoiceField([("container", "container"), ("shipment", "shipment")])
    milestones = PublicMilestoneSerializer(many=True)


class ClaimRequestSerializer(serializers.Serializer):
    equipmentReference = serializers.CharField(max_length=15)
    transportDocumentReference = serializers.CharField(max_length=35)


class ClaimSerializer(serializers.Serializer):
    equipmentReference = serializers.CharField(source="equipment_reference")
    transportDocumentReference = serializers.CharField(source="transport_document_reference")
    state = serializers.CharField()


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    position = serializers.JSONField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
