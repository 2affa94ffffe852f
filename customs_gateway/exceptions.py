"""Typed errors of the customs gateway: one base, each with a code, a position, an HTTP status, a retry hint."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class CustomsError(Exception):
    """Base of the customs gateway's errors."""

    code = "customs_error"
    http_status = 400
    retryable = False
    default_message = _("The customs gateway could not process the request.")

    def __init__(self, message: Any = None, *, code: str | None = None, position: Any = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)
        if code is not None:
            self.code = code
        self.position = position

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "position": self.position}


class InvalidMessage(CustomsError):
    """The submitted or built message is not well-formed, not a known type, or breaks its schema."""

    code = "invalid_message"


class MessageTooLarge(CustomsError):
    """The submitted message is larger than the configured limit."""

    code = "too_large"
    http_status = 413


class WrongSender(CustomsError):
    """The message's sender is not the authenticated party."""

    code = "wrong_sender"
    http_status = 403


class DuplicateMessage(CustomsError):
    """This sender's message id was received before."""

    code = "duplicate"
    http_status = 409


class IllegalTransition(CustomsError):
    """The transition is not in the table for the declaration's current state."""

    code = "illegal_transition"
    http_status = 409

    def __init__(self, state: str, trigger: str, message: Any = None) -> None:
        self.state = state
        self.trigger = trigger
        text = message or _("Cannot %(trigger)s a declaration in state %(state)s.") % {
            "trigger": trigger,
            "state": state,
        }
        super().__init__(text, position={"state": state, "trigger": trigger})


class SignatureError(CustomsError):
    """A signature could not be made or does not verify."""

    code = "signature"


class Uncorrelated(CustomsError):
    """A response names no declaration the gateway knows."""

    code = "uncorrelated"


class TransportError(CustomsError):
    """The transport could not deliver the message; ``retryable`` says whether to try again."""

    code = "transport"
    retryable = True

    def __init__(self, message: Any = None, *, permanent: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retryable = not permanent


# What the gateway tells partners and operators, one lazy string each (rendered in the caller's language).
ERRORS = {
    "too_large": _("The message is %(size)s bytes; the limit is %(limit)s."),
    "wrong_sender": _("The message's sender %(sender)s is not your EDI identity %(party)s."),
    "duplicate": _("Message %(message_id)s was received before."),
    "unknown_reference": _("There is nothing to amend or cancel under %(reference)s."),
    "not_a_declaration": _("This is not a declaration or manifest the gateway takes."),
    "edifact": _("EDIFACT: %(detail)s"),
    "no_manifest": _("None of the events is a bill of a manifest (a CUSTOMS DECL with MAN and TRD references)."),
    "edifact_to_xml": _("The authority takes XML; send this declaration as WCO DM or China manifest XML."),
    "type_mismatch": _("MessageType %(message_type)s does not match the namespace of %(schema)s."),
    "no_schema": _("No schema for namespace %(namespace)s."),
    "schema": _("Schema %(schema)s: %(detail)s"),
    "function_code": _("%(message_type)s has no FunctionCode %(function_code)s; its definitions are for %(allowed)s."),
    "not_cuscar": _(
        "The authority takes EDIFACT, and CUSCAR carries manifests only (MT1101, MT2101, MT1201, MT2201); "
        "%(message_type)s has no EDIFACT form."
    ),
    "required": _("FunctionCode %(function_code)s of %(message_type)s requires %(path)s."),
    "not_base64": _("DXP Data is not base64."),
    "unpacked_too_large": _("DXP Data unpacks to more than %(limit)s bytes."),
    "zip_entries": _("DXP Data is a ZIP archive of %(count)s files; one message was expected."),
    "bad_zip": _("DXP Data could not be unpacked: %(detail)s"),
    "unsigned": _("The message is not signed."),
    "two_signatures": _("The message carries more than one signature."),
    "untrusted": _("Signed with a key or certificate the gateway does not trust."),
    "not_enveloped": _("The signature is not an enveloped whole-document signature."),
    "changed": _("The document was changed after it was signed."),
    "bad_signature": _("The signature does not verify: %(detail)s"),
    # why a response went to quarantine (kept on the message for operators)
    "q_unreadable": _("unreadable response: %(detail)s"),
    "q_signature": _("signature: %(detail)s"),
    "q_no_decision": _("no customs decision in the translated message"),
    "q_unknown": _("not a response the gateway knows"),
    "q_uncorrelated": _("uncorrelated: no declaration for %(reference)s"),
    "q_wrong_role": _("signed by %(authority)s (%(role)s) but speaks for %(speaks)s"),
}
