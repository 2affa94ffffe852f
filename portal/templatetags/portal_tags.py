"""Template filters of the portal: ``{{ code|place }}`` writes a UN/LOCODE as "Shanghai (CNSHA)"."""

from django import template

from portal.places import place_label

register = template.Library()


@register.filter
def place(un_location_code: str) -> str:
    return place_label(un_location_code)


@register.filter
def customs_state(code: str) -> str:
    """A customs state code (``INSP``, ``RLSD``) in the reader's language."""
    from portal.dashboard import customs_label

    return customs_label(code or "")


@register.filter
def hold_reason(reason: dict) -> str:
    """Why a gate held, in the reader's language (the reason's code), naming the container when it has one."""
    from rfid.choices import HoldReason

    code = reason.get("code", "") if isinstance(reason, dict) else ""
    if code not in HoldReason.values:
        return reason.get("message") or code if isinstance(reason, dict) else ""
    label = str(HoldReason(code).label)
    if code == HoldReason.OVERRIDE and reason.get("message"):
        return f"{label}: {reason['message']}"  # the operator's own words
    return f"{label} ({reason['equipmentReference']})" if reason.get("equipmentReference") else label
