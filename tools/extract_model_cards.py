#!/usr/bin/env python3
"""Extract Bedrock cross-Region inference facts from saved AWS documentation pages.

Usage:
    python extract.py pages/ -o models.json [--as-of YYYY-MM-DD]
        [--compare catalog.json --diff diff.json]

Input: a directory of Markdown pages (or files), as stored in crowecawcaw/aws-docs-history
(docs/bedrock/latest/userguide/...). Two page kinds carry facts:

* model cards (model-card-*.md): Model Details (lifecycle, EOL, Marketplace product ID),
  the Programmatic Access table (model ID, In-Region URL per endpoint, Geo/Global profile IDs),
  the Regional availability table(s) (In-Region / Geo / Global per Region; one table, or one per
  endpoint), per-geography "Source Region | Destination Regions" tables and the Global table;
* inference-profiles-support.md (older copies): one "To call the ... inference profile" block per
  profile with a "Source Regions | Destination Regions" table.

Other pages (indexes, lifecycle policy) are read for nothing and skipped.

Each page's first line may be an HTML comment naming its origin:
    <!-- source: repo=... path=... commit=... id=... version=... rank=N | free notes -->
rank orders versions of the same fact (higher = newer); default 50 for cards, 10 for
inference-profiles-support.md. Pages whose header lacks rank and that describe the same model are
ordered by rank, then by file name.

Cell formats accepted for availability tables: the icon alt texts ("Green circle with white
checkmark icon." / "Red circle with white X icon ..."), image links (![supported](...icon-yes.png)),
the words supported / not-supported / Yes / No, and the abbreviations ✅ / ❌.

Merging rules (several pages for one model), per the research brief:
* the newest page wins for scalar facts (status, product ID, in-Region list, which profiles exist,
  which sources a profile has); older pages that say otherwise are recorded as disagreements;
* for a source Region present in both versions, the destination lists are UNIONED (a missing
  destination makes calls fail, an extra one only grants this model there), and the difference is
  recorded;
* anything that cannot be parsed is reported in the record's notes, never guessed silently
  (heuristic fallbacks are labelled as such).

Standard library only; Python 3.10+.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import sys

REGION_RE = re.compile(
    r"\b((?:us-gov|us|ca|eu|ap|sa|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d)\b"
)
PROFILE_ID_RE = re.compile(r"\b([a-z]{2,6}(?:-[a-z]{3})?)\.([a-z0-9-]+\.[A-Za-z0-9.:_-]+)")
PROD_RE = re.compile(
    r"^(prod(?:view)?-[a-z0-9]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
KNOWN_PREFIXES = {"us", "eu", "apac", "jp", "au", "ca", "us-gov", "global", "uk"}
PROVIDER_NAMES = {
    "anthropic": "anthropic",
    "amazon": "amazon",
    "meta": "meta",
    "mistral": "mistral",
    "cohere": "cohere",
    "deepseek": "deepseek",
    "writer": "writer",
    "twelvelabs": "twelvelabs",
    "stability": "stability",
    "openai": "openai",
    "qwen": "qwen",
    "ai21": "ai21",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


# --------------------------------------------------------------------------- helpers


def regions_in(text: str) -> list[str]:
    """Region codes in text, in order, de-duplicated."""
    seen, out = set(), []
    for r in REGION_RE.findall(text or ""):
        if r not in seen:
            seen.add(r)
            out.append(r)
    return out


def cell_flag(cell: str) -> bool | None:
    """True/False for a yes/no availability cell, None when it is neither (empty, text)."""
    c = cell.strip()
    low = c.lower()
    if not c:
        return None
    if "✅" in c or "checkmark" in low or "icon-yes" in low or "![supported]" in low:
        return True
    if (
        "❌" in c
        or "x icon" in low
        or "icon-no" in low
        or "not-supported" in low
        or "![not-supported]" in low
    ):
        return False
    word = re.sub(r"[^a-z-]", "", low)
    if word in ("supported", "yes", "y"):
        return True
    if word in ("notsupported", "not-supported", "no", "n"):
        return False
    return None


def split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def is_sep(line: str) -> bool:
    return bool(re.match(r"^\s*\|?\s*:?-{3,}", line)) and set(
        line.replace("|", "").replace(":", "").strip()
    ) <= {"-", " "}


def tables(lines: list[str], start: int = 0):
    """Yield (first_line_index, header_cells, rows) for each pipe table from `start`."""
    i, n = start, len(lines)
    while i < n:
        line = lines[i]
        # a table may start mid-line after text (models-region-compatibility style): "...)| a | b |"
        if "|" in line and i + 1 < n and is_sep(lines[i + 1]):
            head = line[line.index("|") :] if not line.strip().startswith("|") else line
            header = [re.sub(r"\*", "", h).strip() for h in split_row(head)]
            rows, j = [], i + 2
            while j < n and lines[j].strip().startswith("|"):
                rows.append(split_row(lines[j]))
                j += 1
            yield i, header, rows
            i = j
        else:
            i += 1


def parse_date(text: str) -> _dt.date | None:
    t = text.strip()
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.search(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})", t)
    if m and m[1][:3].lower() in MONTHS:
        return _dt.date(int(m[3]), MONTHS[m[1][:3].lower()], int(m[2]))
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
    if m:
        return _dt.date(int(m[3]), int(m[1]), int(m[2]))
    return None


def parse_header(first_line: str) -> dict:
    meta = {}
    m = re.match(r"\s*<!--\s*source:(.*?)-->", first_line)
    if not m:
        return meta
    body = m.group(1)
    head, _, notes = body.partition("|")
    for key in ("repo", "path", "commit", "id", "rank"):
        mm = re.search(rf"\b{key}=(\S+)", head)
        if mm:
            meta[key] = mm.group(1)
    mm = re.search(r"\bversion=(.*)$", head.strip())
    if mm:
        meta["version"] = mm.group(1).strip()
    meta["notes"] = notes.strip()
    return meta


def provider_of(model_id: str) -> str:
    return PROVIDER_NAMES.get(model_id.split(".", 1)[0], model_id.split(".", 1)[0])


def split_profile_id(pid: str) -> tuple[str, str] | None:
    pid = pid.strip().strip("`").strip()
    m = re.match(r"^([a-z]{2,6}(?:-gov)?)\.(.+)$", pid)
    if not m:
        return None
    prefix, base = m.group(1), m.group(2)
    if "." not in base:  # e.g. "anthropic.x" has a dot; a bare model id does not qualify
        return None
    if prefix in PROVIDER_NAMES:  # it is a base model ID, not a profile
        return None
    return prefix, base


# --------------------------------------------------------------------------- model cards


def _card_detail(text: str, label: str) -> str | None:
    """Value of one "**Label:** value" line of a card's Model Details section.

    The details are bold-label lines rather than a table, so each is found by its label.
    """
    m = re.search(rf"\*\*{re.escape(label)}:\*\*\s*(.+)", text)
    return m.group(1).strip() if m else None


def _read_model_details(text: str, rec: dict, problems: list[str]) -> None:
    """Fill lifecycle, dates and Marketplace product ID from the card's Model Details.

    A product ID that is neither a known ID shape nor an explicit "N/A" is reported rather
    than kept, so a garbled value never reaches the catalog comparison.
    """
    rec["lifecycle"] = _card_detail(text, "Model lifecycle")
    rec["eol"] = _card_detail(text, "Model EOL date")
    rec["launch"] = _card_detail(text, "Model launch date")
    rec["eol_no_sooner"] = _card_detail(text, "EOL no sooner than")
    pid = _card_detail(text, "Marketplace product ID")
    if pid is not None:
        v = pid.strip().strip("`").strip()
        rec["product"] = v if PROD_RE.match(v) else None
        if not PROD_RE.match(v) and v.upper() not in ("N/A", "NA", "NONE", "-"):
            problems.append(f"unrecognised Marketplace product ID value {v!r}")
    else:
        rec["product_line_absent"] = True


def _read_access_table(
    header: list[str], hnorm: list[str], rows: list[list[str]], rec: dict
) -> None:
    """Read the Programmatic Access table: per endpoint, model ID, In-Region URL and profile IDs.

    Columns are located by their header so that cards which omit the Geo or Global column
    still parse; short rows are padded rather than dropped.
    """
    col = {h: k for k, h in enumerate(hnorm)}
    for r in rows:
        if len(r) < len(header):
            r = r + [""] * (len(header) - len(r))
        ep = r[0].strip("` ")
        mid = r[col.get("model id", 1)].strip("` ")
        url_cell = r[col.get("in-region endpoint url", 2)]
        geo_cell = r[col.get("geo inference id", 3)] if "geo inference id" in col else ""
        glob_cell = r[col.get("global inference id", 4)] if "global inference id" in col else ""
        geo_ids = re.findall(r"[a-z]{2,6}(?:-gov)?\.[a-z0-9-]+\.[A-Za-z0-9.:_-]+", geo_cell)
        gid = re.findall(r"global\.[a-z0-9-]+\.[A-Za-z0-9.:_-]+", glob_cell)
        rec["endpoints"][ep] = {
            "model_id": mid,
            "in_region_url": None
            if re.search(r"\bN/?A\b|not supported", url_cell, re.I) or not url_cell.strip()
            else url_cell.strip("` "),
            "geo_ids": geo_ids,
            "global_id": gid[0] if gid else None,
        }


def _read_availability_table(
    hnorm: list[str], rows: list[list[str]], back: str, rec: dict, problems: list[str]
) -> None:
    """Read a Regional availability table into rec["availability"][endpoint][region].

    The endpoint comes from the nearest "Availability using the `X` endpoint" heading ("*" when
    the card has a single table). A table whose cells all read as unknown usually means the icons
    were lost when the page was saved, which is reported instead of read as "not available".
    """
    m = re.findall(r"Availability using the `?([a-z-]+)`? endpoint", back)
    ep = m[-1] if m else "*"
    ci, cg, cl = (
        hnorm.index("in-region"),
        hnorm.index("geo"),
        hnorm.index("global") if "global" in hnorm else None,
    )
    av = rec["availability"].setdefault(ep, {})
    for r in rows:
        regs = regions_in(r[0])
        if not regs:
            continue

        def get(k, r=r):
            return cell_flag(r[k]) if k is not None and k < len(r) else None

        av[regs[0]] = (get(ci), get(cg), get(cl))
    if all(v == (None, None, None) for v in av.values()):
        problems.append(
            f"availability table{'' if ep == '*' else ' for ' + ep} "
            "has no readable cells (icons lost?)"
        )


def _read_geo_table(
    idx: int, rows: list[list[str]], back: str, rec: dict, problems: list[str]
) -> None:
    """Read one Geo "Source Region | Destination Regions" table into rec["geo_tables"][prefix].

    The profile the table belongs to is only named in the heading above it ("Geo Inference ID"),
    so a table without that heading, or with an ID that does not split, is reported and skipped.
    """
    m_id = re.findall(r"Geo Inference ID:\s*`?([^`\s]+)`?", back)
    m_lab = re.findall(r"\*\*Geo:\s*([^*]+)\*\*", back)
    if not m_id:
        problems.append(
            f"Source/Destination table at line {idx + 1} without a 'Geo Inference ID' heading"
        )
        return
    sp = split_profile_id(m_id[-1])
    if not sp:
        problems.append(f"cannot split Geo Inference ID {m_id[-1]!r}")
        return
    prefix, _base = sp
    t = rec["geo_tables"].setdefault(
        prefix,
        {"id": m_id[-1], "label": (m_lab[-1].strip() if m_lab else None), "routes": {}},
    )
    for r in rows:
        src = regions_in(r[0])
        dst = regions_in(r[1]) if len(r) > 1 else []
        if len(src) != 1 or not dst:
            problems.append("unparsed routing row in {} table: {!r}".format(prefix, " | ".join(r)))
            continue
        t["routes"][src[0]] = dst


def _read_global_table(rows: list[list[str]], rec: dict) -> None:
    """Collect the source Regions of the Global table (every Region named after column one)."""
    srcs = []
    for r in rows:
        for c in r[1:]:
            srcs += regions_in(c)
    rec["global_sources"] = sorted(set(srcs))


def _read_card_table(
    lines: list[str],
    idx: int,
    header: list[str],
    rows: list[list[str]],
    rec: dict,
    problems: list[str],
) -> None:
    """Recognise one table of a card by its header and hand it to the matching reader.

    The few lines above the table are passed along because endpoint names and Geo profile IDs
    are given in headings, not in the tables themselves. Unrecognised tables are ignored.
    """
    back = "\n".join(lines[max(0, idx - 8) : idx])
    hnorm = [h.lower() for h in header]
    if hnorm and hnorm[0] == "endpoint" and any("model id" in h for h in hnorm):
        _read_access_table(header, hnorm, rows, rec)
    elif hnorm[:1] == ["region"] and "in-region" in hnorm and "geo" in hnorm:
        _read_availability_table(hnorm, rows, back, rec, problems)
    elif (
        len(hnorm) >= 2
        and hnorm[0].startswith("source region")
        and hnorm[1].startswith("destination region")
    ):
        _read_geo_table(idx, rows, back, rec, problems)
    elif hnorm and hnorm[0].startswith("global inference id"):
        _read_global_table(rows, rec)


def _card_model_id(rec: dict, text: str, problems: list[str]) -> str | None:
    """The card's model ID: bedrock-runtime's, else any endpoint's, else a labelled fallback.

    Without a Programmatic Access table the ID is taken from a Geo Inference ID or the sample
    code, and that fallback is reported so the reader knows the ID was not read from a table.
    """
    ep_rt = rec["endpoints"].get("bedrock-runtime")
    any_ep = next(iter(rec["endpoints"].values()), None)
    if ep_rt:
        return ep_rt["model_id"]
    if any_ep:
        return any_ep["model_id"]
    base = None
    for t in rec["geo_tables"].values():
        base = split_profile_id(t["id"])[1]
        break
    if not base:
        m = re.search(r"modelId[ =']+([a-z0-9-]+\.[A-Za-z0-9.:_-]+)", text)
        base = m.group(1) if m else None
    problems.append(
        "no Programmatic Access table; model ID taken from %s"
        % ("a Geo Inference ID" if rec["geo_tables"] else "the sample code")
    )
    return base


def parse_card(text: str, fname: str) -> tuple[dict | None, list[str]]:
    """Return (record, problems). record has keys: name, id, lifecycle, eol, product, launch,
    endpoints{ep: {model_id, in_region_url, geo_ids, global_id}},
    availability{ep|'*': {region: (I,G,L)}}, geo_tables{prefix: {id, routes}}, global_sources,
    residency."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    lines = text.splitlines()
    problems: list[str] = []
    if re.search(r"\(rows before \S+ not (?:seen|read)\)", text):
        problems.append(
            "the saved availability table is partial (earlier rows not read): "
            "in_region may be incomplete"
        )
    rec: dict = {
        "kind": "card",
        "endpoints": {},
        "availability": {},
        "geo_tables": {},
        "global_sources": None,
        "residency": [],
        "geo_labels_unmatched": [],
    }
    for line in lines:
        if line.startswith("# "):
            rec["name"] = line[2:].strip()
            break
    _read_model_details(text, rec, problems)
    for idx, header, rows in tables(lines):
        _read_card_table(lines, idx, header, rows, rec, problems)
    # data-residency bullets (cards without routing tables)
    for m in re.finditer(r"\*\*([A-Za-z]+) geo\*\* \(`([^`]+)`\):\s*(.+)", text):
        rec["residency"].append({"label": m.group(1), "id": m.group(2), "text": m.group(3).strip()})
    rec["id"] = _card_model_id(rec, text, problems)
    if not rec.get("id"):
        return None, [*problems, "no model ID found"]
    return rec, problems


