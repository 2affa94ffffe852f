"""Choices of the translation layer: values are the standard's own codes, labels are lazy translations.

``SyntaxErrorCode`` is UN/EDIFACT service data element 0085 (ISO 9735, syntax versions 3 and 4),
``ActionCode`` is 0083 (CONTRL action taken), ``MessageStatus`` the outcome of one message;
``MessageState``, ``Channel`` and ``MessageFormat`` describe a received raw message.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SyntaxErrorCode(models.TextChoices):
    """UN/EDIFACT 0085 syntax error, coded (union of the syntax 3 and 4 service code lists)."""

    SYNTAX_VERSION_NOT_SUPPORTED = "2", _("Syntax version or level not supported")
    RECIPIENT_NOT_ACTUAL_RECIPIENT = "7", _("Interchange recipient not actual recipient")
    INVALID_VALUE = "12", _("Invalid value")
    MISSING = "13", _("Missing")
    VALUE_NOT_SUPPORTED_IN_POSITION = "14", _("Value not supported in this position")
    NOT_SUPPORTED_IN_POSITION = "15", _("Not supported in this position")
    TOO_MANY_CONSTITUENTS = "16", _("Too many constituents")
    NO_AGREEMENT = "17", _("No agreement")
    UNSPECIFIED_ERROR = "18", _("Unspecified error")
    INVALID_DECIMAL_NOTATION = "19", _("Invalid decimal notation")
    INVALID_SERVICE_CHARACTER_ADVICE = "20", _("Character invalid as service character")
    INVALID_CHARACTERS = "21", _("Invalid character(s)")
    INVALID_SERVICE_CHARACTERS = "22", _("Invalid service character(s)")
    UNKNOWN_SENDER = "23", _("Unknown interchange sender")
    TOO_OLD = "24", _("Too old")
    TEST_INDICATOR_NOT_SUPPORTED = "25", _("Test indicator not supported")
    DUPLICATE_DETECTED = "26", _("Duplicate detected")
    SECURITY_FUNCTION_NOT_SUPPORTED = "27", _("Security function not supported")
    REFERENCES_DO_NOT_MATCH = "28", _("References do not match")
    CONTROL_COUNT_MISMATCH = "29", _("Control count does not match number of instances received")
    GROUPS_AND_MESSAGES_MIXED = "30", _("Groups and messages mixed")
    MORE_THAN_ONE_MESSAGE_TYPE_IN_GROUP = "31", _("More than one message type in group")
    LOWER_LEVEL_EMPTY = "32", _("Lower level empty")
    INVALID_OCCURRENCE_OUTSIDE_MESSAGE = "33", _("Invalid occurrence outside message, package or group")
    NESTING_INDICATOR_NOT_ALLOWED = "34", _("Nesting indicator not allowed")
    TOO_MANY_REPETITIONS = "35", _("Too many data element or segment repetitions")
    TOO_MANY_GROUP_REPETITIONS = "36", _("Too many segment group repetitions")
    INVALID_TYPE_OF_CHARACTERS = "37", _("Invalid type of characters")
    MISSING_DIGIT_BEFORE_DECIMAL_SIGN = "38", _("Missing digit in front of decimal sign")
    DATA_ELEMENT_TOO_LONG = "39", _("Data element too long")
    DATA_ELEMENT_TOO_SHORT = "40", _("Data element too short")
    PERMANENT_NETWORK_ERROR = "41", _("Permanent communication network error")
    TEMPORARY_NETWORK_ERROR = "42", _("Temporary communication network error")
    UNKNOWN_RECIPIENT = "43", _("Unknown interchange recipient")
    TRAILING_SEPARATOR = "45", _("Trailing separator")
    CHARACTER_SET_NOT_SUPPORTED = "46", _("Character set not supported")
    ENVELOPE_FUNCTIONALITY_NOT_SUPPORTED = "47", _("Envelope functionality not supported")
    DEPENDENCY_CONDITION_VIOLATED = "48", _("Dependency notes condition violated")


class ActionCode(models.TextChoices):
    """UN/EDIFACT 0083 action, coded: what the receiver did with the referenced level."""

    REJECTED = "4", _("This level and all lower levels rejected")
    ACKNOWLEDGED = "7", _("This level acknowledged, next lower level acknowledged if not explicitly rejected")
    RECEIVED = "8", _("Interchange received")


class MessageStatus(models.TextChoices):
    """The outcome of validating one message of an interchange."""

    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_WITH_WARNINGS = "accepted_with_warnings", _("Accepted with warnings")
    REJECTED = "rejected", _("Rejected")


class IssueSeverity(models.TextChoices):
    """How much an issue weighs: an error rejects its level, a warning does not."""

    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class MessageState(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    PARTIAL = "partially processed", _("Partially processed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    REFUSED = "refused", pgettext_lazy("message state", "Refused")  # not taken in; not customs' "release refused"
    FAILED = "failed", _("Failed")


class Channel(models.TextChoices):
    HTTP = "http", _("HTTP")
    AMQP = "amqp", _("AMQP")
    FILE = "file", _("File import")


class MessageFormat(models.TextChoices):
    EDIFACT = "edifact", _("UN/EDIFACT")
    XML = "xml", _("XML")
    UNKNOWN = "unknown", _("Not a message")
