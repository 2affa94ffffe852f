from django.contrib import admin

from rfid.models import Reader


@admin.register(Reader)
class ReaderAdmin(admin.ModelAdmin):
    list_display = ("reader_id", "gate", "lane", "direction", "bonded", "last_seen_at")
    list_filter = ("direction", "bonded", "gate")
    search_fields = ("reader_id", "gate")
