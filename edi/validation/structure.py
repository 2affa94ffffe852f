"""The segment-group state machine that checks a message's segment order (ISO 9735 codes 13, 15, 35, 36).

Frames of ``[group, position of the current child, repetitions of that child]``; a segment is
looked for forward in the innermost group, then in the enclosing ones (closing the inner groups
and reporting their missing mandatory children); a group's trigger segment seen again starts a
new instance of the group.
"""

from __future__ import annotations

from typing import Any

from edi.directory.load import Group


class StructureWalker:
    """The segment-group state machine of one message (see the module docstring)."""

    __slots__ = ("stack", "add", "unt_reported")

    def __init__(self, structure: Group, add: Any, unt_reported: bool = False) -> None:
        # frames: [group, position of the current child, repetitions of that child]
        self.stack: list[list] = [[structure, -1, 0]]
        self.add = add
        self.unt_reported = unt_reported  # the envelope reader already said UNT is missing

    def feed(self, tag: str, next_tag: str | None = None) -> None:
        """Move the state machine on by one segment; ``next_tag`` allows a one-segment look-ahead.

        A segment whose only place lies beyond missing mandatory segments or groups is taken as
        out of place (15) rather than as a jump when the next segment fits the current state
        without skipping anything mandatory: one stray segment then gives one error, not a cascade.
        """
        found, overflow = self._find(tag)
        if found is not None:
            level, j = found
            stack = self.stack
            jumps = level != len(stack) - 1 or j > stack[level][1] + 1  # else nothing can be skipped
            if jumps and next_tag is not None and self._costly(level, j):
                ahead, _ = self._find(next_tag)
                if ahead is not None and not self._costly(*ahead) and not self._fits_after(level, j, next_tag):
                    self.add("15", f"Segment {tag} is not supported in this position", None, None)
                    return
            self._advance(level, j)
        elif overflow is not None:
            self.add("35", f"Segment {tag} repeated more than {overflow.max} times", None, None)
        else:
            self.add("15", f"Segment {tag} is not supported in this position", None, None)

    def _find(self, tag: str) -> tuple[tuple[int, int] | None, Any]:
        """Where ``tag`` goes from the current state: ``((level, child), None)`` or ``(None, overflowed node)``."""
        stack = self.stack
        overflow = None
        for level in range(len(stack) - 1, -1, -1):
            group, pos, count = stack[level]
            candidates = group.positions.get(tag)
            if not candidates:
                continue
            for j in candidates:
                if j == 0 and level > 0:
                    continue  # a group's trigger again starts a new group instance (found one level up)
                if j > pos:
                    return (level, j), None
                if j == pos:
                    node = group.children[j]
                    if count < node.max or node.group is not None:
                        return (level, j), None
                    if overflow is None:
                        overflow = node
        return None, overflow

    def _fits_after(self, level: int, j: int, next_tag: str) -> bool:
        """Whether ``next_tag`` would follow on from child ``j`` at ``level`` without skipping anything mandatory:
        then the segment is where it belongs and something mandatory before it is missing (13), not a stray (15),
        e.g. a TDT group's TDT and RFF after a header whose mandatory RFF was left out."""
        trial = StructureWalker.__new__(StructureWalker)
        trial.stack = [list(frame) for frame in self.stack]
        trial.add = lambda *_args: None
        trial.unt_reported = self.unt_reported
        trial._advance(level, j)
        ahead, _ = trial._find(next_tag)
        return ahead is not None and not trial._costly(*ahead)

    def _costly(self, level: int, j: int) -> bool:
        """Whether moving to child ``j`` at ``level`` leaves a mandatory segment or group missing."""
        stack = self.stack
        for deeper in range(len(stack) - 1, level, -1):
            group, pos, count = stack[deeper]
            if group.any_mandatory(pos + 1 if count else pos, len(group.children)):
                return True
        group, pos, count = stack[level]
        return group.any_mandatory(pos + 1 if count else pos, j)

    def _advance(self, level: int, j: int) -> None:
        stack = self.stack
        while len(stack) - 1 > level:
            self._close(stack.pop())
        frame = stack[level]
        group, pos, count = frame
        node = group.children[j]
        if j == pos:
            frame[2] = count + 1
            if node.group is not None and count + 1 > node.max:
                self.add("36", f"Segment group {node.name} repeated more than {node.max} times", None, None)
        else:
            start = pos + 1 if count else pos
            if start < j:
                self._missing(group, start, j)
            frame[1] = j
            frame[2] = 1
        if node.group is not None:
            stack.append([node.group, 0, 1])

    def _missing(self, group: Group, start: int, stop: int) -> None:
        for node in group.children[max(start, 0) : stop]:
            if node.mandatory and not (self.unt_reported and node.tag == "UNT"):
                what = f"segment group {node.name} (starting with {node.tag})" if node.group else f"segment {node.tag}"
                self.add("13", f"Mandatory {what} missing", None, None)

    def _close(self, frame: list) -> None:
        group, pos, count = frame
        self._missing(group, pos + 1 if count else pos, len(group.children))

    def finish(self) -> None:
        while self.stack:
            self._close(self.stack.pop())
