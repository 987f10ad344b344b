#!/usr/bin/env python3
"""AWS's Bedrock user-guide pages -> the facts bedrock-gen grants (catalog-src/models.json).

Usage (``make catalog-extract PAGES=DIR``)::

    python tools/extract_model_cards.py DIR [DIR ...] [--checkout OWNER/NAME@COMMIT=DIR ...]
        --snapshots catalog-src/snapshots.json -o catalog-src/models.json

Inputs are snapshots of ``docs/bedrock/latest/userguide/`` as stored in public repositories of
AWS's documentation (``crowecawcaw/aws-docs-history``, ``c2hans/aws-docs``):

- a *page store* ``DIR`` laid out ``DIR/OWNER+NAME/COMMIT/docs/bedrock/latest/userguide/*.md``
  (full pages, or excerpts that keep the fact-bearing sections verbatim and mark what was not
  read with HTML comments such as ``<!-- not read: ... -->`` and ``<!-- table continues: ... -->``);
- or a git work tree at one commit: ``--checkout OWNER/NAME@COMMIT=DIR``.

``catalog-src/snapshots.json`` orders the snapshots (commit dates are unknown: the order is
decided by content and says why). For every page the copy from the latest snapshot wins; a page
whose copies include one from an *unplaced* snapshot and one from another is refused.

Pages read:

- ``model-cards.md`` (models at a glance): the models AWS offers now, one card each;
- ``model-card-*.md``: Model Details (lifecycle, launch and EOL dates, Marketplace product ID),
  the Programmatic Access table (model ID, In-Region URL per endpoint, Geo and Global profile
  IDs), the availability tables (In-Region / Geo / Global per Region, per endpoint), the
  per-geography "Source Region | Destination Regions" tables and the Global table;
- ``model-lifecycle-legacy.md``: Legacy and end-of-life dates per model and Region;
- ``model-access-product-ids.md``: providers not sold through AWS Marketplace.

Rules (never a guess):

- A geographic profile's routes are the card's per-source table, nothing else. A profile ID the
  card lists without a table is recorded as *unpublished* with the Regions the card marks; the
  catalog does not grant it.
- Where the availability table explicitly marks a table's source Region Geo = No, the source is
  dropped (the narrower grant) and the disagreement recorded; GovCloud rows in a ``us.`` table
  are filed under ``us-gov`` (a profile cannot span partitions) and recorded.
- In-Region lists come from the In-Region column of the table for that endpoint; an endpoint
  whose In-Region URL is "Not supported" has none.
- Every fact names the page it comes from (``pages``: repository, path, commit).

Output is deterministic: the same pages give the same bytes. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

GUIDE = "docs/bedrock/latest/userguide"
INDEX = "model-cards.md"
LEGACY = "model-lifecycle-legacy.md"
PRODUCT_IDS = "model-access-product-ids.md"

REGION_RE = re.compile(
    r"\b((?:us-gov|us|ca|eu|ap|sa|me|af|il|mx)-"
    r"(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d)\b"
)
PROFILE_RE = re.compile(
    r"(?<![\w.-])(us-gov|us|eu|apac|jp|au|ca|in|global)\.([a-z0-9-]+\.[A-Za-z0-9.:_-]+)"
)
PRODUCT_RE = re.compile(
    r"\b(prod-[a-z0-9]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"
)
MODEL_ID_RE = re.compile(r"^[a-z0-9-]+\.[a-z0-9][a-z0-9.:_-]*$")
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}


SHIFTED = (
    "the page's labels are shifted by one for this entry (Model name holds the ID, Model ID "
    "the Regions, Regions the Legacy date...); read by position"
)


class ExtractError(Exception):
    """The pages cannot be read as they are: one line, naming the file."""


class Copy(NamedTuple):
    repo: str
    commit: str
    name: str  # file name in the user guide folder
    file: Path

    def cite(self) -> dict[str, str]:
        return {"repo": self.repo, "path": f"{GUIDE}/{self.name}", "commit": self.commit}


# ---------------------------------------------------------------------------------------------
# Finding the pages and the newest copy of each


def load_snapshots(path: Path) -> tuple[dict[tuple[str, str], int], dict[str, Any]]:
    """Rank of each (repo, commit): its position in ``order``; unplaced snapshots get -1."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    ranks: dict[tuple[str, str], int] = {}
    for i, s in enumerate(raw["order"]):
        ranks[(s["repo"], s["commit"])] = i
    for s in raw.get("unplaced", []):
        ranks[(s["repo"], s["commit"])] = -1
    return ranks, raw


