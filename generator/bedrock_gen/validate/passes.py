"""Validation in two passes: structure (``schema``), then meaning (``sections``), which builds
the typed ``Config`` every later stage reads.

Pass 2 runs only on a structurally valid document and knows Bedrock (through the catalog,
with the user's overlay applied), IAM and the gateways. Each section function returns its
value and its diagnostics; nothing here reaches back to edit what another section reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.catalog.routes import blocked, routes
from bedrock_gen.config import DEFAULT_OUTPUT_DIR
from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import Diagnostic, has_errors
from bedrock_gen.load.document import Document, Findings
from bedrock_gen.validate.schema import structure
from bedrock_gen.validate.sections import auth as auth_section
from bedrock_gen.validate.sections import cloudformation as cloudformation_section
from bedrock_gen.validate.sections import guardrails as guardrails_section
from bedrock_gen.validate.sections import models as models_section
from bedrock_gen.validate.sections import settings
from bedrock_gen.validate.sections import surfaces as surfaces_section


def validate(
    doc: Document,
    catalog: Catalog,
    lint_codes: Iterable[str] | None = None,
    catalog_path: str | None = None,
) -> tuple[Config | None, list[Diagnostic]]:
    """Both passes; the config is ``None`` when any error was found. ``lint_codes``: the codes
    ``lint.ignore`` may name (default: every lint rule and alias)."""
    if lint_codes is None:
        from bedrock_gen.lint.rules import known_codes

        lint_codes = known_codes()
    diagnostics = structure(doc)
    if has_errors(diagnostics):
        return None, diagnostics
    config, more = meaning(doc, catalog, lint_codes, catalog_path)
    return config, [*diagnostics, *more]


def meaning(
    doc: Document,
    cat: Catalog,
    lint_codes: Iterable[str] = (),
    catalog_path: str | None = None,
    check_organization: bool = True,
) -> tuple[Config | None, list[Diagnostic]]:
    """Pass 2. ``check_organization=False`` leaves out the routes the organization's allowed
    Regions block (``lint --kind scp --config`` checks a real SCP against the routes instead)."""
    d = doc.data
    out: list[Diagnostic] = []

    regions, found = models_section.regions(doc, cat)
    out += found
    region_errors = has_errors(found)
    geos, found = models_section.geographies(doc, cat)
    out += found
    part, found = models_section.partition(doc, cat, regions, geos)
    out += found
    account = d.get("account_id")
    selection, found = models_section.selection(
        doc, cat, geos, regions, region_errors or has_errors(out)
    )
    out += found
    guardrails, found = guardrails_section.guardrails(
        doc, cat, part, account, regions, _sources(cat, selection)
    )
    out += found
    enforced, found = guardrails_section.enforced_guardrail(doc, cat, part, account)
    out += found
    subscribe, found = models_section.marketplace(doc, selection)
    out += found

    gateway, found = auth_section.preset(doc)
    out += found
    auth, found = auth_section.auth(doc, gateway, d["name"], part, account, regions)
    out += found
    needs, found = auth_section.needs(doc, gateway, guardrails)
    out += found
    restrictions, found = auth_section.restrictions(doc)
    out += found
    terraform, found = settings.terraform(doc, part)
    out += found
    (managed_limit, trust_limit), found = settings.quotas(
        doc, auth is not None and auth.entity in ("user", "existing_user")
    )
    out += found
    lint_ignore, found = settings.lint_ignore(doc, lint_codes)
    out += found
    allowed, found = models_section.regions(doc, cat, ("organization", "allowed_regions"))
    out += found
    exempt = bool(d.get("organization", {}).get("exempt_profiles", False))
    if allowed is not None and check_organization and not has_errors(out):
        out += _organization(doc, cat, selection, regions, allowed, exempt)
    cloudformation, found = cloudformation_section.settings(
        doc, cat, part, regions, auth, guardrails, terraform
    )
    out += found
    surfaces, found = surfaces_section.surfaces(
        doc,
        cat,
        d["name"],
        part,
        account,
        regions,
        selection.models,
        guardrails,
        terraform.tags,
        allowed if check_organization else None,
        exempt,
    )
    out += found
    if surfaces is not None:
        out += cloudformation_section.profile_regions(doc, cloudformation, surfaces)
    if has_errors(out) or auth is None:
        return None, out
    config = Config(
        file=doc.file,
        name=d["name"],
        partition=part,
        account_id=account,
        regions=regions,
        allow=selection.allow,  # type: ignore[arg-type]
        models=selection.models,
        geographies=selection.geographies,
        in_region=selection.in_region,
        guardrails=guardrails,
        marketplace_subscribe=subscribe,
        gateway=gateway,
        auth=auth,
        needs=needs,
        terraform=terraform,
        managed_policy_limit=managed_limit,
        trust_policy_limit=trust_limit,
        output_dir=d.get("output_dir", DEFAULT_OUTPUT_DIR),
        lint_ignore=lint_ignore,
        catalog_path=catalog_path if catalog_path is not None else d.get("catalog"),
        organization=settings.organization(doc, allowed, exempt, enforced),
        description=d.get("description"),
        preset_settings=MappingProxyType(dict(d.get(gateway.id, {}))),
        restrictions=restrictions,
        cloudformation=cloudformation,
        surfaces=surfaces,
    )
    from bedrock_gen.gateways.checks import check

    preset = check(doc, config, cat)
    if has_errors(preset):
        return None, [*out, *preset]
    return config, [*out, *preset]


def _sources(cat: Catalog, selection: models_section.Selection) -> set[str]:
    """Every Region a chosen route can be called from (when ``regions`` does not say)."""
    out: set[str] = set()
    if selection.allow == "all":
        for geo in selection.geographies:
            out.update(cat.geography_sources(geo))
        if selection.in_region:
            out.update(cat.regions)
        return out
    for route in routes(selection.models, selection.geographies, None, selection.in_region):
        out.add(route.source)
    return out


def _organization(
    doc: Document,
    cat: Catalog,
    selection: models_section.Selection,
    regions: tuple[str, ...] | None,
    allowed: tuple[str, ...],
    exempt: bool = False,
) -> list[Diagnostic]:
    """Routes an organization's Region-deny SCP would block, each named with its profile and
    source.

    AWS (Bedrock user guide, geographic and global cross-Region inference): a Region-deny SCP
    must allow every destination of a geographic profile, or exempt the calls that carry
    ``bedrock:InferenceProfileArn`` (only the foundation-model evaluations carry it, so the
    exemption cannot bypass the Region restriction on the originating call). Global profiles
    are authorized Region-less (``aws:RequestedRegion`` = ``unspecified``): the SCP must allow
    that value or exempt them. ``render`` writes the exemption for the chosen global profiles,
    and with ``organization.exempt_profiles`` for the chosen geographic ones too; a source
    Region or a direct call outside the allowed Regions cannot be exempted."""
    found = Findings(doc)
    allow = frozenset(allowed)
    models = selection.models if selection.allow == "selected" else ()
    chosen = routes(models, selection.geographies, regions, selection.in_region)
    if selection.allow == "all":
        for geo in selection.geographies:
            for source, dests in cat.geography_routes(geo).items():
                if regions is None or source in regions:
                    from bedrock_gen.catalog.routes import Route

                    chosen.append(
                        Route(
                            "*",
                            geo,
                            source,
                            () if cat.geographies[geo].is_global else dests,
                            cat.geographies[geo].is_global,
                        )
                    )
    by_region: dict[str, list[str]] = {}
    exempted: dict[str, list[str]] = {}
    for route in chosen:
        if regions is None and route.source not in allow:
            continue  # an unpinned source outside the SCP is simply never used
        for region in blocked(route, allow):
            what = (
                f"{route.profile_id} called from {route.source}"
                if route.geography
                else f"{route.model} called directly"
            )
            through_profile = route.geography is not None and region != route.source
            (exempted if exempt and through_profile else by_region).setdefault(region, []).append(
                what
            )
    if any(r.is_global for r in chosen):
        found.warn(
            "scp-global-profiles",
            "global profiles are served in any commercial Region "
            "and authorized on the Region-less model ARN, whose aws:RequestedRegion is "
            "'unspecified': a Region-deny SCP must allow 'unspecified' or exempt calls "
            "made through the chosen global profiles (bedrock:InferenceProfileArn); "
            "iam/scp-bedrock-inference.json holds that exemption",
            ("organization", "allowed_regions"),
        )
    if exempted:
        found.warn(
            "scp-profile-exemption",
            f"calls through the chosen profiles may be served in {', '.join(sorted(exempted))}, "
            "outside organization.allowed_regions: they work only once your Region-deny SCP "
            "exempts them (bedrock:InferenceProfileArn); merge "
            "iam/scp-bedrock-inference.json into it (render prints how)",
            ("organization", "exempt_profiles"),
            key=True,
        )
    for region, whats in sorted(by_region.items()):
        shown = "; ".join(sorted(set(whats))[:4]) + (
            f"; and {len(set(whats)) - 4} more" if len(set(whats)) > 4 else ""
        )
        at_source = any(w.endswith(f"from {region}") or w.endswith("directly") for w in whats)
        fix = (
            "allow it, or choose other geographies or regions"
            if at_source or exempt
            else "allow it, exempt calls through the chosen profiles "
            "(organization.exempt_profiles: true, AWS's bedrock:InferenceProfileArn exemption), "
            "or choose other geographies or regions"
        )
        found.error(
            "scp-blocks-route",
            f"organization.allowed_regions does not allow {region}, "
            f"where these calls may be served: {shown}. An SCP that denies {region} "
            f"makes them fail at random; {fix}",
            ("organization", "allowed_regions"),
        )
    return found.items
