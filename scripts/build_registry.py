#!/usr/bin/env python3
"""Build kg's shipped outlet registry from open data, deterministically.

    python scripts/build_registry.py [OUTLET_DATA_DIR]      # default: ../shared/outlet-data

Reads four open data sets (see ``kg/data/licences/README.md`` for what they are and their
licences) and today's hand-made ``kg/data/outlets.json``, and writes:

- ``kg/data/outlets-open.tsv``: one line per outlet the open data adds, plus one line per
  hand-made outlet the open data says something about (its id, and only the fields the open
  data adds: state control, languages, list labels, provenance). Hand-made entries stay
  authoritative: their name, kind, country, url, aliases and domains are never changed.
- ``kg/data/outlet-sources.json``: the data sets (upstream, commit, date, licence) and the
  lists whose membership becomes a label (name, data set, date).

The same inputs give the same bytes (sorted everywhere; no clock); ``tests/test_registry.py``
rebuilds both files from ``../shared/outlet-data`` and compares them byte for byte.

Rules (each is a reason, not a verdict about an outlet):
- A host (lower case, "www." dropped) is one outlet. A host under a hand-made outlet's domain
  joins that outlet ("lt.sputniknews.ru" → Sputnik); other hosts stay their own outlet.
- Wikidata's "official website" of a newspaper is sometimes an archive or library page
  (gallica.bnf.fr, loc.gov, archive.org): a host claimed by two or more Wikidata items, or on a
  known archive host, gives no domain, and an item without a domain is left out.
- State control comes from the State Media Matrix typology (SC, CaPu, CaPr, ISFM, ISF, ISM, IP);
  a code marked uncertain ("ISFM?") is left out.
- List memberships (EUvsDisinfo, Portal Kombat, RT mirrors, pink slime, cred-1 categories, …)
  become labels naming the list, its data set and the data set's date. "Wikidata All News" in
  the laundromat set is not a list of concern: it only adds provenance.
- kind: "wire_agency" when the name says agency, "broadcaster" when it says TV or radio,
  else "outlet"; country and language as ISO codes when the data gives exactly one country.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.links import is_platform  # noqa: E402
from kg.registry import (  # noqa: E402
    OPEN_COLUMNS,
    normalize_domain,
    read_curated_outlets,
    slugify,
)

DEFAULT_DATA = ROOT.parent / "shared" / "outlet-data"

# The data sets, as ../shared/outlet-data/README.md records them (commit dates from upstream).
SOURCES: dict[str, dict[str, str]] = {
    "state-media-profiles": {
        "name": "State Media Profiles (State Media Matrix)",
        "upstream": "ASD-at-GMF/state-media-profiles",
        "commit": "d878fee1e0aecce9bd63a65ae826df84c6d80e59",
        "date": "2024-02-07",
        "licence": "MIT",
        "file": "State_Media_Matrix.csv",
    },
    "disinfo-laundromat": {
        "name": "Disinformation Laundromat: sites of concern",
        "upstream": "ASD-at-GMF/disinfo-laundromat",
        "commit": "6c82e3f18b88a316efee15af6afff487c17fee18",
        "date": "2025-01-21",
        "licence": "MIT",
        "file": "sites_of_concern.csv",
    },
    "cred-1": {
        "name": "CRED-1 low-credibility domains (from OpenSources and Iffy.news)",
        "upstream": "aloth/cred-1",
        "commit": "3b9875675744bd73c4acb997603ae73bf78d341e",
        "date": "2026-08-04",
        "licence": "CC BY 4.0",
        "file": "cred1_current.csv",
    },
    "wikidata-newspapers": {
        "name": "Wikidata newspapers with an official website",
        "upstream": "patrickswickard/international_newspapers",
        "commit": "0d8b4a34764914490583a603d2a5d12ad175ecbd",
        "date": "2023-12-29",
        "licence": "CC0 (Wikidata content)",
        "file": "full_list_of_newspapers.json",
    },
}

# Lists whose membership becomes a label: laundromat "Source" value → (label id, name).
LAUNDROMAT_LISTS: dict[str, tuple[str, str]] = {
    "EuVsDisinfo": ("euvsdisinfo", "EUvsDisinfo database"),
    "Pink Slime": ("pink-slime", "Pink slime (partisan local sites)"),
    "Wikipedia Fake News": ("wikipedia-fake-news", "Wikipedia list of fake news websites"),
    "Viginum (Portal Kombat)": ("portal-kombat", "Portal Kombat (Viginum)"),
    "RT Mirror/Repost": ("rt-mirror", "RT mirror"),
    "Intel/Suspected": ("asd-suspected", "Suspected (ASD research)"),
    "Newsguard AI": ("newsguard-ai", "AI-generated news site (NewsGuard)"),
}
LAUNDROMAT_PROVENANCE_ONLY = {"Wikidata All News"}
CRED1_CATEGORIES = ("fake", "unreliable", "mixed", "conspiracy", "satire", "rumor", "reliable")
STATE_CONTROL = ("SC", "CaPu", "CaPr", "ISFM", "ISF", "ISM", "IP")

# Hosts where Wikidata's "official website" points at an archive or a library, not an outlet.
# Platforms and link shorteners (kg/data/platforms.json) are left out too, whichever list names
# them: a link to a video on Rumble or a bit.ly redirect is no citation of an outlet.
ARCHIVE_HOSTS = (
    "archive.org", "loc.gov", "books.google.com", "gallica.bnf.fr", "retronews.fr",
    "newspapers.com", "newspaperarchive.com", "newsbank.com", "trove.nla.gov.au",
    "hathitrust.org", "europeana.eu", "chroniclingamerica.loc.gov", "digitalarchives",
    "google.com", "wikipedia.org", "wikisource.org",
    "issuu.com", "calameo.com", "yumpu.com", "blogspot.com", "wordpress.com", "tripod.com",
    "geocities.com", "sites.google.com",
)  # fmt: skip

# Country names the data uses that pycountry does not know by that name.
COUNTRY_FIXES = {
    "russia": "RU", "iran": "IR", "turkey": "TR", "syria": "SY", "laos": "LA", "vietnam": "VN",
    "south korea": "KR", "north korea": "KP", "taiwan": "TW", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "dr congo": "CD", "congo": "CG",
    "the gambia": "GM", "uae": "AE", "vatican city": "VA", "palestine territories": "PS",
    "brunei": "BN", "macao": "MO", "czechia": "CZ", "united states of america": "US",
    "united states": "US", "united kingdom": "GB", "kingdom of the netherlands": "NL",
    "people's republic of china": "CN", "state of palestine": "PS", "kosovo": "XK",
    "ivory coast": "CI", "côte d'ivoire": "CI", "cape verde": "CV", "east timor": "TL",
    "republic of the congo": "CG", "democratic republic of the congo": "CD",
    "federated states of micronesia": "FM", "the bahamas": "BS", "eswatini": "SZ",
    "hong kong": "HK", "russian empire": "", "soviet union": "", "europen union": "",
}  # fmt: skip

_AGENCY = re.compile(r"\b(?:news agency|agency|agencia|agência|agence|agentstvo|ajansı)\b", re.I)
_BROADCAST = re.compile(
    r"\b(?:tv|television|télévision|televisión|televizija|radio|broadcasting|broadcaster|"
    r"channel)\b",
    re.IGNORECASE,
)
_QID = re.compile(r"^Q\d+$")


def country_code(name: str) -> str | None:
    import pycountry

    key = name.strip().casefold()
    if not key:
        return None
    if key in COUNTRY_FIXES:
        return COUNTRY_FIXES[key] or None
    try:
        found = pycountry.countries.lookup(name.strip())
    except LookupError:
        return None
    return str(found.alpha_2)


def language_code(name: str) -> str | None:
    import pycountry

    name = name.strip()
    if not name:
        return None
    try:
        found = pycountry.languages.lookup(name)
    except LookupError:
        return None
    code = getattr(found, "alpha_2", None)
    return str(code) if code else None


def host_of(url: str) -> str | None:
    url = url.strip().strip('"')
    if not url:
        return None
    if "://" not in url:
        url = "//" + url
    url = re.sub(r"^(https?):/(?!/)", r"\1://", url)
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    domain = normalize_domain(host or "")
    if not re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}", domain):
        return None
    return domain


# Labels of a host name that mark a library, archive or proxy rather than an outlet.
ARCHIVE_LABELS = re.compile(
    r"^(?:.*archiv.*|lib|library|elibrary|dlib|.*ezproxy.*|contentdm|ebscohost|lexisnexis|"
    r"proquest|newsbank|digitalcollections?|bndigital|0-.*|\d+)$"
)


def _archive(host: str) -> bool:
    """A library, archive, proxy, platform or bare IP address, not an outlet's own site."""
    if any(host == a or host.endswith("." + a) for a in ARCHIVE_HOSTS) or is_platform(host):
        return True
    return any(ARCHIVE_LABELS.match(label) for label in host.split(".")[:-1])


