"""Choices of the customs gateway; values are the codes the gateway and the standards use."""

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


class FunctionCode(models.TextChoices):
    """China manifest and WCO DM message function codes (UN/EDIFACT 1225 subset)."""

    ORIGINAL = "9", _("Original (main data)")
    SECONDARY = "0", _("Secondary data")
    AMEND = "5", _("Amendment")
    DELETE = "3", _("Deletion (cancellation)")
    ADD = "2", _("Addition")


class Direction(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class MessageRole(models.TextChoices):
    """What a recorded message was to the gateway."""

    SUBMISSION = "submission", _("Submission from a broker or carrier")
    OUTBOUND = "outbound", _("Sent to the authority")
    TRANSPORT_ACK = "transport_ack", _("Transport acknowledgement")
    RESPONSE = "response", _("Authority response")
    AGENCY = "agency", _("Inspection agency decision")


class MessageOutcome(models.TextChoices):
    """What the gateway did with a recorded message."""

    RECORDED = "recorded", _("Recorded")
    SENT = "sent", _("Sent")
    SEND_FAILED = "send_failed", _("Sending failed")
    APPLIED = "applied", _("Applied")
    STALE = "stale", _("Recorded, not applied (ranks below the current state or an older version)")
    QUARANTINED = "quarantined", _("Quarantined for operators")
    RELEASED_FROM_QUARANTINE = "requeued", _("Released from quarantine")


class SignatureStatus(models.TextChoices):
    NONE = "none", _("Not signed")
    SIGNED = "signed", _("Signed by us")
    VALID = "valid", _("Signature verified")
    INVALID = "invalid", _("Signature invalid")
    UNTRUSTED = "untrusted", _("Signed by an unknown certificate")


class ItemState(models.TextChoices):
    """State of one bill or container as the authority keeps it."""

    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    UNDER_REVIEW = "under_review", _("Under review")
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")


class CheckState(models.TextChoices):
    """An inspection agency's decision on one check of one item."""

    PENDING = "pending", _("Pending")
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")
    REFUSED = "refused", _("Refused")


class AuditAction(models.TextChoices):
    MESSAGE = "message", _("Message recorded")
    TRANSITION = "transition", _("State changed")
    REFUSED = "refused", _("Transition refused")
    ALERT = "alert", _("Alert raised")
    RETRY = "retry", _("Resubmitted")
    QUARANTINE = "quarantine", _("Response quarantined")
    AGENCY = "agency", _("Agency decision")
