"""A message's segments cut into nested scopes by trigger segments, and qualifier lookups in them.

A mapping table names its triggers and their depth, e.g. IFTSTA ``{"CNI": 1, "STS": 2, "EQD": 3}``:
each trigger opens a scope that holds the segments up to the next trigger of the same or a
shallower depth; the segments before the first trigger are the message's (the root). A lookup
searches a chain of scopes innermost first, so a DTM in a container's group wins over the one
of the message header. Triggers can be qualified: ``"LOC+147"`` (BAPLIE's stowage cell).

    >>> root = build_scopes(message.body, {"EQD": 1})
    >>> [s.segment.get(2) for s in root.children]
    ['MSCU1234565', 'TGHU7654321']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from types import MappingProxyType
from typing import Any

_EMPTY: Any = MappingProxyType({})


class Scope:
    """One trigger's stretch of segments: ``segments`` by tag, ``children`` scopes, ``parent``."""

    __slots__ = ("key", "level", "segment", "parent", "segments", "children", "_index", "unknown")

    def __init__(self, key: str | None, level: int, segment: Any, parent: Scope | None) -> None:
        self.key = key
        self.level = level
        self.segment = segment
        self.parent = parent
        self.segments: dict[str, list] = {}
        self.children: list[Scope] = []
        self._index: dict[str, dict[str, Any]] = {}
        self.unknown: list = []  # root only: segments whose qualifier the directory does not know

    def by_qualifier(self, tag: str) -> dict[str, Any]:
        """This scope's first ``tag`` segment per qualifier (element 1, component 1), built once."""
        index = self._index.get(tag)
        if index is None:
            if tag in INDEXED:
                return _EMPTY  # indexed while building: this scope has none
            index = {}
            for seg in self.segments.get(tag, ()):
                index.setdefault(qualifier(seg), seg)
            self._index[tag] = index
        return index

    def chain(self) -> list[Scope]:
        """This scope and its ancestors, innermost first."""
        scopes: list[Scope] = []
        scope: Scope | None = self
        while scope is not None:
            scopes.append(scope)
            scope = scope.parent
        return scopes

    def walk(self) -> Iterator[Scope]:
        yield self
        for child in self.children:
            yield from child.walk()

    def __repr__(self) -> str:
        return f"<Scope {self.key or 'message'} {sorted(self.segments)} children={len(self.children)}>"


def qualifier(seg: Any) -> str:
    """Element 1, component 1 of a segment (its qualifier), fast; the first occurrence if repeated."""
    try:
        value = seg.elements[0][0]
    except IndexError:
        return ""
    return value if type(value) is str else value[0]


def components(seg: Any, element: int) -> list[str]:
    """The components of a 1-based element (its first occurrence when repeated), [] when absent."""
    try:
        value = seg.elements[element - 1]
    except IndexError:
        return []
    return value[0] if value and type(value[0]) is list else value


#: Tags whose qualifier (element 1) is indexed while the scopes are built: the ones lookups read.
INDEXED = frozenset({"LOC", "DTM", "RFF", "EQD", "TDT", "STS", "NAD", "GIS"})


@lru_cache(maxsize=64)
def _split_triggers(triggers: tuple) -> tuple[dict, dict, frozenset]:
    plain = {k: v for k, v in triggers if "+" not in k}
    qualified = {k: v for k, v in triggers if "+" in k}
    return plain, qualified, frozenset(k.split("+", 1)[0] for k in qualified)


def build_scopes(
    segments: Iterable[Any], triggers: dict[str, int], known: dict | None = None, leading: tuple | None = None
) -> Scope:
    """The root scope of ``segments`` cut by ``triggers`` (tag or ``TAG+qualifier`` -> depth).

    ``known`` (tag -> the qualifiers its directory code list allows) makes the segments whose
    qualifier is outside it land in ``root.unknown``, checked in the same pass. ``leading``:
    (triggers, members) of a layout that may open the message before ``triggers`` take over at
    the first segment that is one of theirs and not a leading trigger (IFTSTA D16A: EQD groups
    with their STS groups, then CNI groups); ``members`` (trigger -> the tags its group holds)
    closes a leading scope at the first other segment, which goes back to the enclosing scope.
    """
    root = Scope(None, 0, None, None)
    main = _split_triggers(tuple(triggers.items()))
    plain, qualified, qualified_tags = main
    members: dict = {}
    switching = leading is not None
    if switching:
        plain, qualified, qualified_tags = _split_triggers(tuple(leading[0].items()))
        members = leading[1]
    known = known or {}
    unknown: list = []
    stack = [root]
    top = root
    for seg in segments:
        tag = seg.tag
        value = None
        if tag in INDEXED:
            elements = seg.elements
            value = elements[0][0] if elements and elements[0] else ""
            if type(value) is not str:
                value = value[0]
            allowed = known.get(tag)
            if allowed is not None and value and value not in allowed:
                unknown.append(seg)
        if switching and tag in main[0] and tag not in plain:  # the main layout takes over
            plain, qualified, qualified_tags = main
            members, switching = {}, False
        level = plain.get(tag)
        key = tag
        if level is None and tag in qualified_tags:
            key = f"{tag}+{qualifier(seg)}"
            level = qualified.get(key)
        if level is not None:
            while stack[-1].level >= level:
                stack.pop()
            top = Scope(key, level, seg, stack[-1])
            stack[-1].children.append(top)
            stack.append(top)
        elif members:
            while top.key in members and tag not in members[top.key]:
                stack.pop()
                top = stack[-1]
        bucket = top.segments.get(tag)
        if bucket is None:
            top.segments[tag] = [seg]
        else:
            bucket.append(seg)
        if value is not None:
            index = top._index.get(tag)
            if index is None:
                top._index[tag] = {value: seg}
            elif value not in index:
                index[value] = seg
    root.unknown = unknown
    return root


def find(chain: list[Scope], tag: str, qualifiers: Iterable[str]) -> Any:
    """The first ``tag`` segment whose qualifier is in ``qualifiers`` (in their order of preference)."""
    indexes = [scope.by_qualifier(tag) for scope in chain]
    for wanted in qualifiers:
        for index in indexes:
            seg = index.get(wanted)
            if seg is not None:
                return seg
    return None


def every(chain: list[Scope], tag: str) -> list:
    """All ``tag`` segments of the chain, innermost scope first."""
    found: list = []
    for scope in chain:
        found.extend(scope.segments.get(tag, ()))
    return found


def status_scope(chain: list[Scope]) -> Scope | None:
    """The status group (STS) of an event's chain: its first scope, or the one its container's group is in."""
    return next((scope for scope in chain if scope.key == "STS"), None)
