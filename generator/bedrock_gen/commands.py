"""Every command as a library call: arguments in, one ``Report`` out.

The CLI (``cli/``) only parses options, calls one of these, hands the report to a reporter and
exits with ``Report.exit_code``; tests call them directly. Each builds its results from the
per-file functions of ``api`` and says in one summary line what the run found. A request the
command cannot serve raises ``errors.UsageError`` (exit 2); problems with the inputs are
diagnostics in the report (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bedrock_gen.diagnostics import Diagnostic, Severity, error
from bedrock_gen.errors import BedrockGenError, UsageError
from bedrock_gen.printable import quoted
from bedrock_gen.report import FileResult, Mode, Report


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _usage(message: str, code: str = "usage") -> UsageError:
    return UsageError([error(code, message)])


def _failed(file: str, diagnostics: Sequence[Diagnostic]) -> FileResult:
    return FileResult(file, tuple(diagnostics))


# -- configs ---------------------------------------------------------------------------------


def validate(configs: Sequence[str], catalog: str | None = None) -> Report:
    from bedrock_gen.api import validate_config

    results = [validate_config(c, catalog) for c in configs]
    bad = sum(not r.ok for r in results)
    summary = (
        f"bedrock-gen: {plural(bad, 'config')} of {len(results)} invalid"
        if bad
        else f"bedrock-gen: {plural(len(results), 'config')} valid"
    )
    return Report("validate", results, summary=summary)


def render(
    configs: Sequence[str],
    *,
    output: str | None = None,
    mode: Mode = Mode.WRITE,
    adopt: bool = False,
    force: bool = False,
    only_owned: bool = False,
    catalog: str | None = None,
    verbose: bool = False,
) -> Report:
    from bedrock_gen.api import config_paths, render_config

    targets, problems = config_paths(list(configs), only_owned)
    if output is not None and len(targets) > 1:
        raise _usage("--output takes a single config; each config has its own output_dir")
    results = [p._replace(mode=mode) for p in problems]
    results += [
        render_config(
            t.config,
            output=output,
            mode=mode,
            adopt=adopt,
            force=force,
            catalog=catalog,
            expected_out=t.out_dir,
        )
        for t in targets
    ]
    errors = sum(bool(r.failures) for r in results)
    if mode.compares:
        drifted = sum(bool(r.drifted) for r in results if not r.failures)
        if drifted or errors:
            summary = f"bedrock-gen: {plural(drifted, 'config')} would be re-rendered" + (
                f", {errors} failed" if errors else ""
            )
        else:
            summary = f"bedrock-gen: {plural(len(results), 'config')} up to date"
    elif errors:
        summary = (
            f"bedrock-gen: {plural(errors, 'config')} failed; nothing written for "
            f"{'it' if errors == 1 else 'them'}"
        )
    else:
        summary = ""
    return Report("render", results, mode, verbose, summary)


def trust_policy(
    config: str, environ: Mapping[str, str] | None = None, catalog: str | None = None
) -> Report:
    """The complete trust policy (the one place a secret external ID is written out)."""
    import json

    from bedrock_gen.api import trust_policy as build

    document, result = build(config, environ, catalog)
    if document is not None:
        result = result._replace(document=json.dumps(document, indent=2, ensure_ascii=False))
    return Report("trust-policy", [result], document=True)


def schema() -> Report:
    from bedrock_gen.resources import schema_path

    text = schema_path().read_text(encoding="utf-8").removesuffix("\n")
    return Report("schema", [FileResult("bedrock-gen.schema.json", document=text)], document=True)


def init(path: str, content: str, after: Sequence[str] = ()) -> Report:
    """Write a starter config that validates as written; nothing when it would not. ``after``:
    what to print once it is written (a generated external ID, never written to the file)."""
    from bedrock_gen.emit.starter_config import check
    from bedrock_gen.output.write import write_atomic

    problems = check(content, path)
    if problems:
        return Report(
            "init",
            [FileResult(path, tuple(problems))],
            summary=f"bedrock-gen: nothing written to {path}; adjust the flags above",
        )
    try:
        write_atomic(Path(path), content.encode())
    except BedrockGenError as exc:
        return Report("init", [_failed(path, exc.diagnostics)])
    verdict = "\n".join([f"wrote {path}; next: bedrock-gen render {path}", *after])
    return Report("init", [FileResult(path, verdict=verdict)])


# -- lint ------------------------------------------------------------------------------------


def lint(
    files: Sequence[str],
    *,
    kind: str = "auto",
    fail_on: Severity = Severity.SECURITY_WARNING,
    ignored: Sequence[str] = (),
    config: str | None = None,
    trust_limit: int = 2048,
    catalog: str | None = None,
) -> Report:
    from bedrock_gen.api import check, lint_file
    from bedrock_gen.lint.rules import canonical, expand_ignored

    if not files:
        raise _usage("give at least one IAM JSON file (or --list-rules)")
    unknown = [c for c in ignored if canonical(c) is None]
    if unknown:
        raise _usage(
            f"--ignore: unknown code {quoted(unknown[0])}; see 'bedrock-gen lint --list-rules'"
        )
    codes = list(ignored)
    routes = None
    if config is not None:
        checked = check(config, catalog, check_organization=False)
        if checked.config is None:
            return Report(
                "lint",
                [_failed(checked.file, checked.diagnostics)],
                summary="bedrock-gen: the --config is invalid; nothing linted",
            )
        codes += checked.config.lint_ignore
        routes = checked
    results = [
        lint_file(
            f,
            kind=kind,
            ignored=expand_ignored(codes),
            trust_limit=trust_limit,
            threshold=fail_on,
            catalog=catalog,
            routes=routes,
        )
        for f in files
    ]
    found = sum(len(r.diagnostics) for r in results)
    failing = sum(len(r.failures) for r in results)
    summary = f"bedrock-gen: {plural(found, 'finding')} in {plural(len(results), 'file')}" + (
        f", {failing} failing" if failing else ""
    )
    return Report("lint", results, summary=summary)


def lint_rules() -> Report:
    from bedrock_gen.lint.rules import RULES, table
    from bedrock_gen.tables import Table

    rows = [(r.code, r.severity.finding_type, r.description) for r in RULES.values()]
    result = FileResult(
        "rules", tables=(Table("Lint rules", ("CODE", "SEVERITY", "DESCRIPTION"), rows),)
    )
    return Report("lint", [result._replace(data=table())], summary=f"{plural(len(rows), 'rule')}")


# -- the catalog -----------------------------------------------------------------------------


def models(
    geography: str | None = None, routes: bool = False, catalog: str | None = None
) -> Report:
    from bedrock_gen.catalog import bundled, overlay
    from bedrock_gen.catalog.listing import listing, route_table
    from bedrock_gen.suggest import did_you_mean
    from bedrock_gen.tables import Table

    try:
        cat = overlay.load_for(bundled.load(), catalog)
    except BedrockGenError as exc:
        return Report("models", [_failed(catalog or "catalog", exc.diagnostics)])
    if geography is not None and geography not in cat.geographies:
        raise _usage(
            f"--geography: unknown geography '{geography}'"
            f"{did_you_mean(geography, cat.geographies)}"
        )
    chosen = [m for m in cat.models if geography is None or geography in m.profiles]
    if routes:
        found = tuple(route_table(cat, chosen, geography))
    else:
        rows = [
            (
                m.id,
                m.aliases[0] if m.aliases else "-",
                ",".join(sorted(m.profiles)) or "-",
                "yes" if m.on_demand else "no",
                m.status,
            )
            for m in chosen
        ]
        found = (
            Table("Models", ("MODEL ID", "ALIAS", "GEOGRAPHIES", "IN-REGION", "STATUS"), rows),
        )
    result = FileResult("catalog", tables=found, data=listing(cat, chosen, geography, routes))
    summary = (
        f"{len(chosen)} models (catalog {cat.version}"
        f"{', with an overlay' if cat.overlay_sha256 else ''}); 'models.ids' takes an "
        "ID or alias."
    )
    return Report("models", [result], summary=summary)


def _overlay_written(output: str, overlay: Any, notes: Sequence[str], what: str) -> Report:
    from bedrock_gen.output.write import write_atomic

    try:
        write_atomic(Path(output), overlay.dumps())
    except BedrockGenError as exc:
        return Report("catalog", [_failed(output, exc.diagnostics)])
    routes = [s for m in overlay.models.values() for r in m.profiles.values() for s in r]
    verdict = (
        f"wrote {output}: {len(overlay.models)} models, {len(routes)} routes from "
        f"{len(set(routes))} source Regions ({what})"
    )
    return Report("catalog import", [FileResult(output, verdict=verdict, notes=tuple(notes))])


def catalog_import(files: Sequence[str], output: str) -> Report:
    from bedrock_gen.catalog.importer import import_files

    try:
        overlay, notes = import_files(files)
    except BedrockGenError as exc:
        return Report(
            "catalog import",
            [_failed(files[0] if files else output, exc.diagnostics)],
            summary=f"bedrock-gen: nothing written to {output}",
        )
    return _overlay_written(output, overlay, notes, plural(len(files), "file"))


def catalog_fetch(
    regions: Sequence[str],
    output: str,
    *,
    profile: str | None = None,
    save_raw: str | None = None,
    clients: Callable[[str], Any] | None = None,
) -> Report:
    """Ask a live account (``clients``: boto3's, or stubs in tests)."""
    from bedrock_gen.catalog.fetch import boto3_clients, fetch
    from bedrock_gen.catalog.ids import REGION

    if not regions:
        raise _usage("--regions: name at least one Region")
    bad = [r for r in regions if not REGION.match(r)]
    if bad:
        raise _usage(f"--regions: '{bad[0]}' is not a Region name (like eu-west-1)")
    try:
        factory = clients if clients is not None else boto3_clients(profile)
        overlay, notes = fetch(regions, factory, Path(save_raw) if save_raw else None)
    except BedrockGenError as exc:
        return Report("catalog fetch", [_failed(output, exc.diagnostics)])
    except OSError as exc:
        where = save_raw or output
        return Report(
            "catalog fetch",
            [_failed(where, [error("catalog-output", f"cannot write: {exc.strerror}", where)])],
        )
    return _overlay_written(output, overlay, notes, plural(len(set(regions)), "Region"))


def _is_overlay(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except (OSError, ValueError):  # a NUL byte, or a name this locale cannot encode
        return False
    return '"bedrock_gen_overlay"' in head


def catalog_diff(files: Sequence[str]) -> Report:
    """What saved API outputs (or an overlay) say differently from the bundled catalog."""
    from bedrock_gen.catalog import bundled
    from bedrock_gen.catalog import overlay as overlay_mod
    from bedrock_gen.catalog.diff import compare
    from bedrock_gen.catalog.importer import import_files

    overlays = [f for f in files if _is_overlay(f)]
    if overlays and len(files) > 1:
        raise _usage("give one overlay, or API outputs, not both")
    try:
        if overlays:
            ov, _digest = overlay_mod.read(overlays[0])
        else:
            ov, _notes = import_files(files)
    except BedrockGenError as exc:
        return Report("catalog diff", [_failed(files[0], exc.diagnostics)])
    found = compare(bundled.load(), ov)
    verdict = (
        "The bundled catalog agrees with these outputs."
        if found.empty
        else "The outputs differ from the bundled catalog."
    )
    result = FileResult(
        ", ".join(files),
        tables=tuple(found.tables()),
        verdict=verdict,
        failing=not found.empty,
        data=found.to_json(),
    )
    return Report("catalog diff", [result])


# -- reviewing access ------------------------------------------------------------------------


def diff(
    old: str | None, new: str | None, base: str | None = None, catalog: str | None = None
) -> Report:
    """What access NEW adds and removes compared with OLD (or a config with its checked-in
    output at git ref ``base``)."""
    from bedrock_gen.access.diff import diff as compare_access
    from bedrock_gen.api import access_policies, catalog_for, policies_at_ref

    if base is not None:
        if old is None or new is not None:
            raise _usage("--base REF takes exactly one CONFIG")
        config = old
        old_docs, problems = policies_at_ref(config, base)
        new_docs, more = access_policies(config, catalog)
    else:
        if old is None or new is None:
            raise _usage("give OLD and NEW (or --base REF CONFIG)")
        config = new
        old_docs, problems = access_policies(old, catalog)
        new_docs, more = access_policies(new, catalog)
    if problems or more:
        return Report("diff", [_failed(config, [*problems, *more])])
    cat = catalog_for(config, catalog)
    found = compare_access(old_docs, new_docs, cat)  # type: ignore[arg-type]
    result = FileResult(
        config,
        tables=tuple(found.tables()),
        verdict=found.verdict(),
        failing=found.broadened,
        data=found.to_json(),
    )
    return Report("diff", [result])


def simulate(
    path: str,
    action: str,
    resource: str,
    context: Sequence[str] = (),
    principal: str | None = None,
    catalog: str | None = None,
) -> Report:
    """Would PATH's policies allow this request? Allowed passes, denied fails."""
    from bedrock_gen.api import access_policies
    from bedrock_gen.iam import arn as arns
    from bedrock_gen.iam.evaluate import Request, evaluate

    _check_action(action, resource)
    values: dict[str, list[str]] = {}
    for item in context:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _usage(f"--context: {quoted(item)} is not KEY=VALUE")
        values.setdefault(key, []).append(value)
    parsed = arns.parse(resource)
    if resource != "*" and parsed is None:
        raise _usage(f"--resource: {quoted(resource)} is not an ARN")
    policies, problems = access_policies(path, catalog)
    if problems:
        return Report("simulate", [_failed(path, problems)])
    if not any(k.lower() == "aws:requestedregion" for k in values) and parsed is not None:
        values["aws:RequestedRegion"] = [parsed.region or "unspecified"]
    values.setdefault("aws:SecureTransport", ["true"])
    from bedrock_gen.iam.operations import also_checked

    decision = evaluate(policies, Request(action, resource, values, principal))  # type: ignore
    # The API operation of this name is also authorized as other actions on the same
    # resource (InvokeModelWithResponseStream also checks InvokeModel): the call needs all.
    others = [
        (other, evaluate(policies, Request(other, resource, values, principal)))  # type: ignore
        for other in also_checked(action, resource)
    ]
    allowed = decision.allowed and all(d.allowed for _, d in others)
    context_text = ", ".join(f"{k}={','.join(v)}" for k, v in sorted(values.items()))
    lines = [
        f"{'allowed' if allowed else 'denied'}: {action} on {resource}",
        f"  {decision.reason}",
    ]
    lines += [
        f"  the call is also authorized as {other}: "
        f"{'allowed' if d.allowed else 'denied'} ({d.reason})"
        for other, d in others
    ]
    lines.append(f"  context: {context_text}")
    result = FileResult(
        path,
        verdict="\n".join(lines),
        failing=not allowed,
        data={
            "allowed": allowed,
            "reason": decision.reason,
            "statement": decision.statement._asdict() if decision.statement else None,
            "also_checked": [
                {"action": other, "allowed": d.allowed, "reason": d.reason} for other, d in others
            ],
            "context": values,
        },
    )
    return Report("simulate", [result])


def _check_action(action: str, resource: str) -> None:
    """A usage error for an action IAM does not have: an API operation's name (with the
    actions IAM checks for it), a misspelling (with a did-you-mean), a pattern."""
    from bedrock_gen.iam.operations import instead

    service, sep, name = action.partition(":")
    if not sep or not service or not name:
        raise _usage(f"--action: {quoted(action)} is not SERVICE:ACTION")
    if "*" in action or "?" in action:
        raise _usage(f"--action: {quoted(action)} is a pattern; a request names one action")
    found = instead(action, (resource,))
    if found is not None:
        retry = (
            f"; simulate --action {found.actions[0]}"
            if found.authorized and len(found.actions) == 1
            else ""
        )
        raise _usage(f"--action: {found.message}{retry}")


def explain(config: str, catalog: str | None = None) -> Report:
    """What a config grants, read from its documents through the evaluator."""
    from bedrock_gen.access.explain import Explanation
    from bedrock_gen.access.tuples import expand
    from bedrock_gen.api import access_policies, check
    from bedrock_gen.gateways.registry import MODES

    checked = check(config, catalog)
    if checked.config is None or checked.catalog is None:
        return Report("explain", [_failed(checked.file, checked.diagnostics)])
    policies, problems = access_policies(config, catalog)
    if problems:
        return Report("explain", [_failed(checked.file, problems)])
    trusted = tuple(MODES[checked.config.auth.mode].trusted(checked.config.auth))
    from bedrock_gen.access.surfaces import notes

    found = Explanation(
        checked.config.name,
        expand(policies, checked.catalog),  # type: ignore[arg-type]
        trusted,
        tuple(notes(checked.config)),
    )
    result = FileResult(
        checked.file,
        tuple(checked.diagnostics),
        tables=tuple(found.tables()),
        data=found.to_json(),
    )
    return Report("explain", [result])
