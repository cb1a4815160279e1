"""Reference data: the outlet registry and the gazetteer of well-known named entities.

The outlet registry (``kg/data/outlets.json``) lists news outlets, wire agencies, broadcasters,
state media and data services with their names, aliases and web domains; a user can extend it or
override entries with a JSON file of the same format (``load_registry(extra)``). The gazetteer
(``kg/data/gazetteer.json``) lists people, organisations, places and named things (aircraft,
missiles, ships, treaties) so that a surname or a spelling variant resolves to one canonical name.

Both are shipped as package data and cached, so repeated loads are cheap. Lookups are pure.

Name lookup rules (``Registry.lookup_name``): case-insensitive whole-string matches on a name or an
alias, after removing surrounding punctuation and quotes, a trailing possessive (``'s``/``’s``), a
leading "the", and a trailing generic word such as "news agency", "newspaper", "website",
"service", "channel" or "TV". A name written "The X Y" also answers to "X Y"; a name of one word
after "The" ("The Times", "The Hill") keeps its "the", because "Times" or "Hill" alone is
ambiguous. Matches never happen on part of a word.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kg.errors import ConfigError
from kg.models import MENTION_TYPES, OUTLET_KINDS, STATE_CONTROL, Outlet, OutletLabel
from kg.names import normalize, strip_article, strip_possessive, trim

__all__ = [
    "GAZETTEER_TYPES",
    "Gazetteer",
    "GazetteerEntry",
    "Registry",
    "OPEN_COLUMNS",
    "alias_conflicts",
    "load_gazetteer",
    "load_registry",
    "normalize_domain",
    "read_curated_outlets",
    "registered_domain",
    "slugify",
]

log = logging.getLogger(__name__)

GAZETTEER_TYPES: tuple[str, ...] = MENTION_TYPES  # person, organization, place, other

_OUTLET_FIELDS = (
    "id", "name", "kind", "country", "url", "aliases", "display_aliases", "domains", "languages",
    "state_control", "labels",
)  # fmt: skip
# Columns of kg/data/outlets-open.tsv (written by scripts/build_registry.py).
OPEN_COLUMNS = (
    "id", "name", "kind", "country", "languages", "state_control", "url", "domains", "labels",
    "provenance",
)  # fmt: skip
CURATED_SOURCE = "kg/data/outlets.json"
# Names whose look-up answer is kept: a corpus has fewer distinct names than this; past it,
# memory stays bounded and look-ups are simply computed again.
LOOKUP_MEMO = 200_000
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
_GAZETTEER_FIELDS = ("id", "type", "name", "aliases")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_GAZ_ID_RE = re.compile(r"^(person|organization|place|other):[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$"
)

# --- slugs ----------------------------------------------------------------------------------

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
# Letters that NFKD does not decompose into an ASCII base letter.
_SPECIAL = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t",
}  # fmt: skip
_TRANSLIT = str.maketrans({**_CYRILLIC, **_SPECIAL})


def slugify(text: str) -> str:
    """A stable ASCII slug: lowercase, accents and Cyrillic transliterated, other runs → "-".

    >>> slugify("Süddeutsche Zeitung")
    'suddeutsche-zeitung'
    >>> slugify("Владимир Путин")
    'vladimir-putin'

    Never empty: text with no letter or digit gives ``"x-"`` and 10 hex digits of its SHA-1.
    """
    lowered = unicodedata.normalize("NFC", text).lower().translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


# --- text normalisation shared by both tables -----------------------------------------------

# Generic words that may trail a name ("the Flightradar24 service", "Reuters news agency").
# Longest first, so that "news agency" is tried before "agency".
_GENERIC_TAILS: tuple[str, ...] = tuple(
    sorted(
        {
            "news agency", "information agency", "press agency", "agency", "newspaper",
            "daily newspaper", "daily", "paper", "news website", "news site", "news portal",
            "website", "web site", "site", "portal", "service", "news service", "channel",
            "tv channel", "television channel", "telegram channel", "tv", "television",
            "broadcaster", "radio", "radio station", "magazine", "weekly", "outlet",
            "news outlet", "media outlet", "publication", "online", "edition", "newsroom",
        },
        key=lambda s: (-len(s), s),
    )
)  # fmt: skip


def _clean(text: str) -> str:
    """The look-up form of a name: quotes and dashes unified, whitespace collapsed,
    surrounding punctuation trimmed (see `kg.names`)."""
    return trim(normalize(text))


def _strip_possessive(text: str) -> str:
    stripped = strip_possessive(text)
    return _clean(stripped) if stripped != text else text


def _fold(text: str) -> str:
    """Casefold and drop accents: the key of the accent-insensitive fallback index."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _name_key(text: str) -> str:
    return _clean(text).casefold()


