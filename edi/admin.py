from django.contrib import admin

from edi.models import RawMessage


@admin.register(RawMessage)
class RawMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "party", "channel", "size", "state", "received_at")
    list_filter = ("state", "channel", "party")
    search_fields = ("id", "sha256")
    readonly_fields = ("id", "sha256", "size", "content_type", "channel", "party", "received_at", "state", "outcome")
    exclude = ("body",)

    def has_add_permission(self, request) -> bool:
        return False