# ------------------------------------------------------------------ inference-profiles-support

IPS_BLOCK_RE = re.compile(
    r"To call the (.+?) inference profile, specify the following inference profile ID", re.S
)


def parse_ips(text: str) -> tuple[dict[str, dict], list[str]]:
    """Return {model_id: {"name":..., "profiles": {prefix: {...}}}} from an
    inference-profiles-support page."""
    lines = text.splitlines()
    out: dict[str, dict] = {}
    problems: list[str] = []
    starts = [i for i, line in enumerate(lines) if IPS_BLOCK_RE.search(line)]
    for n, s in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[s:end]
        title = IPS_BLOCK_RE.search(lines[s]).group(1)
        pid = None
        for k, line in enumerate(block):
            if line.strip() == "```" and k + 1 < len(block):
                pid = block[k + 1].strip()
                break
        if not pid:
            problems.append(f"no profile ID in block {title!r}")
            continue
        sp = split_profile_id(pid)
        if not sp:
            problems.append(f"cannot split profile ID {pid!r}")
            continue
        prefix, base = sp
        routes, gsrc = {}, []
        for _, _header, rows in tables(block):
            for r in rows:
                src = regions_in(r[0])
                cell = r[1] if len(r) > 1 else ""
                if len(src) != 1:
                    problems.append(f"unparsed row {r!r} in {pid}")
                    continue
                if "commercial aws regions" in cell.lower():
                    gsrc.append(src[0])
                else:
                    dst = regions_in(cell)
                    if not dst:
                        problems.append(f"empty destination in {pid} row {r!r}")
                        continue
                    routes[src[0]] = dst
        m = out.setdefault(base, {"names": [], "profiles": {}})
        geo_word = title.split()[0]
        m["names"].append(
            re.sub(
                rf"^(?:{re.escape(geo_word)})\s+(?:{re.escape(geo_word)}\s+)?", "", title
            ).strip()
        )
        if prefix == "global" or gsrc:
            m["profiles"][prefix] = {"id": pid, "sources": sorted(set(gsrc + list(routes)))}
        else:
            m["profiles"][prefix] = {"id": pid, "routes": routes}
    return out, problems


