"""The client's address, as login lockouts and rate limits count it.

Behind a reverse proxy every request comes from the proxy's address: a lockout or a rate limit
would then count everyone together (one guesser pausing a user name for all, one busy office
using up the public rate of the whole port). With ``TRUSTED_PROXY_COUNT`` = N > 0 the client is
the address the N-th proxy from us appended to ``X-Forwarded-For`` (the rule of Django REST
framework's ``NUM_PROXIES``, which the API's throttles follow); addresses a client wrote there
itself are never taken. With 0 (no proxy) it is the connection's address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client behind ``settings.TRUSTED_PROXY_COUNT`` proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(count, len(hops))]
