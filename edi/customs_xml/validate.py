"""Validating a customs XML message against our own XSDs (``schemas/customs/``), every error with its element.

    >>> issues = validate_opened(opened)     # [] when valid; Issue(code="XML_SCHEMA", position=path+line)

The schema is the table's (``TYPES[type]``); the compiled schemas are the customs gateway's
(:func:`customs_gateway.schemas.load`, loaded once per process). A type no schema of ours
covers is mapped with a warning saying it was not validated.
"""

from __future__ import annotations

import re

from lxml import etree

from customs_gateway import schemas
from edi.customs_xml.paths import element_path, local
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
    """Our local-name path of the element the error is about.

    The validator's own path to the node (``/ns0:Manifest/ns0:Declaration/ns0:TransportEquipment[3]``,
    or ``/*/*[2]/*[5]`` in a default namespace) names it wherever it is, a message written on one line included; failing that, the deepest
    element on the error's line.
    """
    found = _element_at(root, error.path or "")
    if found is None:
        for element in root.iter():
            if isinstance(element.tag, str) and element.sourceline == error.line:
                found = element
    if found is None:
        return error.path or element_path(root)
    return element_path(found)


_STEP = re.compile(r"(?:[^:/\[\]]+:)?([^:/\[\]]+)(?:\[(\d+)\])?")


def _element_at(root: etree._Element, path: str) -> etree._Element | None:
    """The element a validator's path reaches from ``root`` by local names and positions, or None."""
    steps = [step for step in path.split("/") if step]
    while steps and (steps[-1].startswith("@") or steps[-1].endswith("()")):
        steps.pop()  # an attribute's or a text's error is the element's
    if not steps or not all(_STEP.fullmatch(step) for step in steps):
        return None
    name, _index = _STEP.fullmatch(steps[0]).groups()
    if name not in ("*", local(root)):
        return None
    element = root
    for step in steps[1:]:
        name, index = _STEP.fullmatch(step).groups()  # "*[5]": the fifth element child, whatever its name
        same = [c for c in element if isinstance(c.tag, str) and name in ("*", local(c))]
        position = int(index or 1)
        if not 0 < position <= len(same):
            return None
        element = same[position - 1]
    return element
