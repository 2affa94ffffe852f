"""The customs API's shapes: a submission's receipt and a declaration with its full history."""

from __future__ import annotations

from rest_framework import serializers

from customs_gateway.clearance import gate_clearance
from customs_gateway.models import AgencyCheck, AuditEntry, Bill, Container, Declaration, Message


class SubmittedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.CharField()


class CustomsBillSerializer(serializers.ModelSerializer):
    houseNumber = serializers.CharField(source="house_number")
    responseCode = serializers.CharField(source="response_code")
    responseText = serializers.CharField(source="response_text")

    class Meta:
        model = Bill
        fields = ["number", "houseNumber", "state", "responseCode", "responseText"]


class CustomsContainerSerializer(serializers.ModelSerializer):
    bill = serializers.CharField(source="bill.number", default="")
    responseCode = serializers.CharField(source="response_code")
    responseText = serializers.CharField(source="response_text")

    class Meta:
        model = Container
        fields = ["number", "bill", "state", "responseCode", "responseText"]


class AgencyCheckSerializer(serializers.ModelSerializer):
    itemNumber = serializers.IntegerField(source="item_number")
    checkCode = serializers.CharField(source="check_code")
    decisionCode = serializers.CharField(source="decision_code")

    class Meta:
        model = AgencyCheck
        fields = ["agency", "itemNumber", "checkCode", "decisionCode", "state", "reasons"]


class CustomsMessageSerializer(serializers.ModelSerializer):
    messageType = serializers.CharField(source="message_type")
    messageId = serializers.CharField(source="message_id")
    recordedAt = serializers.DateTimeField(source="recorded_at")

    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "role",
            "messageType",
            "messageId",
            "sender",
            "version",
            "sha256",
            "signature",
            "outcome",
            "note",
            "duplicates",
            "recordedAt",
        ]


class CustomsTransitionSerializer(serializers.ModelSerializer):
    fromState = serializers.CharField(source="from_state")
    toState = serializers.CharField(source="to_state")
    eventCode = serializers.CharField(source="event_code")
    messageId = serializers.CharField(source="message.message_id", default="")

    class Meta:
        model = AuditEntry
        fields = [
            "at",
            "action",
            "actor",
            "reason",
            "trigger",
            "fromState",
            "toState",
            "version",
            "eventCode",
            "messageId",
        ]


class CustomsHoldSerializer(serializers.Serializer):
    equipmentReference = serializers.CharField()
    authority = serializers.CharField()
    code = serializers.CharField()
    since = serializers.CharField()


class DeclarationSerializer(serializers.ModelSerializer):
    businessReference = serializers.CharField(source="business_reference")
    registrationNumber = serializers.CharField(source="registration_number")
    messageType = serializers.CharField(source="message_type")
    functionCode = serializers.CharField(source="function_code")
    customsReleased = serializers.BooleanField(source="customs_released")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")
    holds = serializers.SerializerMethodField()
    bills = CustomsBillSerializer(many=True)
    containers = CustomsContainerSerializer(many=True)
    agencyChecks = AgencyCheckSerializer(source="agency_checks", many=True)
    messages = CustomsMessageSerializer(many=True)
    transitions = CustomsTransitionSerializer(source="audit_entries", many=True)

    class Meta:
        model = Declaration
        fields = [
            "id",
            "kind",
            "businessReference",
            "version",
            "state",
            "messageType",
            "functionCode",
            "registrationNumber",
            "authority",
            "customsReleased",
            "reasons",
            "holds",
            "createdAt",
            "updatedAt",
            "bills",
            "containers",
            "agencyChecks",
            "messages",
            "transitions",
        ]

    def get_holds(self, declaration: Declaration) -> list[dict]:
        numbers = [c.number for c in declaration.containers.all()]
        holds = []
        for number, clearance in sorted(gate_clearance(numbers).items()):
            holds += [{"equipmentReference": number, **hold} for hold in clearance.holds]
        return CustomsHoldSerializer(holds, many=True).data