# ------------------------------------------------------------------- model-lifecycle-legacy.md


def parse_lifecycle(text: str, as_of: _dt.date) -> tuple[list[dict], list[str]]:
    """Entries of the Legacy/EOL list: {id, name, status, eol_date, legacy_date}."""
    out, problems = [], []
    for block in re.split(r"\n(?=- \*\*)", text):
        mid = re.search(r"\*\*Model ID:\*\*\s*(\S+)", block)
        name = re.search(r"\*\*Model name:\*\*\s*(.+)", block)
        eols = [parse_date(x) for x in re.findall(r"\*\*EOL date:\*\*\s*([^/\n]+)", block)]
        if not mid:
            continue
        model_id = mid.group(1).rstrip(",")
        if not re.match(r"^[a-z0-9-]+\.[A-Za-z0-9.:_-]+$", model_id):
            name_txt = name.group(1).strip() if name else None
            problems.append(
                f"garbled lifecycle entry (Model ID {model_id!r}, name {name_txt!r}): skipped"
            )
            continue
        eols = [d for d in eols if d]
        if not eols:
            problems.append(f"lifecycle entry {model_id} without a readable EOL date")
            continue
        eol = max(eols)
        out.append(
            {
                "id": model_id,
                "name": name.group(1).strip().replace("\\", "") if name else None,
                "status": "eol" if eol < as_of else "legacy",
                "eol_date": eol.isoformat(),
                "_note": "listed on model-lifecycle-legacy.md with EOL date {}{}".format(
                    eol, f" (passed as of {as_of})" if eol < as_of else ""
                ),
            }
        )
    return out, problems


# ----------------------------------------------------------------- model-access-product-ids.md

PROVIDER_WORDS = {
    "anthropic",
    "amazon",
    "meta",
    "mistral",
    "ai",
    "cohere",
    "ai21",
    "labs",
    "stability",
    "twelvelabs",
    "writer",
    "deepseek",
    "openai",
    "qwen",
}


def norm_name(name: str) -> str:
    words = re.sub(r"[^a-z0-9.]+", " ", (name or "").lower()).split()
    return " ".join(w for w in words if w not in PROVIDER_WORDS)


