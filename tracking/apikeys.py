"""API keys: issued once in clear text, kept only as a SHA-256 hash, looked up by prefix.

A key reads ``lh_<prefix>.<secret>``. The secret carries 256 random bits, so a plain
SHA-256 is enough (no slow KDF is needed for high-entropy tokens) and keeps the gate
readers' hot path fast; comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.utils import timezone

from tracking.models import ApiKey, Party

KEY_PREFIX = "lh_"
PREFIX_MAX_LENGTH = ApiKey._meta.get_field("prefix").max_length
MAX_KEPT = 10_000
# Recognised keys by the SHA-256 of the clear key (never the key itself): (valid until, row).
_kept: dict[str, tuple[float, ApiKey]] = {}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def issue_key(*, party: Party | None = None, reader=None, name: str = "") -> tuple[ApiKey, str]:
    """Create a key for a party or a reader; return the row and the clear key (shown once)."""
    if party is None and reader is None:
        raise ValueError("an API key belongs to a party or a reader")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, prefix=prefix, key_hash=_hash(secret), party=party, reader=reader)
    return key, f"{KEY_PREFIX}{prefix}.{secret}"


def _split(raw: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a well-formed ``lh_<prefix>.<secret>``, or None."""
    if not raw.startswith(KEY_PREFIX) or "." not in raw or len(raw) > 200 or not raw.isprintable():
        return None  # control characters (NUL: PostgreSQL cannot even compare it) are no key's
    prefix, _, secret = raw[len(KEY_PREFIX) :].partition(".")
    if not prefix or not secret or not secret.isascii():
        return None
    return prefix, secret


def public_part(raw: str) -> str:
    """The part of a key that may be shown and logged (``lh_<prefix>``, as the admin lists keys), or ''.

    Only a prefix that could be one (no longer than the column keeps) is shown: anything longer is
    not a key's and may be a secret pasted in the wrong place.
    """
    parts = _split(raw)
    if parts is None or len(parts[0]) > PREFIX_MAX_LENGTH:
        return ""
    return f"{KEY_PREFIX}{parts[0]}"


def find_key(raw: str) -> ApiKey | None:
    """The active key matching ``raw``, or None when it is malformed, unknown, wrong or revoked."""
    parts = _split(raw)
    if parts is None:
        return None
    prefix, secret = parts
    # prefix is unique: no ORDER BY ... LIMIT for the ORM to build on every authenticated request
    found = list(ApiKey.objects.select_related("party", "reader").filter(prefix=prefix, revoked_at__isnull=True))
    key = found[0] if found else None
    if key is None or not hmac.compare_digest(key.key_hash, _hash(secret)):
        return None
    return key


def known_key(raw: str) -> ApiKey | None:
    """``find_key``, its answer kept in the process for ``API_KEY_CACHE_SECONDS``.

    The lookup (a query joining party and reader, and a SHA-256) was the largest cost of an
    authenticated request that is otherwise one statement (a container answer, a reader's post),
    and partners and readers send many requests a second with the same key. A key revoked through
    ``revoke`` stops at once in this process and within that time in the others; a changed party
    shows within that time too. Failures are never kept, so a new key works at once.
    """
    key = kept_key(raw)
    if key is not None:
        return key
    digest = _digest(raw)
    now = time.monotonic()
    key = find_key(raw)
    if key is not None and settings.API_KEY_CACHE_SECONDS > 0:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[digest] = (now + settings.API_KEY_CACHE_SECONDS, key)
    return key


def kept_key(raw: str) -> ApiKey | None:
    """The key ``known_key`` recognised for ``raw`` in this process and keeps still, or None; never
    asks the database (code on the event loop, ``tracking/fastlane.py``, leaves the rest to it)."""
    kept = _kept.get(_digest(raw))
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    return None


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def forget() -> None:
    """Drop every kept key check (tests; a revocation made outside ``revoke``)."""
    _kept.clear()


def touch_due(key: ApiKey, now=None) -> bool:
    """The key's use is to be recorded now (``touch``): never yet, or not in the last minute."""
    now = now or timezone.now()
    return key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60


def touch(key: ApiKey) -> None:
    """Record use, at most once a minute per key, so that busy readers do not write on every post."""
    now = timezone.now()
    if touch_due(key, now):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def revoke(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    for digest in [digest for digest, (_until, kept) in _kept.items() if kept.pk == key.pk]:
        _kept.pop(digest, None)
