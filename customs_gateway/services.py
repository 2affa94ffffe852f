"""The customs gateway's business rules, one import away for HTTP, AMQP, Celery and the CLI.

- :func:`submit` a broker's declaration or a carrier's manifest (new, corrected, amended, cancelled);
- :func:`dispatch` it to the authority (build, validate, sign, envelope, send);
- :func:`receive` an authority's or agency's answer (dedupe, verify, correlate, apply or quarantine);
- :func:`receive_events` the CUSRES decisions the translation layer read, as canonical CUSTOMS events;
- :func:`check_overdue` resubmits what got no receipt in time;
- :func:`export` the audit trail of a declaration.
"""

from customs_gateway.audit import export
from customs_gateway.inbound import receive, receive_events, reprocess, trust
from customs_gateway.machine import move
from customs_gateway.outbound import dispatch, submit
from customs_gateway.retries import check_overdue

__all__ = [
    "check_overdue",
    "dispatch",
    "export",
    "move",
    "receive",
    "receive_events",
    "reprocess",
    "submit",
    "trust",
]
