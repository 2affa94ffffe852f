from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclarationKind(models.TextChoices):
    DECLARATION = "declaration", _("Customs declaration")
    MANIFEST = "manifest", _("Cargo manifest")


class ClearanceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    SUBMITTED = "submitted", _("Submitted")
    TRANSPORT_ACK = "transport_acknowledged", _("Transport acknowledged")
    TRANSPORT_FAILED = "transport_failed", _("Transport failed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    UNDER_REVIEW = "under_review", _("Under review")
    INSPECTION_REQUIRED = "inspection_required", _("Inspection required")
    INSPECTED = "inspected", _("Inspected")
    HELD = "held", _("Held")
    ASSESSED = "assessed", _("Assessed")
    RELEASED = "released", _("Released")
    REFUSED = "refused", _("Refused")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
