from django.contrib import admin

from tracking.models import ApiKey, Event, Party


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fk_name = "party"
    extra = 0
    fields = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("name", "edi_id", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("name", "edi_id")
    filter_horizontal = ("users",)
    inlines = [ApiKeyInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "party", "reader", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "type_code",
        "event_type",
        "event_classifier",
        "equipment_reference",
        "un_location_code",
        "event_datetime",
    )
    list_filter = ("event_type", "event_classifier", "type_code")
    search_fields = ("equipment_reference", "carrier_booking_reference", "transport_document_reference")
    date_hierarchy = "event_datetime"
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
