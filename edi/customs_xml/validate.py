"""Validating a customs XML message against our own XSDs (``schemas/customs/``), every error with its element.

    >>> issues = validate_opened(opened)     # [] when valid; Issue(code="XML_SCHEMA", position=path+line)

The schema is the table's (``TYPES[type]``); the compiled schemas are the customs gateway's
(:func:`customs_gateway.schemas.load`, loaded once per process). A type no schema of ours
covers is mapped with a warning saying it was not validated.
"""

from __future__ import annotations

from lxml import etree

from customs_gateway import schemas
from edi.customs_xml.paths import element_path
from edi.customs_xml.read import Opened, option
from edi.issues import Issue, Position

MAX_SCHEMA_ERRORS = 20


def schema_name(opened: Opened) -> str | None:
    return (option(opened.table, "TYPES", {}) or {}).get(opened.type)


def validate_opened(opened: Opened) -> list[Issue]:
    """Schema errors (and a warning when there is no schema of ours for the type)."""
    name = schema_name(opened)
    if name is None:
        return [
            Issue(
                "XML_NO_SCHEMA",
                f"{opened.type}: no schema of ours yet: structure not validated",
                Position(path=element_path(opened.root), line=opened.root.sourceline),
                level="message",
                severity="warning",
            )
        ]
    schema = schemas.load(name)
    if schema.validate(opened.root):
        return []
    issues = []
    for error in list(schema.error_log)[:MAX_SCHEMA_ERRORS]:
        issues.append(
            Issue(
                "XML_SCHEMA",
                f"{name}: {error.message}",
                Position(path=_path_at(opened.root, error), line=error.line or None),
                level="element",
            )
        )
    return issues


def _path_at(root: etree._Element, error: etree._LogEntry) -> str:
    """Our local-name path of the element the error is about (the deepest one on its line)."""
    found = None
    for element in root.iter():
        if isinstance(element.tag, str) and element.sourceline == error.line:
            found = element
    if found is None:
        return error.path or element_path(root)
    return element_path(found)