def discover(stores: Iterable[Path], checkouts: Iterable[str]) -> list[Copy]:
    copies: list[Copy] = []
    for store in stores:
        if not store.is_dir():
            raise ExtractError(f"{store}: not a folder")
        for repo_dir in sorted(p for p in store.iterdir() if p.is_dir() and "+" in p.name):
            repo = repo_dir.name.replace("+", "/", 1)
            for commit_dir in sorted(p for p in repo_dir.iterdir() if p.is_dir()):
                folder = commit_dir / GUIDE
                if folder.is_dir():
                    copies += [
                        Copy(repo, commit_dir.name, f.name, f) for f in sorted(folder.glob("*.md"))
                    ]
    for spec in checkouts:
        m = re.fullmatch(r"([\w.-]+/[\w.-]+)@([0-9a-f]{40})=(.+)", spec)
        if m is None:
            raise ExtractError(f"--checkout {spec!r}: expected OWNER/NAME@COMMIT=DIR")
        folder = Path(m.group(3)) / GUIDE
        if not folder.is_dir():
            raise ExtractError(f"--checkout {spec!r}: {folder} is not a folder")
        copies += [Copy(m.group(1), m.group(2), f.name, f) for f in sorted(folder.glob("*.md"))]
    return copies


def newest(copies: list[Copy], ranks: dict[tuple[str, str], int]) -> dict[str, Copy]:
    """The copy from the latest snapshot of every page name."""
    by_name: dict[str, list[Copy]] = {}
    for c in copies:
        if (c.repo, c.commit) not in ranks:
            raise ExtractError(
                f"{c.file}: snapshot {c.repo}@{c.commit} is not in snapshots.json; add it to "
                "'order' (with why it goes there) or to 'unplaced'"
            )
        by_name.setdefault(c.name, []).append(c)
    out: dict[str, Copy] = {}
    for name, found in sorted(by_name.items()):
        if len(found) > 1 and any(ranks[(c.repo, c.commit)] < 0 for c in found):
            shown = ", ".join(f"{c.repo}@{c.commit[:8]}" for c in found)
            raise ExtractError(
                f"{name}: copies in {shown}, one of them from an unplaced snapshot: place it in "
                "snapshots.json's 'order' first"
            )
        out[name] = max(found, key=lambda c: ranks[(c.repo, c.commit)])
    return out


# ---------------------------------------------------------------------------------------------
# Markdown pieces


def cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in inner.split("|")]


def is_separator(line: str) -> bool:
    return bool(re.fullmatch(r"\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?", line.strip()))


class Table(NamedTuple):
    start: int  # line index of the header
    header: list[str]
    rows: list[list[str]]
    end: int  # line index after the last row


def tables(lines: list[str]) -> list[Table]:
    out = []
    i = 0
    while i < len(lines) - 1:
        if lines[i].lstrip().startswith("|") and is_separator(lines[i + 1]):
            header = [strip_md(c) for c in cells(lines[i])]
            rows = []
            j = i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                rows.append(cells(lines[j]))
                j += 1
            out.append(Table(i, header, rows, j))
            i = j
        else:
            i += 1
    return out


def strip_md(text: str) -> str:
    return re.sub(r"[*`_\\]", "", text).strip()


def regions_in(text: str) -> list[str]:
    return list(dict.fromkeys(REGION_RE.findall(text)))


def flag(cell: str) -> bool | None:
    """An availability cell: True (supported), False, or None (unreadable or empty)."""
    low = cell.lower()
    if "icon-yes" in low or "✅" in cell:
        return True
    if "icon-no" in low or "❌" in cell:
        return False
    word = strip_md(low)
    if word in {"supported", "yes", "y"}:
        return True
    if word in {"not supported", "not-supported", "no", "n", "n/a", "-", "—"}:
        return False
    return None