def _derived_keys(name: str) -> list[str]:
    """Extra keys a name answers to: "The Washington Post" → "washington post"."""
    cleaned = _clean(name)
    rest = strip_article(cleaned, the_only=True)
    if rest == cleaned:
        return []
    # "The Times" → "Times" alone is ambiguous: only multi-word or marked-up remainders count.
    if len(rest.split()) >= 2 or re.search(r"[^A-Za-z]", rest):
        return [rest.casefold()]
    return []


def _query_variants(name: str) -> list[str]:
    """The keys to try for a looked-up name, most specific first."""
    base = _clean(name)
    if not base:
        return []
    forms: list[str] = []

    def add(form: str) -> None:
        form = _clean(form)
        if form and form.casefold() not in forms:
            forms.append(form.casefold())

    stages = [base, _strip_possessive(base)]
    for stage in list(stages):
        without_the = strip_article(stage, the_only=True)
        if without_the != stage:
            stages.append(without_the)
    for stage in stages:
        add(stage)
    for stage in stages:
        lowered = stage.casefold()
        for tail in _GENERIC_TAILS:
            if lowered.endswith(" " + tail):
                rest = _strip_possessive(_clean(stage[: -len(tail)]))
                add(rest)
                add(strip_article(rest, the_only=True))
    return forms


# --- domains --------------------------------------------------------------------------------


def normalize_domain(host_or_url: str) -> str:
    """The bare lowercase host of a URL or host name, without "www.", port or trailing dot.

    >>> normalize_domain("https://WWW.NKNews.org:443/2024/x")
    'nknews.org'
    """
    text = host_or_url.strip()
    if not text:
        return ""
    if "://" not in text:
        text = "//" + text.lstrip("/")
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    host = host.strip().rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return ""
    while host.startswith("www.") or re.match(r"^www\d+\.", host):
        host = host.split(".", 1)[1]
    return host


@functools.lru_cache(maxsize=1)
def _public_suffixes() -> Any:
    # publicsuffixlist ships a snapshot of the Public Suffix List and reads only that file;
    # its updater (a separate module) is never imported, so nothing goes to the network.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


_IP_RE = re.compile(r"^[\d.]+$|:")


@functools.lru_cache(maxsize=65536)
def registered_domain(host_or_url: str) -> str:
    """The registrable domain of a host or URL (public-suffix aware, offline): the part a
    registrant owns. "edition.cnn.com" → "cnn.com", "news.bbc.co.uk" → "bbc.co.uk",
    "someone.blogspot.com" → "someone.blogspot.com". "" when there is no host.

    >>> registered_domain("https://detroit.cbslocal.com/2019/x")
    'cbslocal.com'
    """
    host = normalize_domain(host_or_url)
    if not host or _IP_RE.search(host):
        return host
    found = _public_suffixes().privatesuffix(host)
    return str(found) if found else host


# --- the outlet registry --------------------------------------------------------------------


# Words too common to name an outlet from open data on their own, once "the" is dropped: a
# source called "Post", "Times" or "The News" is not one of the dozens of papers of that name.
_COMMON_NAME_WORDS = frozenset(
    """
    news daily times post today herald tribune star sun mail express journal gazette press
    record observer guardian independent standard nation world voice time chronicle courier
    mirror weekly review report reporter sentinel telegraph globe republic citizen leader
    metro local free new online info tv radio media people city state national
    """.split()
)


def _open_name_keys(name: str) -> list[str]:
    """The keys an open-data entry answers to: its name when distinctive (two or more words
    after "the", not all of them common words; or a name with a dot, like a domain)."""
    keys: list[str] = []
    for text in (name,):
        cleaned = _clean(text)
        bare = strip_article(cleaned, the_only=True)
        words = re.findall(r"[^\W_]+", bare.casefold())
        if "." in bare and " " not in bare:
            keys.append(bare.casefold())
        elif len(words) >= 2 and not all(w in _COMMON_NAME_WORDS for w in words):
            keys.append(cleaned.casefold())
            if bare != cleaned:
                keys.append(bare.casefold())
    return keys


