"""How results look: one registry of reporters shared by every command.

``text`` is for people (one line per problem, ``FILE:LINE:COL: severity: message  [code]``),
``json`` for programs, ``github`` for workflow-command annotations in GitHub Actions.
Reporters only format; exit codes are decided by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol

from bedrock_gen.api import FileResult
from bedrock_gen.output import unified_diff

Echo = Callable[[str], None]


class Reporter(Protocol):
    def report(self, command: str, results: list[FileResult], echo: Echo) -> None: ...


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _where(result: FileResult, rel: str) -> str:
    return str(result.out_dir / rel) if result.out_dir is not None else rel


class TextReporter:
    def report(self, command: str, results: list[FileResult], echo: Echo) -> None:
        for result in results:
            for d in result.diagnostics:
                echo(d.format_text())
            if command == "render" and result.ok and result.documents is not None:
                self._render(result, echo)
        bad = sum(not r.ok for r in results)
        if command == "validate":
            if bad:
                echo(f"bedrock-gen: {_plural(bad, 'config')} of {len(results)} invalid")
            else:
                echo(f"bedrock-gen: {_plural(len(results), 'config')} valid")
        elif command == "lint":
            found = sum(len(r.diagnostics) for r in results)
            failed = sum(len(r.failures) for r in results)
            echo(f"bedrock-gen: {_plural(found, 'finding')} in {_plural(len(results), 'file')}"
                 + (f", {failed} failing" if failed else ""))
        elif command == "render":
            drifted = sum(bool(r.drifted) for r in results if r.ok)
            if results and results[0].mode in ("check", "diff"):
                if bad or drifted:
                    echo(f"bedrock-gen: {_plural(drifted, 'config')} would be re-rendered"
                         + (f", {bad} failed" if bad else ""))
                else:
                    echo(f"bedrock-gen: {_plural(len(results), 'config')} up to date")
            elif bad:
                echo(f"bedrock-gen: {_plural(bad, 'config')} failed; nothing written for "
                     f"{'it' if bad == 1 else 'them'}")

    def _render(self, result: FileResult, echo: Echo) -> None:
        assert result.documents is not None and result.config is not None
        sizes = {f"iam/{d.filename}": d for d in result.documents.all()}
        if result.mode in ("check", "diff"):
            for c in result.drifted:
                verb = {"create": "missing", "update": "stale", "remove": "no longer generated"}
                echo(f"{_where(result, c.path)}: {verb[c.action]}; run: bedrock-gen render "
                     f"{result.file}")
                if result.mode == "diff":
                    echo(unified_diff(c).rstrip("\n"))
            return
        changed = [c for c in result.drifted if not c.path.startswith(".")]
        echo(f"{result.file}: {'wrote' if changed else 'up to date in'} {result.out_dir}")
        for c in result.changes:
            if c.path.startswith("."):
                continue
            note = ""
            doc = sizes.get(c.path)
            if doc is not None:
                note = f"  ({doc.name}: {doc.size:,} of {doc.limit:,} characters)"
            echo(f"  {c.action:<9} {c.path}{note}")
        for line in next_steps(result):
            echo(line)


def next_steps(result: FileResult) -> list[str]:
    """What a person does next, in AWS and in Port."""
    config = result.config
    assert config is not None and result.documents is not None
    account = config.account_id or "ACCOUNT_ID"
    region = config.regions[0] if config.regions else "<the Region you call Bedrock in>"
    policies = ", ".join(f"iam/{d.filename}" for d in result.documents.invoke)
    module = result.out_dir / "terraform" if result.out_dir else "terraform"
    lines = ["", "Next steps:"]
    if config.auth.mode == "assume_role":
        lines.append(f"  1. Create IAM role '{config.auth.role_name}': terraform -chdir={module} "
                     "init && terraform apply (or by hand: iam/trust-policy.json as its trust "
                     f"policy, attach {policies}).")
        if config.auth.external_id is not None:
            source = (f"the value of ${config.auth.external_id.env}"
                      if config.auth.external_id.env else "auth.external_id")
            lines.append(f"  2. In Port, create the secret '{config.auth.external_id_secret_name}'"
                         f" holding the external ID ({source}), character for character.")
        else:
            lines.append("  2. (Recommended) set auth.external_id and store it as a Port secret.")
        secret = (f", externalIdSecretName {config.auth.external_id_secret_name}"
                  if config.auth.external_id is not None else "")
        lines.append(f"  3. Register the Bedrock provider in Port: roleArn "
                     f"arn:{config.partition}:iam::{account}:role/{config.auth.role_name}{secret},"
                     f" region {region}.")
    else:
        lines.append(f"  1. Create IAM user '{config.auth.user_name}': terraform -chdir={module} "
                     f"init && terraform apply (or by hand, attaching {policies}).")
        lines.append("  2. Create an access key for it and store the key ID and secret as Port "
                     "secrets (e.g. aws-bedrock-access-key-id, aws-bedrock-secret-access-key).")
        lines.append(f"  3. Register the Bedrock provider in Port with those secret names and "
                     f"region {region}.")
    if any(m.provider == "anthropic" for m in config.models) or config.allow == "all":
        lines.append("  Anthropic models also need the one-time use-case form "
                     "(PutUseCaseForModelAccess) once per account or organization.")
    return lines


class JsonReporter:
    def report(self, command: str, results: list[FileResult], echo: Echo) -> None:
        files = []
        for r in results:
            entry: dict[str, object] = {
                "file": r.file,
                "ok": r.ok,
                "diagnostics": [d.to_json() for d in r.diagnostics],
            }
            if r.documents is not None:
                entry["documents"] = [
                    {"name": d.name, "file": f"iam/{d.filename}", "size": d.size,
                     "limit": d.limit} for d in r.documents.all()
                ]
            if command == "render" and r.out_dir is not None:
                entry["output_dir"] = str(r.out_dir)
                entry["changes"] = [{"path": c.path, "action": c.action} for c in r.changes]
            files.append(entry)
        echo(json.dumps({"command": command, "ok": all(r.ok for r in results)
                         and not any(r.drifted for r in results if r.mode in ("check", "diff")),
                         "files": files}, indent=2))


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


class GithubReporter:
    def report(self, command: str, results: list[FileResult], echo: Echo) -> None:
        for r in results:
            for d in r.diagnostics:
                props = [f"file={_gh_escape(d.file or r.file, True)}"]
                if d.location is not None:
                    props += [f"line={d.location.line}", f"col={d.location.column}"]
                props.append(f"title={_gh_escape('bedrock-gen ' + d.code, True)}")
                level = {"error": "error", "security_warning": "error", "warning": "warning",
                         "suggestion": "notice"}[d.severity]
                echo(f"::{level} {','.join(props)}::{_gh_escape(d.message)}")
            if r.mode in ("check", "diff"):
                for c in r.drifted:
                    echo(f"::error file={_gh_escape(_where(r, c.path), True)},"
                         f"title=bedrock-gen drift::"
                         + _gh_escape(f"generated file is out of date ({c.action}); run "
                                      f"bedrock-gen render {r.file}"))


class SarifReporter:
    """SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

    def report(self, command: str, results: list[FileResult], echo: Echo) -> None:
        from bedrock_gen import __version__
        from bedrock_gen.lint import RULES

        level = {"error": "error", "security_warning": "error", "warning": "warning",
                 "suggestion": "note"}
        findings = []
        codes: list[str] = []
        for r in results:
            for d in r.diagnostics:
                if d.code not in codes:
                    codes.append(d.code)
                region = ({"startLine": d.location.line, "startColumn": d.location.column}
                          if d.location else {"startLine": 1})
                findings.append({
                    "ruleId": d.code, "level": level[d.severity],
                    "message": {"text": d.message},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": (d.file or r.file).replace("\\", "/")},
                        "region": region}}],
                })
        rules = []
        for code in codes:
            rule = RULES.get(code)
            entry: dict[str, object] = {"id": code}
            if rule is not None:
                entry["shortDescription"] = {"text": rule.description}
                entry["helpUri"] = rule.source
            rules.append(entry)
        echo(json.dumps({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "bedrock-gen", "version": __version__,
                                          "informationUri": "https://github.com/bedrock-gen/"
                                                            "bedrock-gen", "rules": rules}},
                      "results": findings}],
        }, indent=2))


REPORTERS: dict[str, Callable[[], Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
}