def parse_pid(text: str) -> list[tuple[str, str]]:
    rows = []
    for _, header, trs in tables(text.splitlines()):
        if [h.lower() for h in header[:2]] == ["model", "product id"]:
            for r in trs:
                if len(r) >= 2 and PROD_RE.match(r[1].strip("` ")):
                    rows.append((r[0].replace("\\", ""), r[1].strip("` ")))
    return rows


# --------------------------------------------------------------------------- page -> per-model view


def _lifecycle_status(lc: str, notes: list[str]) -> str | None:
    """Map the card's "Model lifecycle" text to active / legacy / eol (None when absent).

    Legacy "in certain regions" is still legacy but is noted, because it means the model is
    active elsewhere; text that matches no known word is noted rather than guessed.
    """
    status = None
    if lc.lower().startswith("active"):
        status = "active"
    elif lc.lower().startswith("legacy"):
        status = "legacy"
        if "certain regions" in lc.lower():
            notes.append(f"lifecycle on the card: {lc!r}")
    elif lc.lower().startswith(("eol", "end")):
        status = "eol"
    elif lc:
        notes.append(f"unrecognised lifecycle {lc!r}")
    return status


def _apply_eol_date(
    rec: dict, lc: str, status: str | None, as_of: _dt.date, v: dict, notes: list[str]
) -> str | None:
    """Record the card's EOL date in the view and return the status that date implies.

    A passed EOL date turns the status into eol, except for a model that is legacy only in
    certain Regions (it still runs elsewhere); "no sooner than" / N/A dates are not dates.
    """
    eol_txt = rec.get("eol") or ""
    eol = None if re.search(r"no sooner|N/A", eol_txt, re.I) else parse_date(eol_txt)
    if eol:
        v["eol_date"] = eol.isoformat()
        if eol < as_of and status == "legacy" and "certain regions" in lc.lower():
            notes.append(
                f"AWS EOL date {eol} is before {as_of}, but the card says {lc!r}: "
                "status kept legacy"
            )
        elif eol < as_of and status != "eol":
            notes.append(
                "AWS EOL date {} is before {}: status set to eol (card says {!r})".format(
                    eol, as_of, lc or "?"
                )
            )
            status = "eol"
    return status


def _in_region_from_single_table(eps: dict, av: dict, notes: list[str]) -> list[str]:
    """In-Region Regions from a card's single (not per-endpoint) availability table.

    The one In-Region column may describe another endpoint: when the card has no
    bedrock-runtime endpoint, or its bedrock-runtime In-Region URL is N/A, the marks do not
    apply to bedrock-runtime and in_region is empty (with a note naming the marked Regions).
    """
    rt = eps.get("bedrock-runtime")
    marked = sorted(r for r, f in av["*"].items() if f[0])
    if eps and not rt:
        if marked:
            notes.append(
                f"card has no bedrock-runtime endpoint; In-Region marks ({', '.join(marked)}) "
                f"belong to {', '.join(eps)}"
            )
        return []
    if rt and rt["in_region_url"] is None:
        if marked:
            others = [e for e in eps if e != "bedrock-runtime" and eps[e]["in_region_url"]]
            applies = (" (they apply to " + ", ".join(others) + ")") if others else ""
            notes.append(
                f"In-Region marked for {', '.join(marked)}, but the bedrock-runtime In-Region "
                f"endpoint URL is N/A{applies}: left out of in_region"
            )
        return []
    if not eps:
        notes.append(
            "Programmatic Access table not on the saved page: "
            "In-Region column taken as bedrock-runtime"
        )
    return marked


def _card_in_region(eps: dict, av: dict, notes: list[str]) -> list[str] | None:
    """In-Region Regions for bedrock-runtime, or None when the card has no readable table.

    With per-endpoint tables only the bedrock-runtime one counts; In-Region marks on other
    endpoints are noted, since they do not make the model callable in-Region via bedrock-runtime.
    """
    if "bedrock-runtime" in av:
        in_region = sorted(r for r, f in av["bedrock-runtime"].items() if f[0])
        for ep, tab in av.items():
            if ep not in ("bedrock-runtime", "*"):
                extra = sorted(r for r, f in tab.items() if f[0])
                if extra:
                    notes.append(
                        "In-Region on {} (not bedrock-runtime): {}".format(ep, ", ".join(extra))
                    )
        return in_region
    if "*" in av:
        return _in_region_from_single_table(eps, av, notes)
    notes.append("no readable Regional availability table: in_region unknown")
    return None


def _listed_prefixes(eps: dict) -> set[str]:
    """Profile prefixes whose IDs the Programmatic Access table lists (Geo IDs and global).

    These are the profiles the card says exist, whether or not it also prints their routes.
    """
    listed = set()
    for e in eps.values():
        for g in e["geo_ids"]:
            sp = split_profile_id(g)
            if sp:
                listed.add(sp[0])
        if e.get("global_id"):
            listed.add("global")
    return listed


def _profiles_from_geo_tables(rec: dict, notes: list[str]) -> tuple[dict, set[str]]:
    """Build profiles from the card's routing tables; return them and the sources they cover.

    GovCloud sources printed inside another geography's table are filed under us-gov, because
    GovCloud profile IDs carry the us-gov. prefix and are called with that ID.
    """
    profiles: dict = {}
    covered = set()
    for prefix, t in rec["geo_tables"].items():
        for src, dst in t["routes"].items():
            key = prefix
            if src.startswith("us-gov-") and prefix != "us-gov":
                key = "us-gov"
                notes.append(
                    f"GovCloud source {src} appears in the {prefix} table ({t['id']}); "
                    "filed under the us-gov profile (GovCloud profile IDs use the us-gov. prefix)"
                )
            profiles.setdefault(key, {"routes": {}})["routes"][src] = dst
            covered.add(src)
    return profiles, covered


def _add_untabled_listed_profiles(
    rec: dict, listed: set[str], geo_regions: list[str], profiles: dict, notes: list[str]
) -> None:
    """Add listed Geo profiles that have no routing table, sources guessed from the Geo column.

    The profile exists (its ID is listed) but its routes are unpublished; the Geo-marked Regions
    are matched to it by Region name, which is a heuristic and is labelled as one.
    """
    for prefix in sorted(listed - set(profiles) - {"global"}):
        cand = [r for r in geo_regions if guess_prefix(r) == prefix]
        profiles[prefix] = {
            "routes": {},
            "routes_published": False,
            "sources_from_availability": cand,
        }
        notes.append(
            f"{prefix}.{rec['id']} is listed but the card has no Source/Destination table for it; "
            f"sources_from_availability ({', '.join(cand) or 'none'}) come from the Geo column, "
            "matched to the prefix by Region name (heuristic)"
        )


