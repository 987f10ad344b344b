"""Runs a composite action's steps locally, as GitHub's runner would, for tests.

Each ``run:`` step runs with ``bash --noprofile --norc -eo pipefail`` (GitHub's command for
``shell: bash``) in the workspace, with the step's ``env:`` evaluated, the ``GITHUB_*`` and
``RUNNER_*`` variables set, and a fresh ``GITHUB_OUTPUT`` file per step whose ``key=value``
lines (and ``key<<DELIMITER`` blocks) become ``steps.<id>.outputs``. ``uses:`` steps are not run
(they are other repositories' actions): their ``if:`` and ``with:`` are evaluated and recorded.
A failing step stops the run, as it does on GitHub when no later step asks for ``always()``.

Expressions (``${{ }}`` and ``if:``) are evaluated for the subset actions use here: contexts
(``inputs``, ``steps``, ``github``, ``runner``), string literals, ``==``, ``!=`` (strings compared
case-insensitively, as GitHub does), ``!``, ``&&``, ``||`` and parentheses. Anything else raises,
so an action that grows past the subset fails its tests instead of being misread.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<name>[A-Za-z_][A-Za-z0-9_.-]*))"
)
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


class Expressions:
    """Evaluates GitHub expressions over the contexts of one run."""

    def __init__(self, contexts: Mapping[str, Any]) -> None:
        self.contexts = contexts

    def lookup(self, path: str) -> Any:
        if path in ("true", "false"):
            return path == "true"
        value: Any = self.contexts
        for part in path.split("."):
            if not isinstance(value, Mapping):
                return ""
            value = value.get(part, "")
        return "" if value is None else value

    def evaluate(self, text: str) -> Any:
        tokens = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise ValueError(f"unsupported expression: {text!r} at {pos}")
            tokens.append(m)
            pos = m.end()
        value, rest = self._or(tokens)
        if rest:
            raise ValueError(f"unsupported expression: {text!r}")
        return value

    def _or(self, tokens: list[re.Match[str]]) -> tuple[Any, list[re.Match[str]]]:
        left, tokens = self._and(tokens)
        while tokens and tokens[0]["op"] == "||":
            right, tokens = self._and(tokens[1:])
            left = left if truthy(left) else right
        return left, tokens

    def _and(self, tokens: list[re.Match[str]]) -> tuple[Any, list[re.Match[str]]]:
        left, tokens = self._compare(tokens)
        while tokens and tokens[0]["op"] == "&&":
            right, tokens = self._compare(tokens[1:])
            left = right if truthy(left) else left
        return left, tokens

    def _compare(self, tokens: list[re.Match[str]]) -> tuple[Any, list[re.Match[str]]]:
        left, tokens = self._unary(tokens)
        while tokens and tokens[0]["op"] in ("==", "!="):
            op = tokens[0]["op"]
            right, tokens = self._unary(tokens[1:])
            same = text_of(left).lower() == text_of(right).lower()
            left = same if op == "==" else not same
        return left, tokens

    def _unary(self, tokens: list[re.Match[str]]) -> tuple[Any, list[re.Match[str]]]:
        if not tokens:
            raise ValueError("expression ends early")
        first = tokens[0]
        if first["op"] == "!":
            value, rest = self._unary(tokens[1:])
            return not truthy(value), rest
        if first["op"] == "(":
            value, rest = self._or(tokens[1:])
            if not rest or rest[0]["op"] != ")":
                raise ValueError("unbalanced parentheses")
            return value, rest[1:]
        if first["str"] is not None:
            return first["str"][1:-1].replace("''", "'"), tokens[1:]
        if first["name"] is not None:
            return self.lookup(first["name"]), tokens[1:]
        raise ValueError(f"unexpected {first.group(0)!r}")

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: text_of(self.evaluate(m[1])), text)


def truthy(value: Any) -> bool:
    return value not in ("", False, None, 0)


def text_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_outputs(path: Path) -> dict[str, str]:
    """``GITHUB_OUTPUT``'s format: ``key=value`` lines and ``key<<DELIMITER`` blocks."""
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            out[key] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        key, _, value = line.partition("=")
        out[key] = value
        i += 1
    return out


