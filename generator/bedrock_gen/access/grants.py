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
- Nothing pinned (no ``account_id``, no ``regions``): Port's form, one statement, ``*`` for Region
  and account, so Port's example config renders Port's policy.
- Pinned: profiles are named in their source Regions, and the foundation models are reachable
  only through the listed profiles (``bedrock:InferenceProfileArn``); each statement of models
  lists only the profiles that route to exactly its Regions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from bedrock_gen.catalog.model import Catalog, Model
from bedrock_gen.config.model import Config
from bedrock_gen.iam.bedrock import fm_arn, profile_arn

# Statement kinds: ("port",) ("profiles",) ("routed", destinations...) ("global",) ("direct",)
Kind = tuple[str, ...]
PORT: Kind = ("port",)
PROFILES: Kind = ("profiles",)
GLOBAL: Kind = ("global",)
DIRECT: Kind = ("direct",)


def routed(destinations: Iterable[str]) -> Kind:
    return ("routed", *sorted(destinations))


class Item(NamedTuple):
    kind: Kind
    resource: str
    condition: str | None = None  # a profile ARN the statement's condition lists


class Piece(NamedTuple):
    key: str  # stable across renders: "MODEL GEO SOURCE", "MODEL direct", "MODEL", "*"
    order: tuple[int, str, str]  # catalog order, then geography and source
    items: tuple[Item, ...]

    @property
    def group(self) -> str:
        """The model: its pieces are packed together (they share foundation-model ARNs)."""
        return self.key.split(" ", 1)[0]


def _sources(config: Config, routes: Iterable[str]) -> list[str]:
    if config.regions is None:
        return ["*"]
    available = set(routes)
    return [r for r in config.sorted_regions or () if r in available]


def model_pieces(config: Config, model: Model, rank: int) -> list[Piece]:
    """The pieces one selected model needs."""
    p = config.partition
    account = config.account_id or "*"
    pieces: list[Piece] = []
    port: list[Item] = []
    for geo in config.geographies:
        profile = model.profiles.get(geo)
        if profile is None:
            continue
        for source in _sources(config, profile.routes):
            parn = profile_arn(p, source, account, geo, model.id)
            if not config.pinned:
                port += [Item(PORT, parn), Item(PORT, fm_arn(p, "*", model.id))]
                if profile.is_global:
                    port.append(Item(PORT, fm_arn(p, "", model.id)))
                continue
            items = [Item(PROFILES, parn)]
            if source == "*":  # account pinned, Regions not: any source of this profile
                dests = sorted({d for s in profile.sources for d in profile.served_in(s)}) \
                    if not profile.is_global else ["*"]
            else:
                dests = list(profile.served_in(source))
            items += [Item(routed(dests), fm_arn(p, r, model.id), parn) for r in dests]
            if profile.is_global:
                items.append(Item(GLOBAL, fm_arn(p, "", model.id), parn))
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
    """``models.allow: all``: Port's second example, narrowed to the chosen geographies."""
    p = config.partition
    account = config.account_id or "*"
    items: list[Item] = []
    geos = config.geographies
    if not config.pinned:
        if not geos:
            items += [Item(PORT, f"arn:{p}:bedrock:*:*:inference-profile/*"),
                      Item(PORT, fm_arn(p, "*", "*"))]
        for geo in geos:
            items += [Item(PORT, f"arn:{p}:bedrock:*:*:inference-profile/{geo}.*"),
                      Item(PORT, fm_arn(p, "*", "*"))]
            if catalog.geographies[geo].is_global:
                items.append(Item(PORT, fm_arn(p, "", "*")))
        if config.in_region:
            items.append(Item(PORT, fm_arn(p, "*", "*")))
        return Piece("*", (-1, "", ""), tuple(dict.fromkeys(items)))
    regions = list(config.sorted_regions) if config.regions is not None else ["*"]
    if not geos:
        for r in regions:
            parn = f"arn:{p}:bedrock:{r}:{account}:inference-profile/*"
            items += [Item(PROFILES, parn), Item(routed(["*"]), fm_arn(p, "*", "*"), parn)]
    for geo in geos:
        routes = catalog.geography_routes(geo)
        is_global = catalog.geographies[geo].is_global
        for r in regions:
            if r != "*" and r not in routes:
                continue
            parn = f"arn:{p}:bedrock:{r}:{account}:inference-profile/{geo}.*"
            items.append(Item(PROFILES, parn))
            if is_global:
                items += [Item(routed([r]), fm_arn(p, r, "*"), parn),
                          Item(GLOBAL, fm_arn(p, "", "*"), parn)]
            else:
                dests = (sorted({d for ds in routes.values() for d in ds}) if r == "*"
                         else list(routes[r]))
                items += [Item(routed(dests), fm_arn(p, d, "*"), parn) for d in dests]
    if config.in_region:
        items += [Item(DIRECT, fm_arn(p, r, "*")) for r in regions]
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