def _note_uncovered_geo_regions(
    geo_regions: list[str], covered: set[str], profiles: dict, notes: list[str]
) -> None:
    """Account for Geo-marked Regions that no profile covers.

    GovCloud ones get an unlisted us-gov profile (the Geo mark says a GovCloud profile exists);
    the rest are only noted, since there is no profile to file them under.
    """
    uncovered = [
        r
        for r in geo_regions
        if r not in covered
        and not any(r in p.get("sources_from_availability", []) for p in profiles.values())
    ]
    if not uncovered:
        return
    gov = [r for r in uncovered if r.startswith("us-gov-")]
    rest = [r for r in uncovered if not r.startswith("us-gov-")]
    if gov and "us-gov" not in profiles:
        profiles["us-gov"] = {
            "routes": {},
            "routes_published": False,
            "id_listed": False,
            "sources_from_availability": gov,
        }
        notes.append(
            f"Geo is marked for {', '.join(gov)} but the card lists no us-gov profile ID "
            "and no GovCloud routing table"
        )
    if rest:
        notes.append(
            "Geo is marked for {} but no routing table or profile covers them".format(
                ", ".join(rest)
            )
        )


def _add_global_profile(
    rec: dict, listed: set[str], glob_regions: list[str], profiles: dict, notes: list[str]
) -> None:
    """Add the global profile from the Global table, else from the Global column (labelled).

    A Global column marked without a listed global ID is noted rather than turned into a profile.
    """
    if "global" in listed or rec.get("global_sources"):
        if rec.get("global_sources"):
            profiles["global"] = {"sources": rec["global_sources"]}
        else:
            profiles["global"] = {
                "sources": sorted(r for r in glob_regions if not r.startswith("us-gov-")),
                "sources_from_availability": True,
            }
            notes.append(
                "global sources taken from the Global column (no Global table on the card)"
            )
    elif glob_regions:
        notes.append(
            "Global column marked for {} but no global profile ID listed".format(
                ", ".join(glob_regions)
            )
        )


def _card_consistency_notes(rec: dict, listed: set[str], eps: dict, notes: list[str]) -> None:
    """Note what a reviewer should look at: new prefixes, unlisted tables, data residency."""
    for pre in listed:
        if pre not in KNOWN_PREFIXES:
            notes.append(f"NEW geography prefix {pre!r}")
    for prefix in rec["geo_tables"]:
        if prefix not in listed and eps:
            notes.append(
                f"routing table for {prefix}.* but that ID is not in the Programmatic Access table"
            )
    if rec.get("residency"):
        notes.append(
            "data residency on the card: "
            + "; ".join(
                "{} geo ({}): {}".format(r["label"], r["id"], r["text"]) for r in rec["residency"]
            )
        )


def card_view(rec: dict, meta: dict, as_of: _dt.date) -> dict:
    """Normalise a parsed card into the per-page model view used for merging."""
    notes: list[str] = []
    v: dict = {"id": rec["id"], "name": rec.get("name"), "provider": provider_of(rec["id"])}
    # status
    lc = (rec.get("lifecycle") or "").strip()
    status = _lifecycle_status(lc, notes)
    status = _apply_eol_date(rec, lc, status, as_of, v, notes)
    v["status"] = status
    if rec.get("launch"):
        d = parse_date(rec["launch"])
        v["launch_date"] = d.isoformat() if d else rec["launch"]
    # product id
    if "product" in rec:
        v["marketplace_product_id"] = rec["product"]
    # endpoints / in-region
    eps = rec["endpoints"]
    av = rec["availability"]
    rt = eps.get("bedrock-runtime")
    in_region = _card_in_region(eps, av, notes)
    v["in_region"] = in_region
    if rt and rt["in_region_url"] and in_region == []:
        notes.append(
            "bedrock-runtime lists an In-Region endpoint URL but no Region is marked In-Region"
        )
    # geo / global availability columns (runtime table, else the single table)
    tab = av.get("bedrock-runtime") or av.get("*") or {}
    geo_regions = sorted(r for r, f in tab.items() if f[1])
    glob_regions = sorted(r for r, f in tab.items() if f[2])
    # profiles
    listed = _listed_prefixes(eps)
    profiles, covered = _profiles_from_geo_tables(rec, notes)
    _add_untabled_listed_profiles(rec, listed, geo_regions, profiles, notes)
    _note_uncovered_geo_regions(geo_regions, covered, profiles, notes)
    _add_global_profile(rec, listed, glob_regions, profiles, notes)
    _card_consistency_notes(rec, listed, eps, notes)
    v["profiles"] = profiles
    v["notes"] = notes
    v["listed_prefixes"] = sorted(listed)
    return v


def guess_prefix(region: str) -> str:
    if region.startswith("us-gov-"):
        return "us-gov"
    if region.startswith(("us-", "ca-", "mx-")):
        return "us"
    if region.startswith(("eu-", "il-")):
        return "eu"
    if region in ("ap-northeast-1", "ap-northeast-3"):
        return "jp"
    if region in ("ap-southeast-2", "ap-southeast-4", "ap-southeast-6"):
        return "au"
    return "apac"


# --------------------------------------------------------------------------- merging


def src_label(meta: dict) -> str:
    parts = [meta.get("path", meta.get("file", "?")).split("/")[-1]]
    if meta.get("commit"):
        parts.append("@" + meta["commit"][:8])
    if meta.get("id"):
        parts.append("id " + meta["id"])
    return " ".join(parts)


def _source_entry(v: dict, m: dict) -> dict:
    """The output "sources" entry for one page that contributed to a model.

    rank is kept here for ordering and dropped by main() before the record is written.
    """
    return {
        "repo": m.get("repo"),
        "path": m.get("path"),
        "version": m.get("commit") or m.get("id"),
        "store_id": m.get("id"),
        "date": None,
        "rank": int(m.get("rank", 50)),
        "facts": v.get("_facts", ""),
        "saved_as": m.get("file"),
    }


def _merge_scalars(views: list[tuple[dict, dict]], out: dict) -> None:
    """Take each scalar fact from the newest page that states it; record older disagreements.

    A product ID stated as absent (None) still counts as stated, so a card that says "N/A"
    overrides an older ID. Names differ harmlessly between page kinds and are never compared.
    """
    eols = [(v.get("eol_date"), m) for v, m in views if v.get("eol_date")]
    if eols:
        out["eol_date"] = eols[0][0]
    for key in ("name", "status", "in_region", "marketplace_product_id"):
        holders = [
            (v, m)
            for v, m in views
            if v.get(key) is not None or (key == "marketplace_product_id" and key in v)
        ]
        if key == "name":
            holders = [(v, m) for v, m in views if v.get("name")]
        if not holders:
            continue
        v0, m0 = holders[0]
        out[key] = v0.get(key)
        for v1, m1 in holders[1:]:
            a, b = v0.get(key), v1.get(key)
            if key == "name" or a == b:
                continue
            out["disagreements"].append(
                {
                    "fact": key,
                    "a": {"source": src_label(m0), "says": a},
                    "b": {"source": src_label(m1), "says": b},
                    "choice": a,
                    "why": "newer page wins",
                }
            )