@dataclass
class Draft:
    host: str
    names: dict[str, str] = field(default_factory=dict)  # source → name
    countries: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    state_control: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    provenance: set[str] = field(default_factory=set)


def read_state_media(folder: Path, drafts: dict[str, Draft]) -> None:
    path = folder / "state-media-profiles" / SOURCES["state-media-profiles"]["file"]
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            host = host_of(row.get("URL") or "")
            if host is None or is_platform(host):
                continue
            draft = drafts.setdefault(host, Draft(host))
            name = (row.get("Main assets") or row.get("Media company") or "").strip()
            if name:
                draft.names.setdefault("state-media-profiles", name)
            code = country_code(row.get("Country") or "")
            if code:
                draft.countries.add(code)
            typology = (row.get("Typology") or "").strip()
            if typology in STATE_CONTROL:
                draft.state_control.add(typology)
            draft.provenance.add("state-media-profiles")


def read_laundromat(folder: Path, drafts: dict[str, Draft]) -> None:
    path = folder / "disinfo-laundromat" / SOURCES["disinfo-laundromat"]["file"]
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            host = host_of(row.get("Domain") or "")
            source = (row.get("Source") or "").strip()
            if host is None or _archive(host):
                continue
            if source not in LAUNDROMAT_LISTS and source not in LAUNDROMAT_PROVENANCE_ONLY:
                continue
            draft = drafts.setdefault(host, Draft(host))
            if source in LAUNDROMAT_LISTS:
                draft.labels.add(LAUNDROMAT_LISTS[source][0])
            name = (row.get("Name") or "").strip()
            if name:
                draft.names.setdefault("disinfo-laundromat", name)
            draft.provenance.add("disinfo-laundromat")


