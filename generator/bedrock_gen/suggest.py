"""'Did you mean …' hints for typos in keys, model IDs, Regions and geographies."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    options = sorted(set(choices))
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    import difflib

    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[match[0]] if match else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """``"; did you mean 'x'?"`` or the empty string."""
    best = closest(word, choices, cutoff)
    return f"; did you mean '{best}'?" if best is not None and best != word else ""
