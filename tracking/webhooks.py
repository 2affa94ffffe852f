"""Webhooks: matching new events to subscriptions, signing, and the back-off schedule."""

from __future__ import annotations


def fan_out(rows: list) -> None:
    """Create a delivery for every active subscription a new event matches (arrives with webhooks)."""
