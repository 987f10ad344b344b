"""The library API: what the CLI calls and what tests call directly.

Each function handles one input file and returns a ``report.FileResult``; problems with the
input come back as diagnostics, never as exceptions, so a caller can report many files in one
run. The pipeline, in order: load (``load``) -> validate (``config``) -> resolve (``access``)
-> emit (``emit``, gateway extras) -> write or compare (``output``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bedrock_gen.diagnostics import Diagnostic, Location, Severity, error, sorted_unique
from bedrock_gen.errors import BedrockGenError
from bedrock_gen.report import FileResult, Mode

if TYPE_CHECKING:
    from bedrock_gen.access.resolve import Documents
    from bedrock_gen.catalog.model import Catalog
    from bedrock_gen.config.model import Config
    from bedrock_gen.load.document import Document
    from bedrock_gen.output.write import Change

SELF_LINT = Severity.SECURITY_WARNING  # generated documents must be clean at lint's default


class Checked:
    """A loaded and validated config (internal to the API)."""

    def __init__(
        self,
        file: str,
        doc: Document | None,
        config: Config | None,
        catalog: Catalog | None,
        diagnostics: list[Diagnostic],
    ) -> None:
        self.file = file
        self.doc = doc
        self.config = config
        self.catalog = catalog
        self.diagnostics = diagnostics


def _overlay_path(data: object, path: Path, override: str | None) -> tuple[Path, str] | None:
    """Where the catalog overlay is (``--catalog``, else the config's ``catalog:``, relative
    to the config), and how to name it."""
    written = data.get("catalog") if isinstance(data, dict) else None
    if override is not None:
        return Path(override), override
    if isinstance(written, str):
        return path.parent / written, written
    return None


def _catalog_for(
    doc: Document, path: Path, override: str | None
) -> tuple[Catalog | None, str | None, list[Diagnostic]]:
    """The bundled catalog with the config's overlay (``catalog:``, or ``--catalog``)."""
    from bedrock_gen.catalog import bundled, overlay

    base = bundled.load()
    chosen = _overlay_path(doc.data, path, override)
    if chosen is None:
        return base, None, []
    where, shown = chosen
    try:
        return overlay.load_for(base, where, str(where)), shown, []
    except BedrockGenError as exc:
        # Placed in the overlay where its line is known (the place to fix), else at the
        # config's `catalog:` (a missing file); either way the overlay is named.
        loc = doc.locate_key(("catalog",)) if override is None else None
        return (
            None,
            shown,
            [
                Diagnostic(
                    d.severity,
                    d.code,
                    f"catalog overlay {shown}"
                    + (f" (of {doc.file})" if d.location is not None else "")
                    + f": {d.message}",
                    d.file if d.location is not None or not loc else doc.file,
                    d.location or loc,
                )
                for d in exc.diagnostics
            ],
        )


def check(
    path: str | Path, catalog_override: str | None = None, check_organization: bool = True
) -> Checked:
    """Load and validate one config (both passes), with its catalog overlay.
    ``check_organization=False`` leaves the routes an SCP blocks to ``lint --kind scp``."""
    from bedrock_gen.diagnostics import has_errors
    from bedrock_gen.lint.rules import known_codes
    from bedrock_gen.load.yaml_source import load_file
    from bedrock_gen.validate.passes import meaning
    from bedrock_gen.validate.schema import structure

    file = str(path)
    try:
        doc = load_file(path, file)
    except BedrockGenError as exc:
        return Checked(file, None, None, None, exc.diagnostics)
    diagnostics = structure(doc)
    if has_errors(diagnostics):
        return Checked(file, doc, None, None, sorted_unique(diagnostics))
    catalog, shown, problems = _catalog_for(doc, Path(path), catalog_override)
    if catalog is None:
        return Checked(file, doc, None, None, sorted_unique([*diagnostics, *problems]))
    config, more = meaning(doc, catalog, known_codes(), shown, check_organization)
    if shown is not None and has_errors(more):
        chosen = _overlay_path(doc.data, Path(path), catalog_override)
        assert chosen is not None
        more = _overlay_caused(doc, more, chosen[0], shown)
    return Checked(file, doc, config, catalog, sorted_unique([*diagnostics, *more]))