def parse_date(text: str) -> str | None:
    """ "September 28, 2026", "18th Sept 2026", "Legacy: July 7, 2026", "4/3/2025" -> ISO
    (YYYY-MM-DD); "Aug 2024" -> YYYY-MM (AWS gives only the month)."""
    m = re.search(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b", text)
    if m and m.group(1).lower() in MONTHS:
        return dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2))).isoformat()
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b", text)
    if m and m.group(2).lower() in MONTHS:
        return dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text)
    if m:
        return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
    m = re.search(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b", text)
    if m and m.group(1).lower() in MONTHS:  # "Aug 2024": the month only
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}"
    return None


def comments(text: str, kind: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"<!--\s*" + kind + r":?(.*?)-->", text, re.S)]


# ---------------------------------------------------------------------------------------------
# The index, the lifecycle page, the product-ID page


def parse_index(text: str) -> list[dict[str, str]]:
    """The models AWS's index lists: card file stem, name and provider, in page order."""
    out = []
    for t in tables(text.splitlines()):
        if "Supported models" not in t.header:
            continue
        for row in t.rows:
            provider = strip_md(re.sub(r"\]\(.*?\)", "", row[1]).replace("[", ""))
            for name, card in re.findall(
                r"\[([^\]]+)\]\((model-card-[a-z0-9-]+)\.(?:md|html)(?:\s+\"[^\"]*\")?\)", row[2]
            ):
                out.append({"card": card, "name": strip_md(name), "provider": provider})
    if not out:
        raise ExtractError(f"{INDEX}: no 'Supported models' table with model-card links")
    return out


def parse_lifecycle(text: str) -> list[dict[str, Any]]:
    """Entries of the Legacy/EOL list: model ID, and per group of Regions the dates.

    One entry on AWS's page has its labels shifted by one (``Model name: cohere.command-r-v1:0``,
    ``Model ID: us-east-1, us-west-2``, ``Regions: February 19, 2026`` ...): values are read by
    what they are (an ID, a Region list, dates in the page's order), and the shift is noted.
    """
    entries: list[dict[str, Any]] = []
    blocks = re.split(r"\n(?=- \*\*)", text.split("- **", 1)[1] if "- **" in text else "")
    for raw_block in blocks:
        block = "- **" + raw_block if not raw_block.startswith("- **") else raw_block
        fields: list[tuple[str, str]] = []
        for line in block.splitlines()[1:]:
            for key, value in re.findall(r"\*\*([^*]+?):\*\*\s*([^/]*?)(?=\s*/\s*\*\*|$)", line):
                fields.append((key.strip().lower(), value.strip()))
        if not fields:
            continue
        values = [v for _k, v in fields]
        ids = [v for v in values if MODEL_ID_RE.match(v)]
        if not ids:
            continue
        labels = dict(fields)
        shifted = labels.get("model id") != ids[0]
        groups: list[dict[str, Any]] = []
        if shifted:
            rest = values[values.index(ids[0]) + 1 :]
            dates = [parse_date(v) for v in rest if parse_date(v)]
            regs = next((regions_in(v) for v in rest if regions_in(v)), [])
            groups.append(_group(regs, dates))
        else:
            current: list[tuple[str, str]] = []
            for key, value in fields:
                if key == "regions" and current:
                    groups.append(_fields_group(current))
                    current = []
                if key in {
                    "regions",
                    "legacy date",
                    "eol date",
                    "public extended access start date",
                }:
                    current.append((key, value))
            if current:
                groups.append(_fields_group(current))
        entries.append(
            {
                "id": ids[0],
                "name": None if shifted else labels.get("model name"),
                "groups": groups,
                **({"note": SHIFTED} if shifted else {}),
            }
        )
    return sorted(entries, key=lambda e: str(e["id"]))


def _group(regs: list[str], dates: list[str | None]) -> dict[str, Any]:
    dates += [None] * (3 - len(dates))
    return {
        "regions": sorted(regs),
        "legacy_date": dates[0],
        "eol_date": dates[1],
        "extended_access_date": dates[2],
    }


def _fields_group(fields: list[tuple[str, str]]) -> dict[str, Any]:
    f = dict(fields)
    return {
        "regions": sorted(regions_in(f.get("regions", ""))),
        "legacy_date": parse_date(f.get("legacy date", "")),
        "eol_date": parse_date(f.get("eol date", "")),
        "extended_access_date": parse_date(f.get("public extended access start date", "")),
    }


