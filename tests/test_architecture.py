"""ARCHITECTURE.md states what the code keeps, and these tests keep it.

The "Who may import whom" table is read from ARCHITECTURE.md itself: every import between
packages of ``generator/bedrock_gen`` must be allowed by it, no module reaches into another
module's ``_private`` names, and every package the table names exists (and every package is
named), so the document cannot drift from the code.
"""

from __future__ import annotations

import ast
import re

from conftest import ROOT

PACKAGE = ROOT / "generator" / "bedrock_gen"
DOC = ROOT / "ARCHITECTURE.md"


def _table() -> dict[str, set[str]]:
    """``| `unit` | `a`, `b` |`` rows of the section "Who may import whom"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Who may import whom", 1)[1].split("\n## ", 1)[0]
    allowed: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        units = re.findall(r"`([\w.]+)`", cells[0])
        targets = set(re.findall(r"`([\w.]+)`", cells[1]))
        for unit in units:
            allowed[unit] = targets
    return allowed


def _unit(module: str) -> str:
    """The unit of a module: its package under bedrock_gen, the top-level module's name, or
    ``__init__`` for the package itself (its version)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        out[name] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _imports(name: str, tree: ast.Module) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of bedrock_gen."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative
                pkg = name.split(".")[: -node.level] if not name.endswith("__init__") else name
                base = ".".join([*pkg, node.module])
            if base.startswith("bedrock_gen"):
                names = [a.name for a in node.names]
                if base == "bedrock_gen":  # a submodule, or an attribute of the package
                    for n in names:
                        sub = PACKAGE / n
                        module = sub.is_dir() or sub.with_suffix(".py").is_file()
                        out.append((f"bedrock_gen.{n}" if module else base, [], node.lineno))
                else:
                    out.append((base, names, node.lineno))
        elif isinstance(node, ast.Import):
            out += [
                (a.name, [], node.lineno) for a in node.names if a.name.startswith("bedrock_gen")
            ]
    return out


def test_every_import_between_packages_is_one_the_document_allows() -> None:
    allowed = _table()
    wrong = []
    for name, tree in _modules().items():
        src = _unit(name)
        for target, _, line in _imports(name, tree):
            dst = _unit(target)
            if dst != src and dst not in allowed.get(src, set()):
                wrong.append(f"{name}:{line} imports {target} ({src} -> {dst})")
    assert wrong == [], "\n".join(wrong)


def test_no_module_reaches_into_another_modules_private_names() -> None:
    wrong = []
    for name, tree in _modules().items():
        for target, names, line in _imports(name, tree):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target != name:
                wrong.append(f"{name}:{line} takes {', '.join(private)} from {target}")
    assert wrong == [], "\n".join(wrong)


def test_the_table_names_every_package_and_only_those() -> None:
    units = {_unit(name) for name in _modules()}
    assert set(_table()) == units