def _overlay_caused(
    doc: Document, found: list[Diagnostic], overlay_path: Path, shown: str
) -> list[Diagnostic]:
    """Errors that only the overlay causes (validating against the bundled catalog alone
    does not report them), each naming the overlay and the entry in it to look at: a model
    the message names, or the complete listing of a Region it names."""
    from bedrock_gen.catalog import bundled
    from bedrock_gen.lint.rules import known_codes
    from bedrock_gen.load.json_source import load_file
    from bedrock_gen.validate.passes import meaning

    _config, plain = meaning(doc, bundled.load(), known_codes(), None)
    without = {(d.code, d.location) for d in plain if d.severity is Severity.ERROR}
    try:
        overlay = load_file(str(overlay_path), shown, "a catalog overlay", 16 * 1024 * 1024)
    except BedrockGenError:
        return found
    out = []
    for d in found:
        if d.severity is not Severity.ERROR or (d.code, d.location) in without:
            out.append(d)
            continue
        where = _overlay_entry(overlay, d.message)
        loc = f"{shown}:{where.line}:{where.column}" if where is not None else shown
        out.append(
            d._replace(
                message=f"{d.message} (this comes from the catalog overlay {loc}: the "
                "bundled catalog alone allows it; re-create the overlay from unfiltered "
                "listings, or remove it)"
            )
        )
    return out


def _overlay_entry(overlay: Document, message: str) -> Location | None:
    """Where in an overlay the cause of ``message`` most likely is."""
    data = overlay.data if isinstance(overlay.data, dict) else {}
    models = data.get("models")
    if isinstance(models, dict):
        for mid in sorted(models, key=len, reverse=True):  # the longest ID the message names
            if isinstance(mid, str) and mid in message:
                return overlay.locate_key(("models", mid))
    listed = data.get("listed")
    if isinstance(listed, dict):
        for kind in ("inference_profiles", "foundation_models"):
            regions = listed.get(kind)
            if not isinstance(regions, list):
                continue
            for n, region in enumerate(regions):
                if isinstance(region, str) and re.search(rf"\b{re.escape(region)}\b", message):
                    return overlay.locate(("listed", kind, n))
        return overlay.locate_key(("listed",))
    return None


def _locate(checked: Checked, exc: BedrockGenError) -> list[Diagnostic]:
    """Resolve errors, placed at the part of the config that caused them."""
    out = []
    for d in exc.diagnostics:
        where = ("auth",) if d.code.startswith("trust") else ("models",)
        loc = checked.doc.locate_key(where) if checked.doc else d.location
        out.append(Diagnostic(d.severity, d.code, d.message, checked.file, loc))
    return out


def _resolve(
    checked: Checked,
    previous: Mapping[str, int] | None = None,
    legacy: str | None = None,
    lint: bool = True,
) -> tuple[Documents | None, list[Diagnostic]]:
    from bedrock_gen.access.resolve import resolve

    assert checked.config is not None and checked.catalog is not None
    try:
        docs = resolve(checked.config, checked.catalog, previous, legacy)
    except BedrockGenError as exc:
        return None, _locate(checked, exc)
    return docs, _self_lint(checked, docs) if lint else []


