"""Reading a JSON request body for the RFID endpoints: content type (415) and size (413) first."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers

from rfid.exceptions import TooManyReads, UnsupportedMediaType

JSON_TYPES = frozenset(
    {"application/json", "application/ld+json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines"}
)


class RawJsonParser(parsers.BaseParser):
    """Hands the view the body's bytes; the view decides what they are."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""


def json_body(request) -> bytes:
    """The raw body of a JSON post; UnsupportedMediaType or TooManyReads before reading when it cannot be."""
    media = (request.content_type or "").split(";")[0].strip().lower()
    if media not in JSON_TYPES:
        raise UnsupportedMediaType(
            _("Send JSON (application/json, or application/x-ndjson for JSON lines), not %(type)s.")
            % {"type": media[:80] or "nothing"},
            position="Content-Type",
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.RFID_MAX_BODY_BYTES
    if length > limit:
        raise TooManyReads(_("The body is larger than %(limit)d bytes.") % {"limit": limit}, position="Content-Length")
    body = request._request.body
    if len(body) > limit:
        raise TooManyReads(_("The body is larger than %(limit)d bytes.") % {"limit": limit}, position="Content-Length")
    return body