def parse_product_ids(text: str) -> dict[str, Any]:
    """Providers not sold through AWS Marketplace, and the page's table of older products."""
    m = re.search(r"aren't sold through AWS Marketplace[^\n]*\n(.*?)\n(?:You can|\n)", text, re.S)
    if m is None:
        raise ExtractError(
            f"{PRODUCT_IDS}: the list of providers not sold through Marketplace is missing"
        )
    providers = [strip_md(line) for line in m.group(1).splitlines() if strip_md(line)]
    products = {}
    for t in tables(text.splitlines()):
        if t.header[:2] == ["Model", "Product ID"]:
            products = {strip_md(r[0]): strip_md(r[1]) for r in t.rows}
    return {"not_marketplace_providers": providers, "products": products}


# ---------------------------------------------------------------------------------------------
# A model card


class Card(NamedTuple):
    title: str
    details: dict[str, str]
    access: dict[str, dict[str, Any]]  # endpoint -> {model_id, in_region_url, geo_ids, global_id}
    availability: list[dict[str, Any]]  # {endpoint, rows: {region: (in, geo, global)}, partial}
    geo_tables: list[dict[str, Any]]  # {profile_id, geography, routes, heading}
    global_table: dict[str, Any] | None  # {profile_id, sources}
    unread: list[str]  # what the copy does not hold
    limited: bool  # "Access to this model is limited to eligible customers"


ENDPOINT_RE = re.compile(r"bedrock-(runtime|mantle)")


def parse_card(text: str, name: str) -> Card:
    lines = text.splitlines()
    title = next((line[2:].strip() for line in lines if line.startswith("# ")), "")
    if not title:
        raise ExtractError(f"{name}: no '# Title' line")
    details: dict[str, str] = {}
    for line in lines:
        m = re.match(r"^\s*[+-]\s+\*\*(.+?):\*\*\s*(.*)$", line)
        if m and m.group(1) not in details:
            details[m.group(1).strip()] = m.group(2).strip()
    unread = comments(text, "not read")
    found = tables(lines)
    access: dict[str, dict[str, Any]] = {}
    availability: list[dict[str, Any]] = []
    geo_tables: list[dict[str, Any]] = []
    global_table: dict[str, Any] | None = None
    for t in found:
        head = [h.lower() for h in t.header]
        if head[:2] == ["endpoint", "model id"]:
            for row in t.rows:
                ep = ENDPOINT_RE.search(row[0])
                if ep is None or len(row) < 5:
                    continue
                access[f"bedrock-{ep.group(1)}"] = {
                    "model_id": strip_md(row[1]),
                    "in_region_url": "http" in row[2],
                    "geo_ids": sorted(
                        {f"{g}.{i}" for g, i in PROFILE_RE.findall(row[3]) if g != "global"}
                    ),
                    "global_id": next(
                        (f"{g}.{i}" for g, i in PROFILE_RE.findall(row[4]) if g == "global"), None
                    ),
                }
        elif len(head) >= 4 and any("in-region" in h for h in head) and ("region" in head[0]):
            availability.append(_availability(t, lines, text))
        elif head[:2] == ["source region", "destination regions"]:
            geo_tables.append(_geo_table(t, lines, name))
        elif head and head[0] == "global inference id":
            sources: list[str] = []
            pid = None
            for row in t.rows:
                ids = [f"{g}.{i}" for g, i in PROFILE_RE.findall(row[0]) if g == "global"]
                pid = pid or (ids[0] if ids else None)
                for c in row[1:]:
                    sources += regions_in(c)
            global_table = {"profile_id": pid, "sources": sorted(set(sources))}
    limited = "limited to eligible customers" in text
    return Card(title, details, access, availability, geo_tables, global_table, unread, limited)


def _label_before(lines: list[str], start: int) -> str:
    """The endpoint an availability table is for: the nearest bold label above it naming one."""
    for j in range(start - 1, max(start - 8, -1), -1):
        line = lines[j].strip()
        if line.startswith("|"):
            break
        m = ENDPOINT_RE.search(line) if line.startswith("**") else None
        if m:
            return f"bedrock-{m.group(1)}"
    return "unlabeled"