def _merge_notes(views: list[tuple[dict, dict]], out: dict) -> None:
    """Append the pages' notes, newest page first, each note once.

    With several pages each note is tagged with the page it came from, so a reviewer can tell
    which version of the page said it; an older page repeating a note adds nothing.
    """
    seen_notes = set()
    for v, m in views:
        for n in v.get("notes", []):
            if n in seen_notes:
                continue
            seen_notes.add(n)
            tag = f"[{src_label(m)}] " if len(views) > 1 else ""
            out["notes"].append(tag + n)


def _merge_unknown_profile(
    key: str, prof: dict, m: dict, tmeta: dict, tview: dict, merged: dict, out: dict
) -> None:
    """Handle a profile an older page has but the newest profile-bearing page does not.

    A newer card lists all of a model's profiles, so the older one is omitted (as a
    disagreement); a newer page of another kind does not, so the older profile is kept.
    """
    if tview.get("_kind") == "card":
        out["disagreements"].append(
            {
                "fact": f"{key} profile exists",
                "a": {
                    "source": src_label(tmeta),
                    "says": "not listed (Geo IDs on card: "
                    f"{', '.join(tview.get('listed_prefixes', [])) or 'none'})",
                },
                "b": {
                    "source": src_label(m),
                    "says": "{}.{} with {}".format(key, out["id"], describe(prof)),
                },
                "choice": "omitted",
                "why": "the newer card lists the model's profiles and this one is not among them",
            }
        )
    else:
        merged[key] = json.loads(json.dumps(prof))
        out["notes"].append(f"{key} profile only from {src_label(m)}")


def _merge_route_source(
    key: str, src: str, dst: list[str], cur: dict, m: dict, tmeta: dict, out: dict
) -> None:
    """Merge one older source -> destinations row into the newer profile's routes.

    The newer page decides which sources exist (unless its routes were themselves taken from
    an older page); for a shared source the destination lists are unioned, because a missing
    destination makes calls fail while an extra one only grants this model there.
    """
    if src not in cur["routes"]:
        if cur.get("routes_from_older_page"):
            cur["routes"][src] = dst
            return
        out["disagreements"].append(
            {
                "fact": f"{key} source {src}",
                "a": {"source": src_label(tmeta), "says": "not a source"},
                "b": {
                    "source": src_label(m),
                    "says": "source, routes to " + ", ".join(dst),
                },
                "choice": "not a source",
                "why": "newer page wins for the list of sources",
            }
        )
        return
    a = cur["routes"][src]
    if set(a) != set(dst):
        union = sorted(set(a) | set(dst))
        out["disagreements"].append(
            {
                "fact": f"{key} destinations from {src}",
                "a": {"source": src_label(tmeta), "says": ", ".join(a)},
                "b": {"source": src_label(m), "says": ", ".join(dst)},
                "choice": ", ".join(union),
                "why": "union of both versions: a missing destination makes "
                "calls fail, an extra one only grants this model there",
            }
        )
        cur["routes"][src] = union


def _merge_routes(key: str, prof: dict, cur: dict, m: dict, tmeta: dict, out: dict) -> None:
    """Merge an older page's routing table for one Geo profile into the newer one.

    When the newer page has no routing table at all, the older table is used as a whole and
    the substitution is noted, rather than leaving the profile without routes.
    """
    if not cur["routes"] and prof["routes"]:
        cur["routes"] = json.loads(json.dumps(prof["routes"]))
        cur["routes_from_older_page"] = src_label(m)
        out["notes"].append(
            f"{key} routes: the newest page has no routing table; routes taken from {src_label(m)}"
        )
        return
    for src, dst in prof["routes"].items():
        _merge_route_source(key, src, dst, cur, m, tmeta, out)


def _compare_global_sources(
    key: str, prof: dict, cur: dict, m: dict, tmeta: dict, out: dict
) -> None:
    """Record a disagreement when an older page lists other global sources; the newer list wins.

    Global destinations are all commercial Regions either way, so only the sources can differ.
    """
    a, b = set(cur["sources"]), set(prof["sources"])
    if a != b:
        out["disagreements"].append(
            {
                "fact": f"{key} sources",
                "a": {
                    "source": src_label(tmeta),
                    "says": f"{len(a)} Regions; not {', '.join(sorted(b - a)) or '-'}",
                },
                "b": {
                    "source": src_label(m),
                    "says": f"{len(b)} Regions; not {', '.join(sorted(a - b)) or '-'}",
                },
                "choice": f"newer list ({len(a)})",
                "why": "newer page wins; global destinations are all commercial Regions either way",
            }
        )


def _merge_profiles(views: list[tuple[dict, dict]], out: dict) -> None:
    """Merge the profiles of all pages into out["profiles"], starting from the newest page's.

    Older pages add to or disagree with the newest profile-bearing page, one profile at a time;
    routes are sorted at the end so the output does not depend on page order.
    """
    prof_sets = [(v["profiles"], m, v) for v, m in views if "profiles" in v]
    if not prof_sets:
        out["profiles"] = {}
        return
    top, tmeta, tview = prof_sets[0]
    merged = json.loads(json.dumps(top))
    for p, m, _ in prof_sets[1:]:
        for key, prof in p.items():
            if key not in merged:
                _merge_unknown_profile(key, prof, m, tmeta, tview, merged, out)
                continue
            cur = merged[key]
            if "routes" in prof and "routes" in cur:
                _merge_routes(key, prof, cur, m, tmeta, out)
            elif "sources" in prof and "sources" in cur:
                _compare_global_sources(key, prof, cur, m, tmeta, out)
    # tidy
    for _, prof in merged.items():
        if "routes" in prof:
            prof["routes"] = {s: sorted(d) for s, d in sorted(prof["routes"].items())}
    out["profiles"] = dict(sorted(merged.items()))


def merge(views: list[tuple[dict, dict]]) -> dict:
    """views: [(view, meta)] for one model, any order. Returns the output record."""
    views = sorted(
        views, key=lambda vm: (int(vm[1].get("rank", 50)), vm[1].get("file", "")), reverse=True
    )
    newest, _nmeta = views[0]
    out = {
        "id": newest["id"],
        "name": None,
        "provider": newest["provider"],
        "status": None,
        "in_region": None,
        "marketplace_product_id": None,
        "profiles": {},
        "sources": [],
        "notes": [],
        "disagreements": [],
    }
    for v, m in views:
        out["sources"].append(_source_entry(v, m))
    # scalars: newest page that states them
    _merge_scalars(views, out)
    if out["in_region"] is None:
        out["notes"].append(
            "in_region: no model card read for this model, "
            "so In-Region availability is unverified (null)"
        )
    _merge_notes(views, out)
    _merge_profiles(views, out)
    return out


