"""A config's access as *pieces*: the smallest units that can sit in different managed policies.

A role's attached policies are evaluated as one union, so each piece (one model's profile in
one source Region, with the foundation models it routes to; or one model's direct calls) may
sit in any of them. A piece is a list of (statement kind, resource, condition value) items;
``documents`` merges items of one kind into one statement.

The rules (sources in the catalog and in ``iam.bedrock``):

- A geographic profile call is authorized on the profile ARN in the *source* Region and on the
  foundation-model ARN in *every destination* Region AWS lists for that source.
- A global profile call is authorized on the profile and the foundation model in the source
  Region and on the Region-less foundation-model ARN.
- Nothing pinned (no ``account_id``, no ``regions``): Port's form, ``*`` for Region and account,
  so Port's example config renders Port's resources and actions; but unless
  ``models.in_region``, the foundation models sit in a statement of their own, conditioned on
  ``bedrock:InferenceProfileArn`` naming the chosen profiles (``ArnLike``, the account being
  ``*``), so no model can be called directly (AWS's geographic example, user guide
  geographic-cross-region-inference).
- Pinned: profiles are named in their source Regions, and the foundation models are reachable
  only through the listed profiles (``bedrock:InferenceProfileArn``). A destination's
  foundation-model ARN sits in the statement of the sources that route to it, so each
  statement allows exactly sources x destinations that are routes, and destinations reached
  from the same sources share one statement (compact where a few sources reach one more
  Region). Without ``regions`` every source the catalog lists is named.
- A global profile is authorized in its source Region (and Region-less), so each source has
  its own statement; with the account pinned and no ``regions`` (every commercial Region is a
  source) the profile and the source's model are named with ``*`` for the Region, one
  statement instead of thirty that allows no route AWS does not offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from bedrock_gen.catalog.model import Catalog, Model, Routes
from bedrock_gen.config.model import Config
from bedrock_gen.iam.bedrock import fm_arn, profile_arn

# Statement kinds: ("port",) ("profiles",) ("routed", destinations...) ("global",) ("direct",)
Kind = tuple[str, ...]
PORT: Kind = ("port",)
PROFILES: Kind = ("profiles",)
GLOBAL: Kind = ("global",)
DIRECT: Kind = ("direct",)
# Unpinned (Port's form): foundation models in any Region, through the chosen profiles.
THROUGH_ANY: Kind = ("routed", "*")


def routed(sources: Iterable[str]) -> Kind:
    """The statement of the foundation models reached from exactly these source Regions."""
    return ("routed", *sorted(sources))


def _reach(routes: Routes, sources: Iterable[str]) -> dict[str, list[str]]:
    """Each destination, with the chosen sources that route to it."""
    reach: dict[str, list[str]] = {}
    for source in sources:
        for dest in routes.get(source, ()):
            reach.setdefault(dest, []).append(source)
    return reach


class Item(NamedTuple):
    kind: Kind
    resource: str
    condition: str | None = None  # a profile ARN the statement's condition lists


class Piece(NamedTuple):
    key: str  # stable across renders: "MODEL GEO SOURCE", "MODEL direct", "MODEL", "*", "~..."
    order: tuple[int, str, str]  # catalog order, then geography and source
    items: tuple[Item, ...]
    # Statements written as they are (guardrails, Marketplace, the optional permissions, the
    # denies): an optional group is a piece like a model's grants, keyed "~NAME".
    statements: tuple[dict[str, Any], ...] = ()

    @property
    def group(self) -> str:
        """The model: its pieces are packed together (they share foundation-model ARNs)."""
        return self.key.split(" ", 1)[0]

    @property
    def optional(self) -> bool:
        """Not a model's grant: an optional group of statements."""
        return self.key.startswith("~")


def _sources(config: Config, routes: Iterable[str]) -> list[str]:
    """The source Regions a profile is granted in.

    Port's unpinned form names none (``*``); pinned without ``regions``, every source the
    catalog lists, each reaching only its own destinations.
    """
    if not config.pinned:
        return ["*"]
    if config.regions is None:
        return sorted(routes)
    available = set(routes)
    return [r for r in config.sorted_regions or () if r in available]