def _availability(t: Table, lines: list[str], text: str) -> dict[str, Any]:
    head = [h.lower() for h in t.header]
    i_in = next(i for i, h in enumerate(head) if "in-region" in h)
    i_geo = next((i for i, h in enumerate(head) if "geo" in h), None)
    i_glob = next((i for i, h in enumerate(head) if "global" in h), None)
    rows: dict[str, list[bool | None]] = {}
    for row in t.rows:
        regs = regions_in(row[0])
        if not regs:
            continue

        def at(i: int | None, row: list[str] = row) -> bool | None:
            return flag(row[i]) if i is not None and i < len(row) else None

        rows[regs[0]] = [at(i_in), at(i_geo), at(i_glob)]
    after = "\n".join(lines[t.end : t.end + 3])
    partial = comments(after, "table continues")
    return {"endpoint": _label_before(lines, t.start), "rows": rows, "partial": partial}


def _geo_table(t: Table, lines: list[str], name: str) -> dict[str, Any]:
    pid = None
    heading = ""
    for j in range(t.start - 1, max(t.start - 8, -1), -1):
        line = lines[j]
        if pid is None and "inference id" in line.lower():
            ids = PROFILE_RE.findall(line)
            if ids:
                pid = f"{ids[0][0]}.{ids[0][1]}"
        if line.startswith("**") and "inference id" not in line.lower():
            heading = strip_md(line)
            break
    if pid is None:
        raise ExtractError(f"{name}: a Source/Destination table with no profile ID above it")
    routes = {}
    for row in t.rows:
        src = regions_in(row[0])
        if src:
            routes[src[0]] = sorted(set(regions_in(row[1])))
    return {
        "profile_id": pid,
        "geography": pid.split(".", 1)[0],
        "heading": heading,
        "routes": routes,
    }


# ---------------------------------------------------------------------------------------------
# From a card to a model record


def partition(region: str) -> str:
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def candidate_geographies(region: str) -> set[str]:
    """Geographies whose profiles a Region might be a source of (for listing the Regions a card
    marks for a profile it publishes no table for: informational, never granted)."""
    if region.startswith("us-gov-"):
        return {"us-gov"}
    if region.startswith(("us-", "ca-", "mx-")):
        return {"us", "ca"}
    if region.startswith(("eu-", "il-", "me-")):
        return {"eu"}
    geos = {"apac"}
    if region in {"ap-northeast-1", "ap-northeast-3"}:
        geos.add("jp")
    if region in {"ap-southeast-2", "ap-southeast-4", "ap-southeast-6"}:
        geos.add("au")
    if region in {"ap-south-1", "ap-south-2"}:
        geos.add("in")
    return geos


def _marks(card: Card, endpoint: str) -> tuple[dict[str, list[bool | None]], list[str]]:
    """The availability rows for an endpoint: its own table, else the unlabeled one."""
    for want in (endpoint, "unlabeled"):
        for a in card.availability:
            if a["endpoint"] == want:
                return a["rows"], a["partial"]
    return {}, []