@dataclass(frozen=True)
class OpenTable:
    """The outlets that open data adds (kg/data/outlets-open.tsv), kept as their text rows and
    made into `Outlet` records only when a lookup returns one: loading 15,000 rows costs a
    split per line, not 15,000 records."""

    rows: tuple[str, ...]
    labels: Mapping[str, OutletLabel]
    _made: dict[int, Outlet] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.rows)

    def _column(self, index: int) -> Iterator[tuple[int, str]]:
        for n, row in enumerate(self.rows):
            yield n, row.split("\t", index + 1)[index]

    @functools.cached_property
    def by_id(self) -> Mapping[str, int]:
        return {value: n for n, value in self._column(0)}

    @functools.cached_property
    def by_domain(self) -> Mapping[str, int]:
        out: dict[str, int] = {}
        column = OPEN_COLUMNS.index("domains")
        for n, value in self._column(column):
            for domain in value.split():
                out.setdefault(domain, n)
        return out

    def names(self) -> Iterator[tuple[int, str]]:
        return self._column(1)

    def outlet(self, n: int) -> Outlet:
        made = self._made.get(n)
        if made is None:
            made = self._made[n] = _open_outlet(dict(zip(OPEN_COLUMNS, self.rows[n].split("\t"),
                                                          strict=True)), self.labels)
        return made

    def __iter__(self) -> Iterator[Outlet]:
        return (self.outlet(n) for n in range(len(self.rows)))


_NO_OPEN_DATA = OpenTable((), {})


@dataclass(frozen=True)
class Registry:
    """Immutable lookup tables over the outlets: by id, by name or alias, by web domain.

    `outlets` are the hand-made entries (kg/data/outlets.json, extended by what the open data
    says about them) and a user's own (`--outlets`); `open` the outlets only open data knows.
    Indexes are built on first use.
    """

    outlets: tuple[Outlet, ...]
    open: OpenTable = _NO_OPEN_DATA

    def __len__(self) -> int:
        return len(self.outlets) + sum(1 for i in self.open.by_id if i not in self._by_id)

    def all_outlets(self) -> Iterator[Outlet]:
        """Every outlet: the hand-made and user entries, then those from open data."""
        yield from self.outlets
        for n in range(len(self.open)):
            outlet = self.open.outlet(n)
            if outlet.id not in self._by_id:
                yield outlet

    @functools.cached_property
    def _by_id(self) -> Mapping[str, Outlet]:
        return {outlet.id: outlet for outlet in self.outlets}

    @functools.cached_property
    def _by_domain(self) -> Mapping[str, Outlet]:
        # Later entries win: a user's file (appended after the package data) takes precedence.
        by_domain: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for domain in outlet.domains:
                by_domain[domain] = outlet
        return by_domain

    @functools.cached_property
    def _names(self) -> tuple[Mapping[str, Outlet | int], Mapping[str, Outlet | int]]:
        by_name: dict[str, Outlet | int] = {}
        for outlet in self.outlets:
            for text in (outlet.name, *outlet.aliases):
                key = _name_key(text)
                if key:
                    by_name[key] = outlet
        for outlet in self.outlets:
            for key in _derived_keys(outlet.name):
                by_name.setdefault(key, outlet)
        # Open data: only distinctive names, only when one entry claims them, never over a
        # hand-made name.
        claims: dict[str, int | None] = {}
        for n, name in self.open.names():
            for key in _open_name_keys(name):
                claims[key] = n if claims.get(key, n) == n else None
        for key, owner in claims.items():
            if owner is not None and key not in by_name:
                by_name[key] = owner
        folded: dict[str, Outlet | int | None] = {}
        for key, hit in by_name.items():
            fkey = _fold(key)
            if fkey in folded and folded[fkey] != hit:
                folded[fkey] = None  # ambiguous without accents: exact spelling required
            else:
                folded[fkey] = hit
        return by_name, {k: v for k, v in folded.items() if v is not None}

    def _get(self, hit: Outlet | int | None) -> Outlet | None:
        if hit is None or isinstance(hit, Outlet):
            return hit
        outlet = self.open.outlet(hit)
        return self._by_id.get(outlet.id, outlet)

    def by_id(self, outlet_id: str) -> Outlet | None:
        """The outlet with this registry id (``"reuters"``), or None."""
        return self._by_id.get(outlet_id) or self._get(self.open.by_id.get(outlet_id))

    @functools.cached_property
    def _looked_up(self) -> dict[str, Outlet | None]:
        return {}

    def lookup_name(self, name: str) -> Outlet | None:
        """The outlet a name refers to, or None.

        ``"Reuters"``, ``"the Flightradar24 service"``, ``"Bloomberg's"``, ``"NK News,"`` and
        ``"Reuters news agency"`` all match; ``"Reuter"`` or ``"NK"`` do not.
        """
        # Resolving asks for the same names again and again (every mention, in two passes of a
        # build); the registry never changes, so each answer is kept (up to a bound).
        memo = self._looked_up
        if name in memo:
            return memo[name]
        hit = self._lookup_name(name)
        if len(memo) < LOOKUP_MEMO:
            memo[name] = hit
        return hit

    def _lookup_name(self, name: str) -> Outlet | None:
        by_name, by_folded = self._names
        variants = _query_variants(name)
        for key in variants:
            hit = by_name.get(key)
            if hit is not None:
                return self._get(hit)
        for key in variants:
            hit = by_folded.get(_fold(key))
            if hit is not None:
                return self._get(hit)
        return None

    def lookup_domain(self, host_or_url: str) -> Outlet | None:
        """The outlet whose registered domain is the longest suffix of this host or URL.

        ``"https://www.nknews.org/2024/x"``, ``"nknews.org"`` and ``"m.dialog.ua"`` all match;
        the walk stops at the registrable domain, so no entry can claim "co.uk" or the users
        of "blogspot.com". A hand-made or user entry wins over open data for the same host.
        """
        host = normalize_domain(host_or_url)
        if not host:
            return None
        floor = registered_domain(host)
        while host:
            hit = self._by_domain.get(host)
            if hit is not None:
                return hit
            index = self.open.by_domain.get(host)
            if index is not None:
                return self._get(index)
            if host == floor or "." not in host:
                return None
            host = host.split(".", 1)[1]
        return None


