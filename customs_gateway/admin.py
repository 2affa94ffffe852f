"""Operators' views of the customs gateway: declarations with their records, messages, quarantine, trust."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from customs_gateway.models import AgencyCheck, AuditEntry, Bill, Container, Declaration, Message, TrustedCertificate


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class BillInline(ReadOnlyInline):
    model = Bill
    fields = ["number", "house_number", "state", "response_code", "response_text"]


class ContainerInline(ReadOnlyInline):
    model = Container
    fields = ["number", "bill", "iso_code", "state", "response_code", "response_text"]


class AgencyCheckInline(ReadOnlyInline):
    model = AgencyCheck
    fields = ["agency", "item_number", "check_code", "decision_code", "state", "decision_number"]


class AuditInline(ReadOnlyInline):
    model = AuditEntry
    fields = ["at", "action", "actor", "trigger", "from_state", "to_state", "version", "event_code", "reason"]
    readonly_fields = fields


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = (
        "business_reference",
        "kind",
        "message_type",
        "party",
        "state",
        "version",
        "registration_number",
        "updated_at",
    )
    list_filter = ("kind", "state", "message_type")
    search_fields = ("business_reference", "registration_number", "containers__number", "bills__number")
    readonly_fields = (
        "state",
        "version",
        "customs_released",
        "current_message_id",
        "attempts",
        "receipt_due_at",
        "transition_count",
    )
    inlines = [BillInline, ContainerInline, AgencyCheckInline, AuditInline]


@admin.action(description=_("Reprocess the selected quarantined responses"), permissions=["change"])
def reprocess(modeladmin, request, queryset) -> None:
    from customs_gateway.inbound import reprocess as again

    done = [again(message, actor=str(request.user)).status for message in queryset.filter(outcome="quarantined")]
    modeladmin.message_user(request, _("Reprocessed: %(result)s") % {"result": ", ".join(done) or "-"}, messages.INFO)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "recorded_at",
        "direction",
        "role",
        "message_type",
        "message_id",
        "sender",
        "signature",
        "outcome",
        "duplicates",
    )
    list_filter = ("outcome", "direction", "role", "signature")
    search_fields = ("message_id", "business_reference", "sha256")
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = [reprocess]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "declaration", "action", "actor", "from_state", "to_state", "event_code")
    list_filter = ("action",)
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrustedCertificate)
class TrustedCertificateAdmin(admin.ModelAdmin):
    list_display = ("name", "authority", "algorithm", "fingerprint", "active", "created_at")
    list_filter = ("algorithm", "active")
