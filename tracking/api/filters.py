"""The events API's filters: :mod:`tracking.filters` plus the paging parameters, errors as 400."""

from __future__ import annotations

from django.db.models import QuerySet

from hub.api import ApiError
from tracking import filters
from tracking.exceptions import InvalidFilter
from tracking.filters import CALLS, DOCUMENT_TYPE_CODES, LISTS, RANGES, REFERENCES, TYPE_CODES

PAGING = frozenset({"cursor", "limit"})

__all__ = ["CALLS", "DOCUMENT_TYPE_CODES", "LISTS", "RANGES", "REFERENCES", "TYPE_CODES", "filter_events"]


def filter_events(events: QuerySet, params) -> QuerySet:
    """Apply the query parameters of the events API to ``events``."""
    try:
        return filters.apply(events, filters.parse(params, ignore=PAGING))
    except InvalidFilter as exc:
        raise ApiError(exc.message, code=exc.code, position=exc.position) from exc