def _fail(source: str, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{source}: {where}: {problem} — fix the entry or remove it")


def _where(index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return f"entry {index} ({raw['id']!r})"
    return f"entry {index}"


def _string_list(raw: dict[str, Any], key: str, source: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, where, f"{key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _check_keys(raw: dict[str, Any], allowed: tuple[str, ...], source: str, where: str) -> None:
    unknown = sorted(k for k in raw if k not in allowed and not str(k).startswith("_"))
    if unknown:
        raise _fail(
            source,
            where,
            f"unknown field {unknown[0]!r} (allowed: {', '.join(allowed)}; "
            "fields starting with '_' are ignored)",
        )


def _required_string(raw: dict[str, Any], key: str, source: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, f"{key!r} is missing or empty; it must be a non-empty string")
    return value.strip()


def _parse_outlet(raw: Any, index: int, source: str) -> Outlet:
    where = _where(index, raw)
    if not isinstance(raw, dict):
        raise _fail(source, where, "must be a JSON object with at least 'id' and 'name'")
    _check_keys(raw, _OUTLET_FIELDS, source, where)
    outlet_id = _required_string(raw, "id", source, where)
    if not _ID_RE.match(outlet_id):
        raise _fail(
            source,
            where,
            f"'id' {outlet_id!r} must be a lowercase slug of a-z, 0-9 and '-' "
            f"(e.g. {slugify(outlet_id)!r})",
        )
    name = _required_string(raw, "name", source, where)
    kind = raw.get("kind", "outlet")
    if kind not in OUTLET_KINDS:
        raise _fail(source, where, f"'kind' must be one of {', '.join(OUTLET_KINDS)}")
    country = raw.get("country")
    if country is not None and (not isinstance(country, str) or not _COUNTRY_RE.match(country)):
        raise _fail(source, where, "'country' must be an ISO 3166 alpha-2 code like 'GB', or null")
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not re.match(r"^https?://\S+$", url)):
        raise _fail(source, where, "'url' must be an http(s):// address, or null")
    aliases = _string_list(raw, "aliases", source, where)
    display_aliases = _string_list(raw, "display_aliases", source, where)
    domains: list[str] = []
    for domain in _string_list(raw, "domains", source, where):
        host = normalize_domain(domain)
        if not _DOMAIN_RE.match(host) or "/" in domain.split("://", 1)[-1].rstrip("/"):
            raise _fail(source, where, f"domain {domain!r} must be a host name like 'example.org'")
        if host not in domains:
            domains.append(host)
    languages = _string_list(raw, "languages", source, where)
    for code in languages:
        if not _LANGUAGE_RE.match(code):
            raise _fail(source, where, f"language {code!r} must be an ISO 639-1 code like 'en'")
    state_control = raw.get("state_control")
    if state_control is not None and state_control not in STATE_CONTROL:
        raise _fail(
            source, where, f"'state_control' must be one of {', '.join(STATE_CONTROL)}, or null"
        )
    return Outlet(
        id=outlet_id,
        name=name,
        kind=kind,
        country=country,
        url=url,
        aliases=aliases,
        display_aliases=display_aliases,
        domains=tuple(domains),
        languages=languages,
        state_control=state_control,
        labels=_parse_labels(raw, source, where),
        provenance=(source,),
    )


def _parse_labels(raw: dict[str, Any], source: str, where: str) -> tuple[OutletLabel, ...]:
    value = raw.get("labels", [])
    problem = "'labels' must be a list of {\"name\", \"source\", \"date\"} objects"
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(source, where, problem)
    labels: list[OutletLabel] = []
    for item in value:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item[k].strip() for k in ("name", "source")
        ):
            raise _fail(source, where, problem + " (name and source required)")
        date = item.get("date")
        if date is not None and not (
            isinstance(date, str) and re.match(r"^\d{4}(-\d\d){0,2}$", date)
        ):
            raise _fail(source, where, "a label's 'date' must look like 2025-01-21")
        labels.append(OutletLabel(item["name"].strip(), item["source"].strip(), date))
    return tuple(labels)


def _read_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{source}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            " — fix the syntax"
        ) from None


