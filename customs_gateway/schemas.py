"""Our own XSDs under ``schemas/customs/``, loaded once, chosen by the root element's namespace.

    >>> validate(root)        # raises InvalidMessage naming the element, its line and the rule

The published schemas are only the test oracle (``tests/unit/customs_gateway/test_schemas.py``);
the gateway validates against the ones in this repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

from customs_gateway.exceptions import ERRORS, InvalidMessage
from customs_gateway.manifest_types import TYPES

SCHEMA_DIR = Path(settings.BASE_DIR) / "schemas" / "customs"
MANIFEST_NS = "urn:Declaration:datamodel:standard:CN:{}:1"
#: every China manifest-family type a broker, carrier, terminal or depot lodges (``manifest_types``)
MANIFEST_TYPES = TYPES
BY_NAMESPACE = {MANIFEST_NS.format(mt): f"{mt}.xsd" for mt in MANIFEST_TYPES}
BY_NAMESPACE.update(
    {
        "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2": "wco-metadata.xsd",
        "http://www.chinaport.gov.cn/dxp": "dxp.xsd",
        "": "MT9999.xsd",
    }
)


@cache
def load(name: str) -> etree.XMLSchema:
    """A compiled schema from ``schemas/customs/`` (includes resolved from that folder only)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name), parser))


def schema_for(root: etree._Element) -> str:
    namespace = etree.QName(root).namespace or ""
    name = BY_NAMESPACE.get(namespace)
    if name is None:
        raise InvalidMessage(
            ERRORS["no_schema"] % {"namespace": namespace or "-"},
            code="unknown_message_type",
            position={"path": root.tag},
        )
    return name


def validate(root: etree._Element, name: str | None = None) -> None:
    """Check ``root`` against its schema; the first error names the element path and line."""
    schema = load(name or schema_for(root))
    if schema.validate(root):
        return
    error = schema.error_log[0]
    raise InvalidMessage(
        ERRORS["schema"] % {"schema": name or schema_for(root), "detail": error.message},
        code="schema",
        position={"line": error.line, "path": error.path},
    )