def _through_profile(
    config: Config, geo: str, model_id: str, routes: Routes, is_global: bool
) -> dict[str, list[Item]]:
    """Per source Region, what calls through one profile need (``model_id`` may be ``*``).

    With no ``regions`` (every source), a destination every source reaches is granted through
    the profile in any Region (``*``): one ARN instead of a list, and still exact.
    """
    p, account = config.partition, config.account_id or "*"
    every_source = config.regions is None
    out: dict[str, list[Item]] = {}
    if is_global:
        for s in ["*"] if every_source else _sources(config, routes):
            parn = profile_arn(p, s, account, geo, model_id)
            # its own statement: merged with a geographic one, the pair would reach that
            # one's Regions through the global profile
            out[s] = [
                Item(PROFILES, parn),
                Item(("routed", "global", s), fm_arn(p, s, model_id), parn),
                Item(GLOBAL, fm_arn(p, "", model_id), parn),
            ]
        return out
    sources = _sources(config, routes)
    reach = _reach(routes, sources)
    anywhere = profile_arn(p, "*", account, geo, model_id)
    for s in sources:
        parn = profile_arn(p, s, account, geo, model_id)
        items = [Item(PROFILES, anywhere if every_source else parn)]
        for d in routes[s]:
            if every_source and len(reach[d]) == len(sources):
                items.append(Item(("routed", "*", geo), fm_arn(p, d, model_id), anywhere))
            else:
                items.append(Item(routed(reach[d]), fm_arn(p, d, model_id), parn))
        out[s] = items
    return out


def model_pieces(config: Config, model: Model, rank: int) -> list[Piece]:
    """The pieces one selected model needs."""
    p = config.partition
    account = config.account_id or "*"
    pieces: list[Piece] = []
    port: list[Item] = []
    direct_anywhere = config.in_region and model.on_demand and config.regions is None
    for geo in config.geographies:
        profile = model.profiles.get(geo)
        if profile is None:
            continue
        if not config.pinned:
            parn = profile_arn(p, "*", account, geo, model.id)
            port.append(Item(PORT, parn))
            if not direct_anywhere:
                # Port's resources, but the foundation model only through the chosen profiles:
                # no direct call unless models.in_region asks for it.
                port.append(Item(THROUGH_ANY, fm_arn(p, "*", model.id), parn))
            if profile.is_global:
                port.append(Item(GLOBAL, fm_arn(p, "", model.id), parn))
            continue
        by_source = _through_profile(config, geo, model.id, profile.routes, profile.is_global)
        for source, items in by_source.items():
            pieces.append(Piece(f"{model.id} {geo} {source}", (rank, geo, source), tuple(items)))
    if config.in_region and model.on_demand:
        if config.regions is None:
            where = ["*"]
        else:
            where = model.on_demand_regions(config.sorted_regions or ())
        kind = DIRECT if config.pinned else PORT
        direct = tuple(Item(kind, fm_arn(p, r, model.id)) for r in where)
        if direct and config.pinned:
            pieces.append(Piece(f"{model.id} direct", (rank, "~direct", ""), direct))
        else:
            port += direct
    if port:
        pieces.insert(0, Piece(model.id, (rank, "", ""), tuple(dict.fromkeys(port))))
    return pieces


def all_models_piece(config: Config, catalog: Catalog) -> Piece:
    """``models.allow: all``: Port's second example, narrowed to the chosen geographies; the
    foundation models reachable only through profiles unless ``in_region``."""
    p = config.partition
    account = config.account_id or "*"
    items: list[Item] = []
    geos = config.geographies
    if not config.pinned:
        if not geos:
            parn = f"arn:{p}:bedrock:*:*:inference-profile/*"
            items.append(Item(PORT, parn))
            if not config.in_region:
                items.append(Item(THROUGH_ANY, fm_arn(p, "*", "*"), parn))
        for geo in geos:
            parn = f"arn:{p}:bedrock:*:*:inference-profile/{geo}.*"
            items.append(Item(PORT, parn))
            if not config.in_region:
                items.append(Item(THROUGH_ANY, fm_arn(p, "*", "*"), parn))
            if catalog.geographies[geo].is_global:
                items.append(Item(GLOBAL, fm_arn(p, "", "*"), parn))
        if config.in_region:
            items.append(Item(PORT, fm_arn(p, "*", "*")))
        return Piece("*", (-1, "", ""), tuple(dict.fromkeys(items)))
    regions = list(config.sorted_regions or ()) if config.regions is not None else None
    if not geos:
        for r in regions or ["*"]:
            parn = f"arn:{p}:bedrock:{r}:{account}:inference-profile/*"
            items += [Item(PROFILES, parn), Item(routed(["*"]), fm_arn(p, "*", "*"), parn)]
    for geo in geos:
        routes = catalog.geography_routes(geo)
        by_source = _through_profile(config, geo, "*", routes, catalog.geographies[geo].is_global)
        for more in by_source.values():
            items += more
    if config.in_region:
        items += [Item(DIRECT, fm_arn(p, r, "*")) for r in regions or ["*"]]
    return Piece("*", (-1, "", ""), tuple(dict.fromkeys(items)))


def pieces(config: Config, catalog: Catalog) -> list[Piece]:
    """Every piece of the invoke policy, in the stable order they are packed in."""
    if config.allow == "all":
        return [all_models_piece(config, catalog)]
    order = catalog.order
    out = []
    for model in config.models:
        out += model_pieces(config, model, order.get(model.id, len(order)))
    return sorted(out, key=lambda pc: (pc.order, pc.key))
