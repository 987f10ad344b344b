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
    from bedrock_gen.catalog.listing import lifecycle_text, listing, route_table
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
    notes: tuple[str, ...] = ()
    if routes:
        found = tuple(route_table(cat, chosen, geography))
    else:
        rows = [
            (
                m.id,
                m.aliases[0] if m.aliases else "-",
                ",".join([*sorted(m.profiles), *(f"{g}*" for g in sorted(m.unpublished))])
                or ("(mantle only)" if m.mantle and not m.in_region else "-"),
                "yes" if m.on_demand else "no",
                lifecycle_text(m),
            )
            for m in chosen
        ]
        found = (
            Table("Models", ("MODEL ID", "ALIAS", "GEOGRAPHIES", "IN-REGION", "LIFECYCLE"), rows),
        )
        if any(m.unpublished for m in chosen):
            notes = (
                "* AWS publishes no per-source routes for this profile: not granted from the "
                "bundled catalog ('catalog fetch', or models.custom with routes).",
            )
    from bedrock_gen.iam.actions import source

    data = listing(cat, chosen, geography, routes)
    reference = source()
    data["service_reference"] = {  # where lint's and simulate's IAM facts come from
        "repository": reference["repository"],
        "commit": reference["commit"],
        "date": reference["commit_date"][:10],
    }
    result = FileResult("catalog", tables=found, data=data, notes=notes)
    dates = ""
    if cat.read_on:
        dates = f": AWS pages read {cat.read_on}, newest page date {cat.newest_source_date}"
    summary = (
        f"{len(chosen)} models (catalog {cat.version}{dates}"
        f"{', with an overlay' if cat.overlay_sha256 else ''}); 'models.ids' takes an "
        "ID or alias."
    )
    return Report("models", [result], summary=summary)


def _overlay_written(
    output: str,
    overlay: Any,
    notes: Sequence[str],
    what: str,
    warnings: Sequence[Diagnostic] = (),
) -> Report:
    from bedrock_gen.output.write import write_atomic

    try:
        write_atomic(Path(output), overlay.dumps())
    except BedrockGenError as exc:
        return Report("catalog", [_failed(output, [*warnings, *exc.diagnostics])])
    routes = [s for m in overlay.models.values() for r in m.profiles.values() for s in r]
    verdict = (
        f"wrote {output}: {len(overlay.models)} models, {len(routes)} routes from "
        f"{len(set(routes))} source Regions ({what})"
    )
    result = FileResult(output, tuple(warnings), verdict=verdict, notes=tuple(notes))
    return Report("catalog import", [result])


def catalog_import(files: Sequence[str], output: str) -> Report:
    from bedrock_gen.catalog import bundled
    from bedrock_gen.catalog.importer import import_files

    try:
        imported = import_files(files, bundled.load().regions)
    except BedrockGenError as exc:
        return Report(
            "catalog import",
            [_failed(files[0] if files else output, exc.diagnostics)],
            summary=f"bedrock-gen: nothing written to {output}",
        )
    return _overlay_written(
        output,
        imported.overlay,
        imported.notes,
        plural(len(files), "file"),
        imported.warnings,
    )


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


