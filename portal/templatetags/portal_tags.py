"""Template filters of the portal: ``{{ code|place }}`` writes a UN/LOCODE as "Shanghai (CNSHA)"."""

from django import template

from portal.places import place_label

register = template.Library()


@register.filter
def place(un_location_code: str) -> str:
    return place_label(un_location_code)
