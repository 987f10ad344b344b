"""The Jinja2 environment for ``templates/``, and the templates precompiled to Python.

Lexing, parsing and generating code for the templates was the largest single cost of a render
(bench/results.md). Jinja2 can compile templates to Python modules; shipped as a real package
(``bedrock_gen.emit.terraform.compiled``), pip byte-compiles them at install like any other
module, so a render imports them in about a millisecond and writes no cache anywhere.

A compiled module is used only when it provably matches: the template's source hashes to the
digest recorded at compile time and the installed Jinja2 is the version that compiled it.
Anything else (a template edited in a checkout, another Jinja2) compiles from source, so the
precompiled copy can make a render faster but never different. ``make templates`` regenerates
the package; a test fails while it is stale.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

COMPILED_PACKAGE = "bedrock_gen.emit.terraform.compiled"
_COMPILED_DIR = Path(__file__).resolve().parent / "compiled"
_INDEX = "index.json"  # {"jinja2": version, "templates": {name: sha256 of the source}}


def _markdown_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _index() -> dict[str, Any]:
    try:
        with open(_COMPILED_DIR / _INDEX, encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data


def _loader(folder: Path) -> Any:
    import jinja2

    class Precompiled(jinja2.FileSystemLoader):
        """The shipped module when it matches the template's source, else the source."""

        def __init__(self) -> None:
            super().__init__(str(folder))
            index = _index()
            self.digests: dict[str, str] = (
                index.get("templates", {}) if index.get("jinja2") == jinja2.__version__ else {}
            )

        def load(
            self,
            environment: jinja2.Environment,
            name: str,
            globals: MutableMapping[str, Any] | None = None,
        ) -> jinja2.Template:
            digest = self.digests.get(name)
            if (
                digest is not None
                and (folder / name).is_file()
                and _digest(folder / name) == digest
            ):
                key = jinja2.ModuleLoader.get_template_key(name)
                module = importlib.import_module(f"{COMPILED_PACKAGE}.{key}")
                return environment.template_class.from_module_dict(
                    environment, module.__dict__, globals or {}
                )
            return super().load(environment, name, globals)

    return Precompiled()


@functools.cache
def environment() -> Any:
    """The Jinja2 environment, once per process: strict about undefined names, no escaping
    (the output is HCL and Markdown, each quoted by its own filter), and no cache written."""
    import jinja2

    from bedrock_gen.emit.terraform import hcl
    from bedrock_gen.resources import folder

    env = jinja2.Environment(
        loader=_loader(folder("templates")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable[[Any], str]] = {"hcl": hcl.value, "md": _markdown_cell}
    env.filters.update(filters)
    return env


def compile_all(target: Path | None = None) -> Path:
    """Write the compiled package (maintainers: ``make templates``); returns its folder.

    The package is built next to the target and swapped in, so an interrupted run leaves the
    previous one whole.
    """
    import shutil
    import tempfile

    import jinja2

    from bedrock_gen.resources import folder

    target = target or _COMPILED_DIR
    env = environment()
    source = folder("templates")
    names = sorted(n for n in env.list_templates() if n.endswith(".j2"))
    stage = Path(tempfile.mkdtemp(prefix=".compiled-", dir=target.parent))
    stage.chmod(0o755)  # a package folder like the others (mkdtemp makes it private)
    try:
        env.compile_templates(
            str(stage), filter_func=lambda n: n.endswith(".j2"), zip=None, ignore_errors=False
        )
        (stage / "__init__.py").write_text(
            '"""Templates precompiled by Jinja2 (``make templates``); generated, do not edit.\n\n'
            "See ``bedrock_gen.emit.terraform.templates``: each is used only while its source "
            'matches."""\n',
            encoding="utf-8",
        )
        index = {"jinja2": jinja2.__version__, "templates": {n: _digest(source / n) for n in names}}
        (stage / _INDEX).write_text(
            json.dumps(index, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        old = target.with_name(f".{target.name}-old")
        if target.exists():
            os.replace(target, old)
        os.replace(stage, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return target


if __name__ == "__main__":
    print(compile_all())
