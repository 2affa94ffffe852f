from django.contrib import admin

from customs_gateway.models import Declaration


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ("business_reference", "kind", "party", "state", "registration_number", "updated_at")
    list_filter = ("kind", "state")
    search_fields = ("business_reference", "registration_number")
