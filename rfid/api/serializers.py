"""Serializers of the RFID API: tag bindings, gate transactions, overrides (camelCase on the wire)."""

from __future__ import annotations

from rest_framework import serializers

from rfid.choices import Decision, TagKind
from rfid.models import GateOverride, GateTransaction, Observation, TagBinding


class BindingSerializer(serializers.ModelSerializer):
    validFrom = serializers.DateTimeField(source="valid_from", required=False)
    validTo = serializers.DateTimeField(source="valid_to", required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=TagKind.choices)
    createdBy = serializers.CharField(source="created_by", read_only=True)

    class Meta:
        model = TagBinding
        fields = ["id", "tag", "kind", "reference", "validFrom", "validTo", "note", "createdBy"]


class ObservationSerializer(serializers.ModelSerializer):
    firstSeen = serializers.DateTimeField(source="first_seen")
    lastSeen = serializers.DateTimeField(source="last_seen")
    bestRssi = serializers.FloatField(source="best_rssi")
    epcHex = serializers.CharField(source="epc_hex")

    class Meta:
        model = Observation
        fields = ["tag", "epcHex", "scheme", "firstSeen", "lastSeen", "count", "bestRssi", "antennas"]


class OverrideEntrySerializer(serializers.ModelSerializer):
    decidedBy = serializers.CharField(source="decided_by")
    decidedAt = serializers.DateTimeField(source="decided_at")

    class Meta:
        model = GateOverride
        fields = ["decision", "reason", "decidedBy", "decidedAt"]


class TransactionSerializer(serializers.ModelSerializer):
    startedAt = serializers.DateTimeField(source="started_at")
    lastReadAt = serializers.DateTimeField(source="last_read_at")
    decidedIn_ms = serializers.FloatField(source="decided_in_ms")
    observations = ObservationSerializer(many=True)
    overrides = OverrideEntrySerializer(many=True)

    class Meta:
        model = GateTransaction
        fields = [
            "id",
            "gate",
            "lane",
            "direction",
            "bonded",
            "startedAt",
            "lastReadAt",
            "tags",
            "decision",
            "reasons",
            "equipment",
            "events",
            "decidedIn_ms",
            "observations",
            "overrides",
        ]


class OverrideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(max_length=2000)