def _outlet_list(data: Any, source: str) -> list[Any]:
    if isinstance(data, dict) and "outlets" in data:
        data = data["outlets"]
    if not isinstance(data, list):
        raise ConfigError(
            f"{source}: expected a list of outlet entries or an object "
            '{"outlets": [...]} — wrap the entries in a list'
        )
    return data


def _parse_outlets(data: Any, source: str) -> tuple[Outlet, ...]:
    entries = _outlet_list(data, source)
    outlets: list[Outlet] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(entries):
        outlet = _parse_outlet(raw, index, source)
        if outlet.id in seen:
            raise _fail(
                source,
                _where(index, raw),
                f"id {outlet.id!r} already used by entry {seen[outlet.id]}",
            )
        seen[outlet.id] = index
        outlets.append(outlet)
    return tuple(outlets)


def _package_text(filename: str) -> str:
    return resources.files("kg").joinpath("data", filename).read_text(encoding="utf-8")


def read_curated_outlets() -> tuple[Outlet, ...]:
    """The hand-made entries of kg/data/outlets.json alone (what scripts/build_registry.py
    builds on)."""
    return _parse_outlets(_read_json(_package_text("outlets.json"), CURATED_SOURCE), CURATED_SOURCE)


@lru_cache(maxsize=1)
def _open_meta() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_package_text("outlet-sources.json"))
    return data


def _open_rows() -> list[str]:
    """The rows of kg/data/outlets-open.tsv (generated and tested, so read without the
    per-field checks a user's file gets)."""
    lines = _package_text("outlets-open.tsv").splitlines()
    header = tuple(lines[0].split("\t"))
    if header != OPEN_COLUMNS:
        raise ConfigError(
            "kg/data/outlets-open.tsv: unexpected columns — rebuild it with "
            "scripts/build_registry.py"
        )
    return lines[1:]


def _open_outlet(row: Mapping[str, str], labels: Mapping[str, OutletLabel]) -> Outlet:
    return Outlet(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        country=row["country"] or None,
        url=row["url"] or None,
        domains=tuple(row["domains"].split()),
        languages=tuple(row["languages"].split()),
        state_control=row["state_control"] or None,
        labels=tuple(labels[k] for k in row["labels"].split()),
        provenance=tuple(row["provenance"].split()),
        curated=False,
    )