def model_record(card: Card, copy: Copy, listed: dict[str, str] | None) -> dict[str, Any]:
    """One model's facts from its card, each citing the card (``from: card``)."""
    notes: list[str] = []
    disagreements: list[dict[str, Any]] = []
    runtime = card.access.get("bedrock-runtime")
    mantle = card.access.get("bedrock-mantle")
    profile_ids = {pid for a in card.access.values() for pid in a["geo_ids"]}
    profile_ids |= {g["profile_id"] for g in card.geo_tables}
    if runtime and MODEL_ID_RE.match(runtime["model_id"]):
        model_id = runtime["model_id"]
    elif profile_ids:
        model_id = sorted(profile_ids)[0].split(".", 1)[1]
    elif mantle:
        model_id = mantle["model_id"]
    else:
        raise ExtractError(
            f"{copy.file}: no model ID (no Programmatic Access table, no profile ID)"
        )
    if not MODEL_ID_RE.match(model_id):
        raise ExtractError(f"{copy.file}: '{model_id}' is not a model ID")
    record: dict[str, Any] = {
        "id": model_id,
        "card": copy.name.removesuffix(".md"),
        "name": card.title,
        "provider": listed["provider"] if listed else None,
        "pages": {"card": copy.cite()},
    }
    if card.unread:
        record["unread"] = card.unread
    if card.limited:
        record["limited_access"] = (
            "Access to this model is limited to eligible customers (the card's words)"
        )
    _details(card, record, disagreements)
    # In-Region, per endpoint
    rt_rows, rt_partial = _marks(card, "bedrock-runtime")
    endpoints: dict[str, Any] = {}
    if runtime is not None or (not card.access and rt_rows):
        marked = sorted(r for r, f in rt_rows.items() if f[0])
        if runtime is not None and not runtime["in_region_url"]:
            own = next((a for a in card.availability if a["endpoint"] == "bedrock-runtime"), None)
            if own is not None and any(f[0] for f in own["rows"].values()):
                disagreements.append(
                    {
                        "fact": "in_region (bedrock-runtime)",
                        "says": {
                            "Programmatic Access table": "In-Region URL not supported",
                            "availability table": marked,
                        },
                        "choice": [],
                        "why": "the narrower: no direct calls on bedrock-runtime",
                    }
                )
            marked = []
        endpoints["bedrock-runtime"] = {"in_region": marked, "partial": rt_partial}
    if mantle is not None:
        mt_rows, mt_partial = _marks(card, "bedrock-mantle")
        own_mantle = any(a["endpoint"] == "bedrock-mantle" for a in card.availability)
        use = own_mantle or (runtime is None or not runtime["in_region_url"])
        marked = (
            sorted(r for r, f in mt_rows.items() if f[0]) if mantle["in_region_url"] and use else []
        )
        if (
            mantle["in_region_url"]
            and not own_mantle
            and runtime is not None
            and runtime["in_region_url"]
        ):
            marked = sorted(r for r, f in mt_rows.items() if f[0])  # one table for both endpoints
        endpoints["bedrock-mantle"] = {
            "model_id": mantle["model_id"],
            "in_region": marked,
            "partial": mt_partial,
        }
    record["endpoints"] = endpoints
    # Profiles
    geo_marked = sorted(r for r, f in rt_rows.items() if f[1])
    geo_no = {r for r, f in rt_rows.items() if f[1] is False}
    profiles: dict[str, Any] = {}
    covered: set[str] = set()
    for g in card.geo_tables:
        routes = dict(g["routes"])
        geo = g["geography"]
        if geo != "us-gov":
            gov = {s: d for s, d in routes.items() if partition(s) != "aws"}
            routes = {s: d for s, d in routes.items() if s not in gov}
            if gov:
                gov_id = "us-gov." + g["profile_id"].split(".", 1)[1]
                target = profiles.setdefault("us-gov", {"profile_id": gov_id, "routes": {}})
                target.setdefault("filed_from", g["profile_id"])
                disagreements.append(
                    {
                        "fact": "profiles.us-gov",
                        "says": {
                            "this card": f"GovCloud sources {', '.join(sorted(gov))} in the "
                            f"{g['profile_id']} table",
                            "other cards (Nemotron, gpt-oss)": "GovCloud profiles are named "
                            "us-gov.MODEL",
                        },
                        "choice": f"filed under {gov_id}, routes as the table gives them",
                        "why": "a profile cannot span partitions and every GovCloud profile "
                        "AWS names uses the us-gov. prefix",
                    }
                )
                _drop_geo_no(
                    gov, geo_no, f"{g['profile_id']} (GovCloud rows)", "us-gov", disagreements
                )
                target["routes"].update(gov)
        _drop_geo_no(routes, geo_no, g["profile_id"], geo, disagreements)
        covered |= set(g["routes"])
        if routes:
            target = profiles.setdefault(geo, {"profile_id": g["profile_id"], "routes": {}})
            target["routes"].update(routes)
    listed_ids = sorted(p for p in (runtime["geo_ids"] if runtime else []))
    for pid in listed_ids:
        geo = pid.split(".", 1)[0]
        if geo in profiles:
            continue
        if any(g["geography"] == geo for g in card.geo_tables):
            continue  # a table whose every source was dropped: recorded above
        marked = sorted(
            r for r in geo_marked if r not in covered and geo in candidate_geographies(r)
        )
        profiles[geo] = {
            "profile_id": pid,
            "routes": None,
            "marked_sources": marked,
            "why": "the card lists the profile ID but no per-source routing table"
            + (" (or the copy read does not include it)" if card.unread else ""),
        }
    gov_marked = [
        r
        for r in geo_marked
        if r.startswith("us-gov-") and "us-gov" not in profiles and r not in covered
    ]
    if gov_marked:
        disagreements.append(
            {
                "fact": "profiles.us-gov",
                "says": {
                    "availability table": f"Geo = Yes in {', '.join(gov_marked)}",
                    "Programmatic Access table": "no us-gov. profile ID",
                },
                "choice": "no us-gov profile",
                "why": "no profile ID and no routing table: nothing to grant",
            }
        )
    other = [
        r
        for r in geo_marked
        if r not in covered
        and not r.startswith("us-gov-")
        and not any(
            p.get("routes") is None and r in p.get("marked_sources", []) for p in profiles.values()
        )
    ]
    if other:
        notes.append(
            f"the availability table marks Geo = Yes in {', '.join(other)}, which no profile "
            "this card names a table or ID for: not granted"
        )
    # Global
    global_id = (runtime or {}).get("global_id") or (card.global_table or {}).get("profile_id")
    if global_id:
        if card.global_table and card.global_table["sources"]:
            sources = card.global_table["sources"]
            origin = "Global inference table"
        else:
            sources = sorted(r for r, f in rt_rows.items() if f[2] and partition(r) == "aws")
            origin = "availability table, Global column"
            if rt_partial:
                notes.append(
                    "global sources: the availability table copy is partial ("
                    + "; ".join(rt_partial)
                    + ")"
                )
        if sources:
            profiles["global"] = {
                "profile_id": global_id,
                "sources": sources,
                "sources_from": origin,
            }
        else:
            profiles["global"] = {
                "profile_id": global_id,
                "routes": None,
                "marked_sources": [],
                "why": "the card lists the global profile ID but no Region it can be called from",
            }
    record["profiles"] = dict(sorted(profiles.items()))
    for p in record["profiles"].values():
        if p.get("routes"):
            p["routes"] = dict(sorted(p["routes"].items()))
    if notes:
        record["notes"] = notes
    if disagreements:
        record["disagreements"] = disagreements
    return record


