"""SCP rules: the SCP grammar (in ``grammar``) and, given a config, which of its chosen routes
an SCP would deny (``blocked_routes``: ``lint --kind scp --config CONFIG``)."""

from __future__ import annotations

from bedrock_gen.lint.context import Context


def check(ctx: Context) -> None:
    """Nothing beyond the grammar without a config: route checks need the chosen routes."""