def _self_lint(checked: Checked, docs: Documents) -> list[Diagnostic]:
    """Generated documents must pass bedrock-gen's own lint: a config can never render a
    policy that ``bedrock-gen lint`` would reject (``lint.generated``). Findings name the
    generated file's line and column, as render would write it."""
    from bedrock_gen.emit.iam_json import dumps
    from bedrock_gen.lint.generated import lint_generated
    from bedrock_gen.lint.rules import expand_ignored

    assert checked.config is not None and checked.catalog is not None
    found = lint_generated(
        docs,
        checked.catalog,
        checked.config.trust_policy_limit,
        expand_ignored(checked.config.lint_ignore),
        lambda document: dumps(document).decode("utf-8"),
    )
    return [
        error(
            "self-lint",
            f"generated {d.where()} fails bedrock-gen lint [{d.code}]: {d.message}",
            checked.file,
        )
        for d in found
        if d.severity.at_least(SELF_LINT)
    ]


def validate_config(path: str | Path, catalog: str | None = None) -> FileResult:
    """``bedrock-gen validate``: the config, and the documents it resolves to."""
    checked = check(path, catalog)
    diagnostics = list(checked.diagnostics)
    docs = None
    if checked.config is not None:
        docs, more = _resolve(checked)
        diagnostics += more
    return FileResult(
        checked.file,
        tuple(sorted_unique(diagnostics)),
        checked.config,
        docs if not more_errors(diagnostics) else None,
    )