def _head_has(path: str, marker: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except (OSError, ValueError):  # a NUL byte, or a name this locale cannot encode
        return False
    return marker in head


def _catalog_build(path: str) -> Any:
    """A catalog.json file (a build of catalog-src/, bundled or not), parsed; one located
    error when it is not one."""
    from bedrock_gen.catalog import bundled
    from bedrock_gen.errors import CatalogError
    from bedrock_gen.load.json_source import read_data

    _raw, data = read_data(path, path, "a catalog build", 64 * 1024 * 1024)
    try:
        return bundled.parse(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CatalogError.one(
            "catalog-build", f"not a catalog build bedrock-gen can read ({exc})", path
        ) from None


def catalog_diff(files: Sequence[str], complete: bool = False) -> Report:
    """What saved API outputs (or an overlay) say differently from the bundled catalog, over
    the slice they cover; or, given two catalog builds (OLD NEW), every route, In-Region,
    lifecycle and product-ID change between them. A listing that looks filtered (it lacks most
    of what the bundled catalog has for its Region) is read as partial and the run says so,
    unless ``complete``."""
    from bedrock_gen.catalog import bundled
    from bedrock_gen.catalog import overlay as overlay_mod
    from bedrock_gen.catalog.diff import (
        as_partial,
        compare,
        compare_catalogs,
        filtered_listings,
        set_aside,
    )
    from bedrock_gen.catalog.importer import import_files

    warnings: list[Diagnostic] = []
    builds = [f for f in files if _head_has(f, '"catalog_version"')]
    suspects: list[Any] = []
    aside = 0
    data: dict[str, Any]
    try:
        if builds:
            if len(files) != 2 or len(builds) != 2:
                raise _usage("give two catalog builds (OLD.json NEW.json) to compare")
            old, new = (_catalog_build(f) for f in files)
            found = compare_catalogs(old, new)
            verdict = (
                "The two catalog builds hold the same facts."
                if found.empty
                else "The two catalog builds differ."
            )
            data = found.to_json()
        else:
            overlays = [f for f in files if _head_has(f, '"bedrock_gen_overlay"')]
            if overlays and len(files) > 1:
                raise _usage("give one overlay, or API outputs, not both")
            if overlays:
                ov, _digest = overlay_mod.read(overlays[0])
            else:
                imported = import_files(files, bundled.load().regions)
                ov, warnings = imported.overlay, imported.warnings
            base = bundled.load()
            suspects = [] if complete else filtered_listings(base, ov)
            found = compare(base, as_partial(ov, suspects) if suspects else ov)
            aside = set_aside(compare(base, ov), found) if suspects else 0
            if suspects:
                verdict = (
                    f"The {'listing looks' if len(suspects) == 1 else 'listings look'} filtered: "
                    f"{aside} row(s) of what {'it lacks' if len(suspects) == 1 else 'they lack'} "
                    "are not reported as removed"
                    + ("; the rest differs from the bundled catalog." if not found.empty else ".")
                )
            elif found.empty:
                verdict = "The bundled catalog agrees with these outputs."
            else:
                verdict = "The outputs differ from the bundled catalog."
            data = found.to_json()
            if suspects:
                data["looks_filtered"] = [s._asdict() for s in suspects]
                data["not_reported"] = aside
    except UsageError:
        raise
    except BedrockGenError as exc:
        return Report("catalog diff", [_failed(files[0], exc.diagnostics)])
    result = FileResult(
        ", ".join(files),
        tuple(warnings),
        tables=tuple(found.tables()),
        verdict=verdict,
        # a filtered listing cannot show that the catalog agrees: the run fails until the
        # listing is saved unfiltered (or --complete says it is)
        failing=not found.empty or bool(suspects),
        notes=tuple(s.text() for s in suspects),
        data=data,
    )
    return Report("catalog diff", [result])


# -- reviewing access ------------------------------------------------------------------------


def diff(paths: Sequence[str], base: str | None = None, catalog: str | None = None) -> Report:
    """What access NEW adds and removes compared with OLD (``paths`` = [OLD, NEW]); or, with
    ``base``, what each config's merge will apply compared with its output committed at git
    ref ``base`` (``paths`` = configs)."""
    from bedrock_gen.access.diff import diff as compare_access
    from bedrock_gen.api import access_policies, catalog_for

    if base is not None:
        if not paths:
            raise _usage("--base REF takes one or more CONFIGs")
        bad = [p for p in paths if Path(p).suffix not in (".yaml", ".yml")]
        if bad:
            raise _usage(
                f"--base REF compares configs (*.yaml), and {quoted(bad[0])} is not one; "
                "to compare folders or policy files, give OLD and NEW"
            )
        results = [_review(config, base, catalog) for config in paths]
        added = sum(bool(r.failing) for r in results)
        broken = sum(bool(r.failures) for r in results)
        if broken:
            summary = f"bedrock-gen: {broken} of {plural(len(results), 'config')} could not be " + (
                f"compared; access added in {added}" if added else "compared"
            )
        elif added:
            summary = f"bedrock-gen: access added in {added} of {plural(len(results), 'config')}"
        else:
            summary = f"bedrock-gen: no access added in {plural(len(results), 'config')}"
        return Report("diff", results, summary=summary if len(results) > 1 else "")
    if len(paths) != 2:
        raise _usage("give OLD and NEW (or --base REF CONFIG...)")
    old, new = paths
    old_docs, problems = access_policies(old, catalog)
    new_docs, more = access_policies(new, catalog)
    if problems or more:
        return Report("diff", [_failed(new, [*problems, *more])])
    found = compare_access(old_docs, new_docs, catalog_for(new, catalog))  # type: ignore[arg-type]
    result = FileResult(
        new,
        tables=tuple(found.tables()),
        verdict=found.verdict(),
        failing=found.broadened,
        data=found.to_json(),
    )
    return Report("diff", [result])


def _review(config: str, base: str, catalog: str | None) -> FileResult:
    """One config: its output committed at ``base`` against what its merge will apply."""
    from bedrock_gen.access.diff import review
    from bedrock_gen.api import applied_policies, catalog_for, policies_at_ref

    applied, problems = applied_policies(config, catalog)
    if problems or applied is None:
        return _failed(config, problems)
    before, problems = policies_at_ref(config, base)
    if problems:
        return _failed(config, problems)
    found = review(
        before,  # type: ignore[arg-type]
        applied.committed,  # type: ignore[arg-type]
        applied.rendered,  # type: ignore[arg-type]
        catalog_for(config, catalog),
        applied.name,
        applied.edits,  # type: ignore[arg-type]
    )
    data = found.to_json()
    data["base"] = base
    data["config"] = applied.name
    return FileResult(
        config,
        tables=tuple(found.tables()),
        verdict=found.verdict(),
        failing=found.broadened,
        data=data,
    )


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