def _open_labels() -> dict[str, OutletLabel]:
    meta = _open_meta()
    return {
        key: OutletLabel(value["name"], meta["sources"][value["source"]]["name"], value["date"])
        for key, value in meta["labels"].items()
    }


def _with_open_data(curated: tuple[Outlet, ...]) -> Registry:
    """Hand-made entries, extended by what the open data adds to them (languages, state
    control, labels, provenance; never their names or domains), and the open data's own
    outlets as an `OpenTable`."""
    labels = _open_labels()
    by_id = {o.id: o for o in curated}
    extended: dict[str, Outlet] = {}
    rows: list[str] = []
    for row in _open_rows():
        base = by_id.get(row.split("\t", 1)[0])
        if base is None:
            rows.append(row)
            continue
        extra = _open_outlet(dict(zip(OPEN_COLUMNS, row.split("\t"), strict=True)), labels)
        extended[base.id] = dataclasses.replace(
            base,
            languages=base.languages or extra.languages,
            state_control=base.state_control or extra.state_control,
            labels=base.labels + tuple(x for x in extra.labels if x not in base.labels),
            provenance=base.provenance + extra.provenance,
        )
    outlets = tuple(extended.get(o.id, o) for o in curated)
    return Registry(outlets, OpenTable(tuple(rows), labels))


@lru_cache(maxsize=1)
def _package_registry() -> Registry:
    return _with_open_data(read_curated_outlets())


def _merge(base: Iterable[Outlet], extra: Iterable[Outlet]) -> tuple[Outlet, ...]:
    """Entries of `extra` replace those of `base` with the same id; new ones go at the end."""
    merged: dict[str, Outlet] = {o.id: o for o in base}
    overrides = {o.id: o for o in extra}
    result = [overrides.get(o.id, o) for o in merged.values()]
    result.extend(o for o in overrides.values() if o.id not in merged)
    return tuple(result)


