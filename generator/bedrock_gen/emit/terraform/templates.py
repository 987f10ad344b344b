"""The Jinja2 environment for ``templates/``: built once per process, compiled from source.

Nothing is cached across runs and nothing is written: a render compiles the templates it uses
(bench/results.md measures what that costs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def _markdown_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


@functools.cache
def environment() -> Any:
    """The Jinja2 environment, once per process: strict about undefined names, no escaping
    (the output is HCL and Markdown, each quoted by its own filter), and no cache written."""
    import jinja2

    from bedrock_gen.emit.terraform import hcl
    from bedrock_gen.resources import folder

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder("templates"))),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    filters: dict[str, Callable[[Any], str]] = {"hcl": hcl.value, "md": _markdown_cell}
    env.filters.update(filters)
    return env