def more_errors(diagnostics: Sequence[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def _relative(path: str | Path, out_dir: Path) -> str:
    """A path as the manifest names it: relative to the output folder."""
    return Path(os.path.relpath(Path(path).resolve(), out_dir.resolve())).as_posix()


def output_files(
    config: Config, documents: Documents, catalog: Catalog, legacy: str | None = None
) -> dict[str, bytes]:
    """Every file ``render`` produces for a config, by path relative to the output folder.
    Raises ``BedrockGenError`` when an output cannot hold the documents (a StackSet's inline
    template)."""
    from bedrock_gen.emit import cloudformation, terraform

    files = {**_documents_files(config, documents), **terraform.render(config, documents, legacy)}
    files.update(cloudformation.render(config, documents))
    return dict(sorted(files.items()))


def _documents_files(config: Config, documents: Documents) -> dict[str, bytes]:
    """The files that are the documents themselves (IAM JSON, a gateway's requests): cheap."""
    from bedrock_gen.emit import gateway_files, iam_json

    return {**iam_json.render(documents), **gateway_files.files(config)}


def render_config(
    path: str | Path,
    *,
    output: str | Path | None = None,
    mode: Mode = Mode.WRITE,
    adopt: bool = False,
    force: bool = False,
    catalog: str | None = None,
    expected_out: Path | None = None,
) -> FileResult:
    """``bedrock-gen render``: render everything a config produces, in memory, then write it
    (all or nothing) or compare it byte for byte with the output folder (``--check``).

    ``expected_out`` is the folder a generated file named on the command line sits in: the
    config its manifest names must render there, or that manifest is not trusted to say which
    config checks the folder.
    """
    from bedrock_gen.output import manifest as manifest_mod
    from bedrock_gen.output import write as write_mod

    checked = check(path, catalog)
    if checked.config is None:
        return FileResult(checked.file, tuple(checked.diagnostics), mode=mode)
    config = checked.config
    out_dir = Path(output) if output is not None else config.output_path(Path(path).parent)
    if expected_out is not None and out_dir.resolve() != expected_out.resolve():
        return FileResult(
            checked.file,
            (
                error(
                    "not-a-config",
                    f"{expected_out}/{manifest_mod.MANIFEST} names this config, but it renders "
                    f"into {out_dir}; that folder's manifest is not this config's",
                    str(expected_out / manifest_mod.MANIFEST),
                ),
            ),
            config,
            mode=mode,
        )
    try:
        previous = manifest_mod.read(out_dir) if out_dir.is_dir() else None
    except BedrockGenError as exc:
        return FileResult(
            checked.file,
            tuple(sorted_unique([*checked.diagnostics, *exc.diagnostics])),
            config,
            out_dir=out_dir,
            mode=mode,
        )
    legacy = previous.legacy if previous else None
    docs, more = _resolve(checked, previous.placement if previous else None, legacy)
    diagnostics = [*checked.diagnostics, *more]
    if docs is None or more_errors(diagnostics):
        return FileResult(checked.file, tuple(sorted_unique(diagnostics)), config, mode=mode)
    assert checked.catalog is not None
    try:
        files = output_files(config, docs, checked.catalog, legacy)
    except BedrockGenError as exc:
        problems = sorted_unique([*diagnostics, *exc.diagnostics])
        return FileResult(checked.file, tuple(problems), config, mode=mode)
    overlay = _overlay_path(checked.doc.data if checked.doc else None, Path(path), catalog)
    new_manifest = manifest_mod.Manifest(
        {rel: manifest_mod.digest(data) for rel, data in files.items()},
        _relative(path, out_dir),
        _relative(overlay[0], out_dir) if overlay else None,
        docs.placement(),
        legacy,
        config.external_id_opt_out,
    )
    notes: list[str] = []
    try:
        if mode is Mode.WRITE:
            plan = write_mod.write(out_dir, files, new_manifest, adopt, force)
        else:
            plan = write_mod.plan(out_dir, files, new_manifest, adopt)
    except BedrockGenError as exc:
        return FileResult(
            checked.file,
            tuple(sorted_unique([*diagnostics, *exc.diagnostics])),
            config,
            docs,
            out_dir,
            mode=mode,
        )
    if plan.extra and mode is Mode.WRITE:
        diagnostics.append(
            Diagnostic(
                Severity.WARNING,
                "not-generated",
                f"not written by bedrock-gen, yet under its output folder: "
                f"{', '.join(plan.extra)}; move them away (render --check fails on them, and "
                "Terraform would apply a stray .tf file with the module)",
                str(out_dir),
            )
        )
    adopted = [
        c.path
        for c in plan.changes
        if c.action is write_mod.Action.ADOPT
        or (adopt and plan.previous is None and c.old is not None)
    ]
    if adopted:
        verb = "took over" if mode is Mode.WRITE else "would take over"
        notes.append(f"{verb} {len(adopted)} existing file(s): {', '.join(adopted)}")
    for key, src, dst in docs.moved:
        notes.append(
            f"{key} moved from policy part {src} to part {dst} (it outgrew its part): "
            "apply may briefly deny it"
        )
    return FileResult(
        checked.file,
        tuple(sorted_unique(diagnostics)),
        config,
        docs,
        out_dir,
        tuple(plan.changes),
        mode,
        notes=tuple(notes),
    )


def lint_file(
    path: str | Path,
    *,
    kind: str = "auto",
    ignored: frozenset[str] = frozenset(),
    trust_limit: int = 2048,
    threshold: Severity = Severity.SECURITY_WARNING,
    catalog: str | None = None,
    routes: Checked | None = None,
) -> FileResult:
    """``bedrock-gen lint``: findings for one IAM JSON document."""
    from bedrock_gen.catalog import bundled, overlay
    from bedrock_gen.lint.engine import ignore, lint_document
    from bedrock_gen.load.json_source import load_file

    file = str(path)
    try:
        doc = load_file(file, file)
        cat = overlay.load_for(bundled.load(), catalog)
    except BedrockGenError as exc:
        return FileResult(file, tuple(exc.diagnostics), threshold=threshold)
    checked_routes = None
    if routes is not None and routes.config is not None and routes.catalog is not None:
        from bedrock_gen.access.resolve import chosen_routes, count_tokens_arns
        from bedrock_gen.lint.scp import Routes

        config = routes.config
        cat = routes.catalog
        checked_routes = Routes(
            tuple(chosen_routes(config, cat)),
            config.partition,
            config.account_id or "111122223333",
            tuple(count_tokens_arns(config)),
        )
    findings = lint_document(doc, cat, kind, trust_limit, checked_routes)
    return FileResult(file, tuple(sorted_unique(ignore(findings, ignored))), threshold=threshold)


class Target(NamedTuple):
    """A config to render, and the output folder it was reached through (if it was)."""

    config: str
    out_dir: Path | None = None


def config_paths(
    paths: Sequence[str], only_owned: bool = False
) -> tuple[list[Target], list[FileResult]]:
    """Configs named directly, or through a file or folder under an output folder (pre-commit
    passes generated files too, so that editing one by hand, or adding a file beside them, is
    caught). With ``only_owned``, paths under no output folder that are not configs are skipped
    quietly (a monorepo's own ``terraform/`` folders), instead of reported."""
    from bedrock_gen.output.manifest import owning_config

    configs: list[Target] = []
    seen: set[str] = set()
    problems: list[FileResult] = []
    for raw in paths:
        path = Path(raw)
        folder = None
        if path.suffix in (".yaml", ".yml") and (not only_owned or is_config_name(path)):
            chosen = raw
        elif not path.exists():
            if only_owned:
                continue
            chosen = raw
        else:
            owner, folder = owning_config(path)
            if owner is None:
                if only_owned:
                    continue
                problems.append(
                    FileResult(
                        raw,
                        (
                            error(
                                "not-a-config",
                                "neither a bedrock-gen config nor under a folder it renders "
                                "into (no .bedrock-gen-manifest.json above it)",
                                raw,
                            ),
                        ),
                    )
                )
                continue
            chosen = os.path.relpath(owner) if not path.is_absolute() else str(owner)
        same = os.path.normcase(os.path.abspath(chosen))  # one config, however it was named
        if same not in seen:
            seen.add(same)
            configs.append(Target(chosen, folder))
    return configs, problems


def is_config_name(path: Path) -> bool:
    """``bedrock-gen.yaml`` and ``*.bedrock-gen.yaml`` (also ``.yml``)."""
    name = path.name
    return name.endswith(("bedrock-gen.yaml", "bedrock-gen.yml"))


def trust_policy(
    path: str | Path, environ: Mapping[str, str] | None = None, catalog: str | None = None
) -> tuple[dict[str, object] | None, FileResult]:
    """The complete trust policy of a config, with an external ID read from the environment
    filled in (for applying by hand): the one place that value is ever written out."""
    from bedrock_gen.access.resolve import trust_policy as build

    checked = check(path, catalog)
    result = FileResult(checked.file, tuple(checked.diagnostics), checked.config)
    config = checked.config
    if config is None:
        return None, result
    spec = config.external_id
    value = None
    if spec is not None:
        value = spec.value(environ)
        if value is None:
            return None, result._replace(
                diagnostics=(
                    *result.diagnostics,
                    error(
                        "external-id-unset",
                        f"environment variable {spec.env} (auth.external_id) is "
                        "not set; the complete trust policy needs its value",
                        checked.file,
                        checked.doc.locate(spec.path) if checked.doc else None,
                    ),
                )
            )
        from bedrock_gen.iam.limits import external_id_problem

        problem = external_id_problem(value)
        if problem is not None:
            return None, result._replace(
                diagnostics=(
                    *result.diagnostics,
                    error(
                        "external-id", f"environment variable {spec.env} {problem}", checked.file
                    ),
                )
            )
    document = build(config, value)
    if document is None:
        return None, result._replace(
            diagnostics=(
                *result.diagnostics,
                error(
                    "no-trust-policy",
                    f"mode: {config.auth.mode} "
                    + (
                        "makes an IAM user, and a user has no trust policy"
                        if config.auth.entity == "user"
                        else "attaches the policies to an identity bedrock-gen does not "
                        "create, so its trust policy is not bedrock-gen's to print"
                    ),
                    checked.file,
                ),
            )
        )
    return document, result


# --------------------------------------------------------------------------------------------
# reviewing access: diff, simulate, explain


def _not_the_gateways(name: str) -> bool:
    """Documents in ``iam/`` that are not attached to the gateway: the organization's SCP and
    the batch service role's trust and policy (Bedrock assumes that role, not the gateway)."""
    from bedrock_gen.access.resolve import BATCH_PREFIX

    return name.startswith(("scp-", BATCH_PREFIX))


def access_policies(
    path: str | Path, catalog: str | None = None
) -> tuple[list[object], list[Diagnostic]]:
    """The identity and trust documents at ``path``: a rendered output folder (its ``iam/``),
    a folder of policy files, one policy file, or a config (rendered in memory). SCPs in a
    folder are left out (they are not attached to the gateway)."""
    from bedrock_gen.iam.evaluate import Policy
    from bedrock_gen.lint.engine import kind_of, unreadable
    from bedrock_gen.load.json_source import load_file

    where = Path(path)
    if where.suffix in (".yaml", ".yml"):
        checked = check(where, catalog)
        if checked.config is None:
            return [], list(checked.diagnostics)
        docs, problems = _resolve(checked)
        if docs is None or more_errors(problems):
            return [], [*checked.diagnostics, *problems]
        return [
            Policy(f"iam/{d.filename}", d.document, "trust" if d is docs.trust else "identity")
            for d in docs.all()
        ], []
    if where.is_dir():
        folder = where / "iam" if (where / "iam").is_dir() else where
        files = sorted(p for p in folder.glob("*.json") if not _not_the_gateways(p.name))
        if not files:
            return [], [error("no-policies", "no IAM policy files (*.json) here", str(where))]
    elif where.is_file():
        files = [where]
    else:
        return [], [error("file-unreadable", "no such file or folder", str(where))]
    out: list[object] = []
    for f in files:
        try:
            doc = load_file(str(f), str(f))
        except BedrockGenError as exc:
            return [], exc.diagnostics
        problems = unreadable(doc, catalog_for(None, catalog))
        if problems:  # a Statement that is a number: IAM would not read it; neither do we
            return [], problems
        out.append(Policy(str(f), doc.data, kind_of(doc.data, "auto")))
    return out, []


def policies_at_ref(config_path: str | Path, ref: str) -> tuple[list[object], list[Diagnostic]]:
    """A config's checked-in ``iam/`` documents as they are at git ``ref``."""
    import subprocess

    from bedrock_gen.iam.evaluate import Policy
    from bedrock_gen.lint.engine import kind_of, unreadable
    from bedrock_gen.load.json_source import loads

    checked = check(config_path)
    if checked.config is None:
        return [], list(checked.diagnostics)
    out_dir = checked.config.output_path(Path(config_path).parent).resolve() / "iam"

    where = [Path(config_path).resolve().parent]

    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=where[0], capture_output=True, text=True)
        if proc.returncode != 0:
            raise BedrockGenError.one(
                "git", f"git {' '.join(args)}: {proc.stderr.strip() or 'failed'}", str(config_path)
            )
        return proc.stdout

    try:
        top = Path(git("rev-parse", "--show-toplevel").strip())
        where[0] = top  # paths below are relative to the top of the work tree
        rel = out_dir.relative_to(top.resolve()).as_posix()
        names = [
            n
            for n in git("ls-tree", "--name-only", ref, f"{rel}/").split("\n")
            if n.endswith(".json") and not _not_the_gateways(n.rsplit("/", 1)[-1])
        ]
        policies: list[object] = []
        for name in names:
            doc = loads(git("show", f"{ref}:{name}"), f"{ref}:{name}")
            problems = unreadable(doc, catalog_for(None))
            if problems:
                return [], problems
            policies.append(Policy(f"{ref}:{name}", doc.data, kind_of(doc.data, "auto")))
    except BedrockGenError as exc:
        return [], exc.diagnostics
    except (ValueError, OSError) as exc:
        return [], [error("git", f"cannot read the output at {ref}: {exc}", str(config_path))]
    return policies, []


class Applied(NamedTuple):
    """What a config's merge will apply: its documents as rendered now, the committed ones
    (None when its ``iam/`` is not in the work tree), and every generated file whose
    committed bytes are not what the config renders."""

    file: str
    name: str
    rendered: list[object]  # iam.evaluate.Policy
    committed: list[object] | None
    edits: tuple[object, ...]  # access.diff.FileEdit


TERRAFORM_APPLIED = ("terraform/",)  # files Terraform applies: their access is not read here
TERRAFORM_NOT_APPLIED = ("terraform/examples/", "terraform/tests/")


def applied_policies(
    config_path: str | Path, catalog: str | None = None
) -> tuple[Applied | None, list[Diagnostic]]:
    """A config rendered in memory (as ``render --check`` does, parts placed as its manifest
    says) and compared with its committed output, file by file."""
    from bedrock_gen.iam.evaluate import Policy

    result = render_config(config_path, mode=Mode.CHECK, catalog=catalog)
    if (
        result.failures
        or result.documents is None
        or result.config is None
        or result.out_dir is None
    ):
        return None, list(result.diagnostics)
    docs = result.documents
    rendered: list[object] = [
        Policy(f"iam/{d.filename}", d.document, "trust" if d is docs.trust else "identity")
        for d in docs.all()
    ]
    committed: list[object] | None = None
    if (result.out_dir / "iam").is_dir():
        found, problems = access_policies(result.out_dir, catalog)
        if problems and not all(p.code == "no-policies" for p in problems):
            return None, problems
        committed = found
    # No output folder at all: nothing is committed (CI renders it), so nothing can differ.
    edits = tuple(
        _file_edit(result.out_dir, c)
        for c in result.changes
        if c.drifted and not c.path.startswith(".") and c.action.value != "interrupted"
        if result.out_dir.is_dir()
    )
    return Applied(result.file, result.config.name, rendered, committed, edits), []


def _file_edit(out_dir: Path, change: Change) -> object:
    """One generated file that is not what the config renders, and what it changes."""
    from bedrock_gen.access.diff import FileEdit
    from bedrock_gen.access.edits import changes
    from bedrock_gen.load.json_source import parse_bytes
    from bedrock_gen.output.manifest import regular_bytes
    from bedrock_gen.output.write import Action

    states = {
        Action.EXTRA: "not written by bedrock-gen",
        Action.CREATE: "missing",
        Action.REMOVE: "no longer generated",
    }
    state = states.get(
        change.action, "edited by hand" if change.edited else "not what the config renders"
    )
    committed = change.old
    if committed is None and change.action is Action.EXTRA:
        committed = regular_bytes(out_dir / change.path)
    phrases: list[str] = []
    if change.path.startswith("iam/") and change.path.endswith(".json") and committed:
        try:
            new = parse_bytes(committed, change.path)
            old = parse_bytes(change.new, change.path) if change.new is not None else None
        except BedrockGenError:
            phrases = ["is not valid JSON"]
        else:
            phrases = changes(old, new)
    opaque = (
        change.path.startswith(TERRAFORM_APPLIED)
        and not change.path.startswith(TERRAFORM_NOT_APPLIED)
        and change.path.endswith((".tf", ".tf.json"))
        and committed is not None
    )
    if opaque:
        phrases.append(
            "is applied by Terraform, and bedrock-gen does not read access from Terraform "
            "files: review its diff"
        )
    return FileEdit(change.path, state, tuple(phrases), opaque)


def catalog_for(path: str | Path | None, override: str | None = None) -> Catalog:
    """The catalog a review uses: the config's overlay when PATH is a config."""
    from bedrock_gen.catalog import bundled, overlay

    if path is not None and Path(path).suffix in (".yaml", ".yml"):
        checked = check(path, override)
        if checked.catalog is not None:
            return checked.catalog
    return overlay.load_for(bundled.load(), override)