def _drop_geo_no(
    routes: dict[str, list[str]],
    geo_no: set[str],
    table: str,
    geo: str,
    disagreements: list[dict[str, Any]],
) -> None:
    """Sources the availability table explicitly marks Geo = No: dropped (the narrower grant),
    and the disagreement recorded."""
    dropped = sorted(s for s in routes if s in geo_no)
    if not dropped:
        return
    disagreements.append(
        {
            "fact": f"profiles.{geo}.sources",
            "says": {
                f"{table} routing table": f"{', '.join(dropped)} route through it",
                "availability table": f"Geo = No in {', '.join(dropped)}",
            },
            "choice": f"{', '.join(dropped)} not granted as a source",
            "why": "the narrower grant, until the account's own listing (bedrock-gen catalog "
            "fetch) says otherwise",
        }
    )
    for s in dropped:
        del routes[s]


def _details(card: Card, record: dict[str, Any], disagreements: list[dict[str, Any]]) -> None:
    d = card.details
    lifecycle: dict[str, Any] = {}
    status = d.get("Model lifecycle")
    if status:
        lifecycle["status"] = strip_md(status).lower()
    if status and "certain regions" in status.lower():
        lifecycle["status"] = strip_md(status.split("(")[0]).lower()
        lifecycle["scope"] = (
            "certain Regions (the card's words; model-lifecycle-legacy.md names them)"
        )
    for key, field in (
        ("Model launch date", "launch_date"),
        ("Model EOL date", "eol_date"),
        ("EOL no sooner than", "eol_no_sooner_than"),
    ):
        value = parse_date(d.get(key, ""))
        if value is None:
            continue
        if field == "eol_date" and "sooner" in d[key].lower():
            field = "eol_no_sooner_than"  # older cards: "Model EOL date: No sooner than 4/3/2025"
        lifecycle.setdefault(field, value)
    if "Model lifecycle policy" in d:
        lifecycle["policy"] = (
            "model-lifecycle-legacy.md"
            if "legacy" in d["Model lifecycle policy"].lower()
            else "model-lifecycle.md"
        )
    if lifecycle:
        record["lifecycle"] = lifecycle
    pid = d.get("Marketplace product ID")
    if pid:
        m = PRODUCT_RE.search(pid)
        if m:
            record["marketplace_product_id"] = m.group(1)