def describe(prof: dict) -> str:
    if "routes" in prof:
        pairs = "; ".join(
            "{} -> {}".format(s, ", ".join(d)) for s, d in sorted(prof["routes"].items())
        )
        return f"{len(prof['routes'])} source(s): {pairs}"
    return f"{len(prof.get('sources', []))} source(s)"


# --------------------------------------------------------------------------- catalog comparison


def catalog_routes(cat: dict) -> dict:
    """Per model: profiles as {key: {"routes": {src: [dst]}}} or {key: {"sources": [...]}}.
    Format 1 (profile dicts with optional sources/destinations, default from the geography; a call
    from a source is granted destinations + [source]) and format 2 (profile -> named route table of
    {from, to} rows, exact) are both understood."""
    geos = cat.get("geographies", {})
    tables_ = cat.get("route_tables", {})
    res = {}
    for m in cat.get("models", []):
        profs = {}
        for key, p in (m.get("profiles") or {}).items():
            g = geos.get(key, {})
            if isinstance(p, str):  # format 2
                rows = tables_.get(p, [])
                if g.get("global") or key == "global":
                    profs[key] = {
                        "sources": sorted({s for r in rows for s in r.get("from", [])}),
                        "table": p,
                    }
                else:
                    profs[key] = {
                        "routes": {
                            s: sorted(r.get("to", [])) for r in rows for s in r.get("from", [])
                        },
                        "table": p,
                    }
                continue
            if g.get("global") or key == "global":
                profs[key] = {"sources": sorted(p.get("sources", g.get("sources", [])))}
                continue
            srcs = p.get("sources", g.get("sources", []))
            dsts = p.get("destinations", g.get("destinations", []))
            profs[key] = {"routes": {s: sorted(set(dsts) | {s}) for s in srcs}}
        res[m["id"]] = {
            "profiles": profs,
            "in_region": m.get("in_region"),
            "in_region_regions": m.get("in_region_regions"),
            "product": m.get("marketplace_product_id"),
            "status": m.get("status"),
            "name": m.get("name"),
        }
    return res


def compare(models: list[dict], cat: dict) -> dict:
    cr = catalog_routes(cat)
    diff = {}
    for m in models:
        c = cr.get(m["id"])
        d = {"in_catalog": c is not None}
        if c is None:
            diff[m["id"]] = d
            continue
        ours, theirs = m["profiles"], c["profiles"]
        d["profiles_added"] = sorted(set(ours) - set(theirs))
        d["profiles_removed"] = sorted(set(theirs) - set(ours))
        changes = {}
        for key in sorted(set(ours) & set(theirs)):
            a, b = ours[key], theirs[key]
            ch = {}
            if "routes" in a and "routes" in b:
                if not a["routes"]:
                    ch["unverified"] = "no routing table on AWS pages read"
                else:
                    ch["sources_added"] = sorted(set(a["routes"]) - set(b["routes"]))
                    ch["sources_removed"] = sorted(set(b["routes"]) - set(a["routes"]))
                    per = {}
                    for s in sorted(set(a["routes"]) & set(b["routes"])):
                        add = sorted(set(a["routes"][s]) - set(b["routes"][s]))
                        rem = sorted(set(b["routes"][s]) - set(a["routes"][s]))
                        if add or rem:
                            per[s] = {"catalog_lacks": add, "catalog_extra": rem}
                    if per:
                        ch["destinations"] = per
            elif "sources" in a and "sources" in b:
                ch["sources_added"] = sorted(set(a["sources"]) - set(b["sources"]))
                ch["sources_removed"] = sorted(set(b["sources"]) - set(a["sources"]))
            ch = {k: v for k, v in ch.items() if v}
            if ch:
                changes[key] = ch
        d["profile_changes"] = changes
        if (m.get("marketplace_product_id") or None) != (c.get("product") or None):
            d["product_id"] = {"catalog": c.get("product"), "aws": m.get("marketplace_product_id")}
        cat_ir = c.get("in_region_regions")
        d["in_region"] = {
            "catalog": cat_ir if cat_ir is not None else c.get("in_region"),
            "aws": m.get("in_region"),
        }
        if m.get("status") and c.get("status") != m.get("status"):
            d["status"] = {"catalog": c.get("status"), "aws": m.get("status")}
        diff[m["id"]] = d
    for mid in cr:
        if mid not in {m["id"] for m in models}:
            diff[mid] = {
                "in_catalog": True,
                "not_verified": True,
                "catalog_profiles": sorted(cr[mid]["profiles"]),
            }
    return diff


# --------------------------------------------------------------------------- main


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options; kept apart from the run so the run reads as a pipeline."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="+", help="directory of saved pages, or page files")
    ap.add_argument("-o", "--output", default="models.json")
    ap.add_argument(
        "--as-of", default=_dt.date.today().isoformat(), help="date for EOL checks (YYYY-MM-DD)"
    )
    ap.add_argument("--compare", help="catalog.json to compare against")
    ap.add_argument(
        "--diff", default="diff.json", help="where to write the comparison (with --compare)"
    )
    ap.add_argument(
        "--annotations",
        help="reviewer annotations JSON {model_id: {notes: [...], status?, why?}}; "
        "notes are appended and marked [reviewer]; status only fills a gap the pages leave",
    )
    return ap.parse_args(argv)