@dataclass
class StepRun:
    id: str | None
    name: str
    ran: bool
    code: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    with_: dict[str, str] = field(default_factory=dict)  # a uses: step's evaluated inputs


@dataclass
class ActionRun:
    steps: list[StepRun]
    summary: str
    outputs: dict[str, str]

    @property
    def code(self) -> int:
        return next((s.code for s in self.steps if s.code), 0)

    @property
    def log(self) -> str:
        return "".join(s.stdout + s.stderr for s in self.steps)

    def step(self, step_id: str) -> StepRun:
        return next(s for s in self.steps if s.id == step_id)


def run_action(
    action: Path,
    workspace: Path,
    temp: Path,
    *,
    inputs: Mapping[str, str] | None = None,
    event_name: str = "push",
    event: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> ActionRun:
    """Run ``action`` (an action.yml) in ``workspace`` as ``event_name`` with ``event``."""
    meta = yaml.safe_load(action.read_text(encoding="utf-8"))
    temp.mkdir(parents=True, exist_ok=True)
    event = dict(event or {})
    event_path = temp / "event.json"
    event_path.write_text(json.dumps(event))
    summary = temp / "step_summary.md"
    summary.write_text("")
    token = "ghs_test_token"
    given = dict(inputs or {})
    base_contexts: dict[str, Any] = {
        "github": {
            "token": token,
            "event": event,
            "event_name": event_name,
            "repository": "acme/gateways",
            "action_path": str(action.parent),
            "workspace": str(workspace),
        },
        "runner": {"temp": str(temp), "os": "Linux"},
        "steps": {},
    }
    contexts = Expressions({**base_contexts, "inputs": {}})
    values = {}
    for name, spec in (meta.get("inputs") or {}).items():
        default = contexts.substitute(str(spec.get("default", "")))
        values[name] = given.pop(name, default)
    assert not given, f"inputs the action does not declare: {sorted(given)}"
    contexts = Expressions({**base_contexts, "inputs": values})
    base_env = {
        **(env or {}),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(action.parent),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": "acme/gateways",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(temp),
        "RUNNER_OS": "Linux",
    }
    runs: list[StepRun] = []
    for i, step in enumerate(meta["runs"]["steps"]):
        step_id = step.get("id")
        name = step.get("name", step_id or f"step {i}")
        condition = step.get("if")
        if condition is not None:
            condition = str(condition)
            inner = EXPRESSION.fullmatch(condition.strip())
            if not truthy(contexts.evaluate(inner[1] if inner else condition)):
                runs.append(StepRun(step_id, name, ran=False))
                continue
        if "uses" in step:
            with_ = {k: contexts.substitute(str(v)) for k, v in (step.get("with") or {}).items()}
            runs.append(StepRun(step_id, name, ran=False, with_=with_))
            continue
        output = temp / f"output-{i}"
        output.write_text("")
        step_env = {k: contexts.substitute(str(v)) for k, v in (step.get("env") or {}).items()}
        script = temp / f"step-{i}.sh"
        script.write_text(step["run"])
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env={**base_env, **step_env, "GITHUB_OUTPUT": str(output)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        outputs = read_outputs(output)
        runs.append(
            StepRun(step_id, name, True, proc.returncode, proc.stdout, proc.stderr, outputs)
        )
        if step_id:
            base_contexts["steps"][step_id] = {"outputs": outputs}
        if proc.returncode != 0:
            break
    action_outputs = {
        name: contexts.substitute(str(spec.get("value", "")))
        for name, spec in (meta.get("outputs") or {}).items()
    }
    return ActionRun(runs, summary.read_text(encoding="utf-8"), action_outputs)


def environment_without_github() -> dict[str, str]:
    """This process's environment less anything a real runner would set for the job."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_")) and k not in ("CI", "GH_TOKEN")
    }