def load_registry(extra: str | Path | None = None) -> Registry:
    """The packaged outlet registry, extended (or overridden by id) by the user's JSON file.

    The file holds a list of entries, or ``{"outlets": [...]}``, each
    ``{"id", "name", "kind", "country", "url", "aliases", "domains"}`` (only id and name are
    required). A user's entry with an id already in the registry replaces that entry; its names,
    aliases and domains win over any other entry's. Raises ConfigError with a one-line message.
    """
    base = _package_registry()
    if extra is None:
        return base
    path = Path(extra)
    source = str(extra)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{source}: outlet file not found — check the path") from None
    except IsADirectoryError:
        raise ConfigError(
            f"{source}: is a directory, not an outlet file — give a .json file"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: not UTF-8 text — save the outlet file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(
            f"{source}: cannot read the outlet file ({exc.strerror}) — check the path"
        ) from None
    user = _parse_outlets(_read_json(text, source), source)
    log.debug("%s: %d outlet entries added or overridden", source, len(user))
    return Registry(_merge(base.outlets, user), base.open)


# --- the gazetteer --------------------------------------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    """A well-known named entity: canonical name, type and the other names it goes by."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """Lookup of well-known entities by canonical name or alias."""

    entries: tuple[GazetteerEntry, ...]
    _exact: Mapping[str, GazetteerEntry] = field(init=False, repr=False, compare=False)
    _folded: Mapping[str, GazetteerEntry] = field(init=False, repr=False, compare=False)
    _by_id: Mapping[str, GazetteerEntry] = field(init=False, repr=False, compare=False)
    # Answers of `lookup` so far (the entries never change).
    _looked_up: dict[str, GazetteerEntry | None] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        exact: dict[str, GazetteerEntry] = {}
        folded: dict[str, GazetteerEntry | None] = {}
        for entry in self.entries:
            for text in (entry.name, *entry.aliases):
                key = _clean(text)
                exact.setdefault(key, entry)
                fkey = _fold(key)
                if fkey in folded and folded[fkey] is not entry:
                    folded[fkey] = None
                else:
                    folded[fkey] = entry
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", {k: v for k, v in folded.items() if v is not None})
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def by_id(self, entry_id: str) -> GazetteerEntry | None:
        """The entry with this id (``"person:vladimir-putin"``), or None."""
        return self._by_id.get(entry_id)

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry this name or alias refers to, or None.

        Exact spelling first (after trimming punctuation, a possessive and a leading "the");
        then, unless the name is one all-lowercase word ("turkey", "gallant"), a match ignoring
        case and accents: "Russian defence ministry" finds "Russian Defence Ministry".
        """
        memo = self._looked_up
        if name in memo:
            return memo[name]
        hit = self._lookup(name)
        if len(memo) < LOOKUP_MEMO:
            memo[name] = hit
        return hit

    def _lookup(self, name: str) -> GazetteerEntry | None:
        base = _clean(name)
        candidates = [base, _strip_possessive(base)]
        candidates += [_clean(strip_article(c, the_only=True)) for c in list(candidates)]
        for candidate in candidates:
            hit = self._exact.get(candidate)
            if hit is not None:
                return hit
        for candidate in candidates:
            if not candidate or (candidate.islower() and " " not in candidate):
                continue
            hit = self._folded.get(_fold(candidate))
            if hit is not None:
                return hit
        return None

    def surface_forms(self) -> list[tuple[str, GazetteerEntry]]:
        """Every (name or alias, entry), sorted, e.g. for a spaCy PhraseMatcher or EntityRuler."""
        forms = {(text, entry.id): entry for entry in self.entries
                 for text in (entry.name, *entry.aliases)}  # fmt: skip
        return [(text, forms[(text, eid)]) for text, eid in sorted(forms)]


def _parse_gazetteer(data: Any, source: str) -> tuple[GazetteerEntry, ...]:
    if isinstance(data, dict) and "entities" in data:
        data = data["entities"]
    if not isinstance(data, list):
        raise ConfigError(
            f"{source}: expected a list of entries or an object "
            '{"entities": [...]} — wrap the entries in a list'
        )
    entries: list[GazetteerEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(data):
        where = _where(index, raw)
        if not isinstance(raw, dict):
            raise _fail(source, where, "must be a JSON object with 'id', 'type' and 'name'")
        _check_keys(raw, _GAZETTEER_FIELDS, source, where)
        entry_type = raw.get("type")
        if entry_type not in GAZETTEER_TYPES:
            raise _fail(source, where, f"'type' must be one of {', '.join(GAZETTEER_TYPES)}")
        name = _required_string(raw, "name", source, where)
        entry_id = raw.get("id") or f"{entry_type}:{slugify(name)}"
        if not isinstance(entry_id, str) or not _GAZ_ID_RE.match(entry_id):
            raise _fail(source, where, "'id' must look like 'person:vladimir-putin'")
        if not entry_id.startswith(entry_type + ":"):
            raise _fail(source, where, f"'id' must start with its type, {entry_type + ':'!r}")
        if entry_id in seen:
            raise _fail(source, where, f"id {entry_id!r} is used twice")
        seen.add(entry_id)
        aliases = _string_list(raw, "aliases", source, where)
        entries.append(GazetteerEntry(entry_id, entry_type, name, aliases))
    return tuple(entries)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer (cached)."""
    source = "kg/data/gazetteer.json"
    return Gazetteer(_parse_gazetteer(_read_json(_package_text("gazetteer.json"), source), source))


# --- consistency checks (used by the tests and handy for a user's file) --------------------


def alias_conflicts(registry: Registry) -> list[tuple[str, str, str]]:
    """(key, first id, second id) for every name, alias or domain claimed by two outlets.

    Names count for hand-made (curated) outlets only: open-data names that two entries share
    are simply not matched (see `Registry`)."""
    owners: dict[str, str] = {}
    conflicts: list[tuple[str, str, str]] = []
    for outlet in registry.all_outlets():
        keys: set[str] = set()
        if outlet.curated:
            keys |= {_name_key(t) for t in (outlet.name, *outlet.aliases)}
            keys |= set(_derived_keys(outlet.name))
        keys |= {"domain:" + normalize_domain(d) for d in outlet.domains}
        for key in sorted(keys):
            other = owners.setdefault(key, outlet.id)
            if other != outlet.id:
                conflicts.append((key, other, outlet.id))
    return conflicts