def read_cred1(folder: Path, drafts: dict[str, Draft]) -> None:
    path = folder / "cred-1" / SOURCES["cred-1"]["file"]
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            host = host_of(row.get("domain") or "")
            category = (row.get("category") or "").strip()
            if host is None or category not in CRED1_CATEGORIES or _archive(host):
                continue
            draft = drafts.setdefault(host, Draft(host))
            draft.labels.add(f"cred-1-{category}")
            draft.provenance.add("cred-1")


def read_wikidata(folder: Path, drafts: dict[str, Draft]) -> None:
    path = folder / "wikidata-newspapers" / SOURCES["wikidata-newspapers"]["file"]
    bindings = json.loads(path.read_text(encoding="utf-8"))["results"]["bindings"]
    items: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for b in bindings:
        qid = b["item"]["value"].rsplit("/", 1)[-1]
        item = items[qid]
        for key, field_name in (("offurl", "url"), ("itemLabel", "name"),
                                ("countryLabel", "country"), ("languageLabel", "language")):
            if key in b:
                item[field_name].add(b[key]["value"])
    owners: dict[str, set[str]] = defaultdict(set)
    for qid, item in items.items():
        for url in item["url"]:
            host = host_of(url)
            if host:
                owners[host].add(qid)
    for host, qids in sorted(owners.items()):
        if len(qids) != 1 or _archive(host):
            continue
        qid = next(iter(qids))
        item = items[qid]
        draft = drafts.setdefault(host, Draft(host))
        names = sorted(n for n in item["name"] if not _QID.match(n))
        if names:
            draft.names.setdefault("wikidata-newspapers", names[0])
        codes = {country_code(c) for c in item["country"]}
        draft.countries |= {c for c in codes if c}
        draft.languages |= {c for c in (language_code(x) for x in item["language"]) if c}
        draft.provenance.add(f"wikidata-newspapers:{qid}")


