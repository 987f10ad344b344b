"""IAM's wildcard matching (``*`` any run of characters, possibly empty; ``?`` exactly one),
without regular expressions.

A pattern turned into a backtracking regular expression takes exponential time on patterns
like ``bedrock:?*?*?*?*?*?*?*?*?*Q`` (an 88-byte policy kept ``lint``, ``diff`` and ``simulate``
busy for minutes). Here no input can do that:

- no wildcard: string equality; a single trailing ``*``: a prefix test;
- ``*`` but no ``?``: the pieces between stars are found left to right with ``str.find``
  (the leftmost place of each piece is always the right one), one pass over the value;
- ``?`` as well: the pattern is run as a set of states over the value, one step per
  character; the state set is a bit mask (bit ``i``: "the first ``i`` pattern characters are
  matched"), so a step is a few integer operations whatever the pattern's length.

Consecutive stars are one star. Matching is exact (case-sensitive) unless ``ignore_case``:
IAM compares action names case-insensitively, and ARNs, ``StringLike`` and ``ArnLike``
case-sensitively.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

_STARS = re.compile(r"\*{2,}")  # linear: a run of one character


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


class _Automaton(NamedTuple):
    """A ``?``-pattern as bit masks: per character, the positions it may stand at."""

    masks: dict[str, int]  # character -> positions holding it or '?'
    any_char: int  # positions holding '?' (what every other character may match)
    stars: int  # positions holding '*'
    accept: int  # the bit of "the whole pattern is matched"


@functools.lru_cache(maxsize=4096)
def _automaton(pattern: str) -> _Automaton:
    any_char = stars = 0
    literal: dict[str, int] = {}
    for i, c in enumerate(pattern):
        bit = 1 << i
        if c == "*":
            stars |= bit
        elif c == "?":
            any_char |= bit
        else:
            literal[c] = literal.get(c, 0) | bit
    masks = {c: bits | any_char for c, bits in literal.items()}
    return _Automaton(masks, any_char, stars, 1 << len(pattern))


def _closure(states: int, stars: int) -> int:
    """A star matches the empty run too: being before it is being after it (stars never
    follow each other here, so one step is enough)."""
    return states | ((states & stars) << 1)


def _run(pattern: str, value: str) -> bool:
    a = _automaton(pattern)
    states = _closure(1, a.stars)
    for c in value:
        # advance over a matching character or '?'; stay on a star (it takes c as well)
        states = ((states & a.masks.get(c, a.any_char)) << 1) | (states & a.stars)
        if not states:
            return False
        states = _closure(states, a.stars)
    return bool(states & a.accept)


def _pieces(pattern: str, value: str) -> bool:
    """A pattern of literal pieces between stars (no ``?``)."""
    pieces = pattern.split("*")
    first, last = pieces[0], pieces[-1]
    if len(first) + len(last) > len(value) or not value.startswith(first):
        return False
    if not value.endswith(last):
        return False
    pos, end = len(first), len(value) - len(last)
    for piece in pieces[1:-1]:
        if not piece:
            continue
        found = value.find(piece, pos, end)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def glob_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Does ``value`` match the IAM pattern ``pattern``? In time linear in ``value`` (and
    in the pattern's length, in bit operations)."""
    if pattern == value or pattern == "*":
        return True
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
        if pattern == value:
            return True
    if "?" not in pattern:
        if "*" not in pattern:
            return False
        if "**" in pattern:
            pattern = _STARS.sub("*", pattern)
        if pattern.endswith("*") and pattern.count("*") == 1:
            return value.startswith(pattern[:-1])
        return _pieces(pattern, value)
    if "**" in pattern:
        pattern = _STARS.sub("*", pattern)
    return _run(pattern, value)