# ---------------------------------------------------------------------------------------------
# The whole extraction


def extract(
    copies: list[Copy], ranks: dict[tuple[str, str], int], snapshots: dict[str, Any]
) -> dict[str, Any]:
    pages = newest(copies, ranks)
    if INDEX not in pages:
        raise ExtractError(f"no copy of {INDEX} (the models-at-a-glance index)")
    index_copy = pages[INDEX]
    listed = parse_index(index_copy.file.read_text(encoding="utf-8"))
    index_copies = []
    for c in sorted(copies, key=lambda c: ranks[(c.repo, c.commit)]):
        if c.name == INDEX:
            cards = parse_index(c.file.read_text(encoding="utf-8"))
            index_copies.append({**c.cite(), "cards": len(cards)})
    models: dict[str, dict[str, Any]] = {}
    missing = []
    for entry in listed:
        copy = pages.get(entry["card"] + ".md")
        if copy is None:
            missing.append(entry["card"])
            continue
        text = copy.file.read_text(encoding="utf-8")
        rec = model_record(parse_card(text, str(copy.file)), copy, entry)
        rec["pages"]["index"] = index_copy.cite()
        rec["in_index"] = True
        if rec["id"] in models:
            raise ExtractError(f"{copy.file}: model ID {rec['id']} is on two cards")
        models[rec["id"]] = rec
    if missing:
        raise ExtractError(f"{INDEX} lists cards no snapshot holds: {', '.join(missing)}")
    out: dict[str, Any] = {
        "note": "Extracted by tools/extract_model_cards.py from the snapshots in snapshots.json "
        "(do not edit by hand: `make catalog-extract`). Each model names the pages its facts come "
        "from (pages: repository, path, commit); 'from' inside a fact names one of them.",
        "read_on": snapshots["read_on"],
        "index": {**index_copy.cite(), "cards": len(listed)},
        "index_copies": index_copies,
    }
    if LEGACY in pages:
        legacy = pages[LEGACY]
        entries = parse_lifecycle(legacy.file.read_text(encoding="utf-8"))
        out["lifecycle_page"] = legacy.cite()
        for e in entries:
            rec = models.get(e["id"])
            if rec is None:
                rec = models[e["id"]] = {
                    "id": e["id"],
                    "name": e["name"] or e["id"],
                    "provider": None,
                    "pages": {},
                    "in_index": False,
                    "profiles": {},
                    "endpoints": {},
                }
            rec["pages"]["lifecycle"] = legacy.cite()
            rec["lifecycle_page"] = e["groups"]
            if e.get("note"):
                rec.setdefault("notes", []).append(f"model-lifecycle-legacy.md: {e['note']}")
    if PRODUCT_IDS in pages:
        pids = pages[PRODUCT_IDS]
        out["product_ids_page"] = {
            **pids.cite(),
            **parse_product_ids(pids.file.read_text(encoding="utf-8")),
        }
    out["newest_page_date"] = max(
        (r.get("lifecycle", {}).get("launch_date", "") for r in models.values()), default=""
    )
    out["models"] = [models[k] for k in sorted(models)]
    return out


def dumps(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "stores", nargs="*", type=Path, help="page stores (OWNER+NAME/COMMIT/docs/...)"
    )
    parser.add_argument(
        "--checkout", action="append", default=[], help="OWNER/NAME@COMMIT=DIR (a git work tree)"
    )
    parser.add_argument("--snapshots", type=Path, default=Path("catalog-src/snapshots.json"))
    parser.add_argument("-o", "--output", type=Path, required=True, help="a file, or - for stdout")
    args = parser.parse_args(argv)
    if not args.stores and not args.checkout:
        parser.error("name at least one page store or --checkout")
    try:
        ranks, snapshots = load_snapshots(args.snapshots)
        data = extract(discover(args.stores, args.checkout), ranks, snapshots)
    except ExtractError as exc:
        print(f"extract_model_cards: {exc}", file=sys.stderr)
        return 1
    text = dumps(data)
    if str(args.output) == "-":
        sys.stdout.write(text)
        return 0
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    print(f"wrote {args.output}: {len(data['models'])} models")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