def _kind(name: str) -> str:
    if _AGENCY.search(name):
        return "wire_agency"
    if _BROADCAST.search(name):
        return "broadcaster"
    return "outlet"


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def build(folder: Path) -> tuple[str, str]:
    """(outlets-open.tsv, outlet-sources.json) as text."""
    drafts: dict[str, Draft] = {}
    read_state_media(folder, drafts)
    read_laundromat(folder, drafts)
    read_cred1(folder, drafts)
    read_wikidata(folder, drafts)

    curated = read_curated_outlets()
    curated_domains: dict[str, str] = {}
    for outlet in curated:
        for domain in outlet.domains:
            curated_domains[domain] = outlet.id

    def curated_owner(host: str) -> str | None:
        parts = host.split(".")
        for i in range(len(parts) - 1):
            owner = curated_domains.get(".".join(parts[i:]))
            if owner is not None:
                return owner
        return None

    # Gather per outlet id: hand-made outlets by id, others by host.
    extras: dict[str, list[Draft]] = defaultdict(list)
    new: dict[str, Draft] = {}
    for host in sorted(drafts):
        draft = drafts[host]
        owner = curated_owner(host)
        if owner is not None:
            extras[owner].append(draft)
        else:
            new[host] = draft

    rows: list[list[str]] = []
    for outlet_id, parts in sorted(extras.items()):
        languages = sorted(set().union(*(d.languages for d in parts)))
        controls = sorted(set().union(*(d.state_control for d in parts)))
        labels = sorted(set().union(*(d.labels for d in parts)))
        provenance = sorted(set().union(*(d.provenance for d in parts)))
        rows.append([
            outlet_id, "", "", "", " ".join(languages),
            controls[0] if len(controls) == 1 else "", "", "", " ".join(labels),
            " ".join(provenance),
        ])
    used_ids = {o.id for o in curated}
    for host, draft in sorted(new.items()):
        name = next(
            (draft.names[s] for s in ("state-media-profiles", "wikidata-newspapers",
                                      "disinfo-laundromat") if s in draft.names),
            host,
        )
        name = _one_line(name) or host
        outlet_id = slugify(host)
        if outlet_id in used_ids:  # a hand-made id that happens to equal this host's slug
            outlet_id = "open-" + outlet_id
        used_ids.add(outlet_id)
        country = next(iter(draft.countries)) if len(draft.countries) == 1 else ""
        controls = sorted(draft.state_control)
        rows.append([
            outlet_id, name, _kind(name), country, " ".join(sorted(draft.languages)),
            controls[0] if len(controls) == 1 else "", f"https://{host}/", host,
            " ".join(sorted(draft.labels)), " ".join(sorted(draft.provenance)),
        ])
    rows.sort(key=lambda r: r[0])
    lines = ["\t".join(OPEN_COLUMNS)] + ["\t".join(r) for r in rows]
    tsv = "\n".join(lines) + "\n"

    labels: dict[str, dict[str, str]] = {}
    laundromat = SOURCES["disinfo-laundromat"]
    for source_value, (label_id, label_name) in LAUNDROMAT_LISTS.items():
        labels[label_id] = {
            "name": label_name,
            "source": "disinfo-laundromat",
            "list": source_value,
            "date": laundromat["date"],
        }
    for category in CRED1_CATEGORIES:
        labels[f"cred-1-{category}"] = {
            "name": f"low-credibility (cred-1): {category}"
            if category != "reliable" else "cred-1: reliable",
            "source": "cred-1",
            "list": f"category {category}",
            "date": SOURCES["cred-1"]["date"],
        }
    meta = {
        "_note": "Generated by scripts/build_registry.py; a label is membership of a list, "
        "never a verdict about an outlet.",
        "sources": SOURCES,
        "labels": dict(sorted(labels.items())),
        "state_control": {
            "SC": "state-controlled media",
            "CaPu": "captured public/state-managed media",
            "CaPr": "captured private media",
            "ISFM": "independent state-funded and state-managed media",
            "ISF": "independent state-funded media",
            "ISM": "independent state-managed media",
            "IP": "independent public media",
        },
    }
    return tsv, json.dumps(meta, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    folder = Path(args[0]) if args else DEFAULT_DATA
    if not (folder / "wikidata-newspapers").is_dir():
        print(f"{folder}: not the outlet-data folder (no wikidata-newspapers/ in it)",
              file=sys.stderr)
        return 1
    tsv, meta = build(folder)
    data = ROOT / "kg" / "data"
    (data / "outlets-open.tsv").write_text(tsv, encoding="utf-8")
    (data / "outlet-sources.json").write_text(meta, encoding="utf-8")
    print(f"wrote {data / 'outlets-open.tsv'} ({tsv.count(chr(10)) - 1} rows, "
          f"{len(tsv.encode()):,} bytes) and {data / 'outlet-sources.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
