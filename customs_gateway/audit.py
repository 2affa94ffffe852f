"""The audit trail of a declaration, exported: every message and every state change with who, when and why.

>>> export(declaration, "json")    # -> str; or "csv"
"""

from __future__ import annotations

import csv
import io
import json

from customs_gateway.models import AuditEntry, Declaration
from hub.spreadsheet import safe_cell

COLUMNS = [
    "at",
    "action",
    "actor",
    "reason",
    "trigger",
    "from_state",
    "to_state",
    "version",
    "event_code",
    "message_id",
    "message_sha256",
    "event_ids",
]


def rows(declaration: Declaration) -> list[dict]:
    entries = AuditEntry.objects.filter(declaration=declaration).select_related("message").order_by("at", "id")
    return [
        {
            "at": entry.at.isoformat(),
            "action": entry.action,
            "actor": entry.actor,
            "reason": entry.reason,
            "trigger": entry.trigger,
            "from_state": entry.from_state,
            "to_state": entry.to_state,
            "version": entry.version,
            "event_code": entry.event_code,
            "message_id": entry.message.message_id if entry.message else "",
            "message_sha256": entry.message.sha256 if entry.message else "",
            "event_ids": entry.event_ids,
        }
        for entry in entries
    ]


def export(declaration: Declaration, fmt: str = "json") -> str:
    data = rows(declaration)
    if fmt == "json":
        return json.dumps(
            {"declaration": str(declaration.pk), "businessReference": declaration.business_reference, "audit": data},
            ensure_ascii=False,
            indent=2,
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in data:
        # reasons and message ids come from partners' and authorities' messages: never a formula when opened
        writer.writerow(
            {key: safe_cell(value) for key, value in {**row, "event_ids": " ".join(row["event_ids"])}.items()}
        )
    return out.getvalue()
