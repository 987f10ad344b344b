"""ARNs and IAM's wildcard matching.

IAM matches a Resource pattern against an ARN field by field (partition, service, Region,
account, resource), each with ``*`` (any run, possibly empty) and ``?`` (one character); the
resource field may itself hold colons. Resource matching is case-sensitive; action names are
not. The matching itself (``glob``) takes linear time on any pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from bedrock_gen.iam.glob import glob_match, has_wildcard

__all__ = [
    "ARN_RE",
    "Arn",
    "Patterns",
    "action_match",
    "arn_match",
    "glob_match",
    "has_wildcard",
    "parse",
]

ARN_RE = re.compile(
    r"^arn:(?P<partition>[a-z*?-]+):(?P<service>[a-z0-9*?-]+):"
    r"(?P<region>[a-z0-9*?-]*):(?P<account>[0-9*?]*|aws):(?P<resource>.+)$"
)


class Arn(NamedTuple):
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @property
    def kind(self) -> str:
        """The resource type: ``foundation-model`` in ``foundation-model/ID``."""
        return self.resource.partition("/")[0]

    @property
    def ident(self) -> str:
        """The resource ID: ``ID`` in ``foundation-model/ID``."""
        return self.resource.partition("/")[2]


def parse(text: str) -> Arn | None:
    m = ARN_RE.match(text)
    return (
        None
        if m is None
        else Arn(*m.group("partition", "service", "region", "account", "resource"))
    )


def action_match(pattern: str, action: str) -> bool:
    """Does an Action pattern (``bedrock:Invoke*``) match an action? Case-insensitive."""
    return glob_match(pattern, action, ignore_case=True)


def arn_match(pattern: str, arn: str) -> bool:
    """IAM matching of a Resource pattern against an ARN: each of the six fields separately."""
    if pattern == "*" or pattern == arn:
        return True
    p, a = pattern.split(":", 5), arn.split(":", 5)
    if len(p) != 6 or len(a) != 6:
        return False
    return all(x == y or glob_match(x, y) for x, y in zip(p, a, strict=True))


class Patterns:
    """Resource patterns indexed for matching: a set for plain ARNs, a scan only over the few
    with wildcards (a whole-catalog policy has thousands of ARNs)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        items = list(patterns)
        self.all = items
        self.exact = {p for p in items if not has_wildcard(p)}
        # Wildcards are nearly always in the Region or account field; index by the last field.
        self.by_resource: dict[str, list[str]] = {}
        self.scan: list[str] = []
        for p in items:
            if not has_wildcard(p):
                continue
            last = p.split(":", 5)[-1] if p.count(":") >= 5 else "*"
            if has_wildcard(last):
                self.scan.append(p)
            else:
                self.by_resource.setdefault(last, []).append(p)

    def candidates(self, arn: str) -> list[str]:
        """Wildcard patterns that may match ``arn`` (the rest cannot)."""
        return [*self.by_resource.get(arn.split(":", 5)[-1], ()), *self.scan]

    def match(self, arn: str) -> bool:
        return arn in self.exact or any(arn_match(p, arn) for p in self.candidates(arn))