def _page_files(paths: list[str]) -> list[str]:
    """Expand the page arguments: a directory gives its .md files in name order, a file itself."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".md"))
        else:
            files.append(p)
    return files


def _ips_views(text: str, base: str, meta: dict, per_model: dict, problems_all: list[str]) -> None:
    """Add one view per model of an inference-profiles-support page (routing tables only)."""
    meta.setdefault("rank", "10")
    models, probs = parse_ips(text)
    problems_all += [f"{base}: {p}" for p in probs]
    for mid, info in models.items():
        v = {
            "id": mid,
            "name": info["names"][0],
            "provider": provider_of(mid),
            "profiles": info["profiles"],
            "notes": [],
            "_kind": "ips",
            "_facts": "routing tables (" + ", ".join(sorted(info["profiles"])) + ")",
        }
        per_model.setdefault(mid, []).append((v, meta))


def _lifecycle_views(
    text: str,
    base: str,
    meta: dict,
    as_of: _dt.date,
    per_model: dict,
    problems_all: list[str],
) -> None:
    """Add one view per entry of the model-lifecycle-legacy page (status and EOL date only)."""
    meta.setdefault("rank", "30")
    entries, probs = parse_lifecycle(text, as_of)
    problems_all += [f"{base}: {p}" for p in probs]
    for e in entries:
        v = {
            "id": e["id"],
            "name": e["name"],
            "provider": provider_of(e["id"]),
            "status": e["status"],
            "eol_date": e["eol_date"],
            "notes": [e["_note"]],
            "_kind": "lifecycle",
            "_facts": "lifecycle status and EOL date",
        }
        per_model.setdefault(e["id"], []).append((v, meta))


def _card_facts(rec: dict) -> str:
    """Summarise which facts a parsed card supplied, for the output's "sources" entry."""
    facts = []
    if rec["geo_tables"]:
        facts.append("routing tables ({})".format(", ".join(sorted(rec["geo_tables"]))))
    if rec.get("global_sources"):
        facts.append("global sources")
    if rec["availability"]:
        facts.append("availability ({})".format(", ".join(sorted(rec["availability"]))))
    if "product" in rec:
        facts.append("product ID")
    if rec.get("lifecycle"):
        facts.append("lifecycle")
    return "; ".join(facts)


def _card_page_view(
    text: str,
    base: str,
    meta: dict,
    as_of: _dt.date,
    per_model: dict,
    problems_all: list[str],
) -> None:
    """Add the view of one model card; its parse problems also go into the model's notes.

    A card whose model ID cannot be found contributes only its problems.
    """
    rec, probs = parse_card(text, base)
    problems_all += [f"{base}: {p}" for p in probs]
    if not rec:
        return
    v = card_view(rec, meta, as_of)
    v["_kind"] = "card"
    v["_facts"] = _card_facts(rec)
    v["notes"] = probs + v["notes"]
    per_model.setdefault(v["id"], []).append((v, meta))


def _read_pages(
    files: list[str], as_of: _dt.date
) -> tuple[dict[str, list], list[str], list[tuple[dict, list[tuple[str, str]]]]]:
    """Read every page into per-model views, by page kind (from the file name).

    Returns (views per model ID, parse problems, product-ID pages). Product-ID pages are kept
    apart because their rows name models rather than IDs and can only be matched once all
    other pages have been read.
    """
    per_model: dict[str, list] = {}
    problems_all: list[str] = []
    pid_pages = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        first = text.split("\n", 1)[0]
        meta = parse_header(first)
        meta["file"] = os.path.basename(f)
        base = os.path.basename(f)
        if base.startswith("inference-profiles-support"):
            _ips_views(text, base, meta, per_model, problems_all)
        elif base.startswith("model-access-product-ids"):
            meta.setdefault("rank", "20")
            pid_pages.append((meta, parse_pid(text)))
        elif base.startswith("model-lifecycle-legacy"):
            _lifecycle_views(text, base, meta, as_of, per_model, problems_all)
        elif base.startswith("model-card-"):
            _card_page_view(text, base, meta, as_of, per_model, problems_all)
    return per_model, problems_all, pid_pages


def _attach_product_ids(
    pid_pages: list[tuple[dict, list[tuple[str, str]]]],
    per_model: dict[str, list],
    problems_all: list[str],
) -> None:
    """Add product-ID views, matching table rows to models by normalised name.

    Only a row whose name matches exactly one model read is used; any other row is reported,
    since a wrong product ID is worse than none.
    """
    for meta, rows in pid_pages:
        index: dict[str, set] = {}
        for mid, vs in per_model.items():
            for v, _ in vs:
                if v.get("name"):
                    index.setdefault(norm_name(v["name"]), set()).add(mid)
        for name, pid in rows:
            hits = index.get(norm_name(name), set())
            if len(hits) == 1:
                mid = next(iter(hits))
                per_model[mid].append(
                    (
                        {
                            "id": mid,
                            "name": None,
                            "provider": provider_of(mid),
                            "marketplace_product_id": pid,
                            "notes": [],
                            "_kind": "pid",
                            "_facts": f"Marketplace product ID (row {name!r})",
                        },
                        meta,
                    )
                )
            else:
                problems_all.append(
                    "{}: row {!r} ({}) matches {} model(s) read; not used".format(
                        meta["file"], name, pid, len(hits) or "no"
                    )
                )


def _apply_annotations(out: list[dict], path: str) -> None:
    """Append reviewer notes from the annotations file, marked [reviewer].

    A reviewer's status only fills a gap the pages leave; it never overrides what AWS says.
    """
    with open(path, encoding="utf-8") as fh:
        ann = json.load(fh)
    for rec in out:
        a = ann.get(rec["id"])
        if a:
            rec["notes"] += ["[reviewer] " + n for n in a.get("notes", [])]
            for k in ("status",):
                if k in a and rec.get(k) is None:
                    rec[k] = a[k]
                    rec["notes"].append(
                        "[reviewer] {} set to {!r} by annotations.json: {}".format(
                            k, a[k], a.get("why", "")
                        )
                    )


def _write_models(out: list[dict], output: str, problems_all: list[str]) -> None:
    """Write the models JSON, list the parse problems on stderr and print a summary line."""
    with open(output, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    if problems_all:
        print("parse problems:", file=sys.stderr)
        for p in problems_all:
            print("  " + p, file=sys.stderr)
    nprof = sum(len(m["profiles"]) for m in out)
    nroutes = sum(len(p.get("routes", {})) for m in out for p in m["profiles"].values())
    print(f"{len(out)} models, {nprof} profiles, {nroutes} source->destination routes -> {output}")


def _write_comparison(out: list[dict], catalog_path: str, diff_path: str) -> None:
    """Compare the models with a catalog.json and write the differences."""
    with open(catalog_path, encoding="utf-8") as fh:
        cat = json.load(fh)
    with open(diff_path, "w", encoding="utf-8") as fh:
        json.dump(compare(out, cat), fh, indent=2)
        fh.write("\n")
    print(f"comparison -> {diff_path}")


def main(argv=None) -> int:
    args = _parse_args(argv)
    as_of = _dt.date.fromisoformat(args.as_of)
    files = _page_files(args.pages)
    per_model, problems_all, pid_pages = _read_pages(files, as_of)
    # product-ID table: rows name models, not IDs; match on normalised names seen on other pages
    _attach_product_ids(pid_pages, per_model, problems_all)
    out = [merge(vs) for _, vs in sorted(per_model.items())]
    if args.annotations:
        _apply_annotations(out, args.annotations)
    for rec in out:
        for s in rec["sources"]:
            s.pop("rank", None)
    _write_models(out, args.output, problems_all)
    if args.compare:
        _write_comparison(out, args.compare, args.diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
