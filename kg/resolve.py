"""Resolve stage: extractions → canonical sources and entities (`Corpus`).

Pure and idempotent: the same extractions and registry give the same ids. Ids are
`"<type>:<slug>"`; outlets in the registry keep their registry id (`"outlet:reuters"`).

What resolves to what:
- an article's outlet comes from its URL's domain, else the site name its input gives;
- a source becomes an outlet only when the registry knows it, it is a domain name
  ("dialog.ua"), or the text calls it a newspaper/agency/website/channel; a government body or
  a person never becomes an outlet;
- a person keeps the organisation named with them ("Open Nuclear Network analyst Jevu Shin");
- mentions are merged across the corpus: possessives and articles dropped, spelling variants
  folded ("Defense"/"Defence", "Kim Jong Un"/"Kim Jong-un"), a lone surname joined to the one
  full name it belongs to, gazetteer names made canonical ("Putin" → "Vladimir Putin").
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from kg.extract.lexicon import (
    BRACKET_LABELS,
    DOMAIN_RE,
    GOVERNMENT_VOICE_VERBS,
    OUTLET_HEADS,
    PERSON_PRONOUNS,
    PRONOUNS,
)
from kg.identity import (
    ORGANIZATION_WORDS,
    ArticleNames,
    looks_like_person,
    name_words,
    person_name,
)
from kg.links import is_platform, link_role
from kg.models import (
    DEFAULT_MIN_CONFIDENCE,
    Article,
    Attribution,
    Corpus,
    Entity,
    Extraction,
    Link,
    Mention,
    Outlet,
    ResolvedArticle,
    ResolvedAttribution,
    ResolvedLink,
    ResolvedMention,
    Skipped,
    Span,
)
from kg.names import clean_name, strip_article
from kg.registry import (
    Gazetteer,
    GazetteerEntry,
    Registry,
    normalize_domain,
    registered_domain,
    slugify,
)

GENERIC_OUTLET_WORDS = re.compile(
    r"\s+(?:news\s+agency|agency|newspaper|website|web\s+site|site|service|channel|tv|"
    r"television|radio|portal|outlet|daily|magazine|publication|broadcaster)$",
    re.IGNORECASE,
)
SPELLING_VARIANTS = (("defense", "defence"), ("kiev", "kyiv"), ("organization", "organisation"))
# Plural head nouns of public bodies that end a name, by their singular (see `fold`).
BODY_PLURALS = {
    "ministries": "ministry", "governments": "government", "departments": "department",
    "agencies": "agency", "armies": "army", "militaries": "military",
    "parliaments": "parliament", "councils": "council", "commissions": "commission",
    "courts": "court",
}
BODY_PLURAL_END = re.compile(r"\b(" + "|".join(BODY_PLURALS) + r")$")
# A possessive "'s" inside a name, before its next word (see `fold`).
INNER_POSSESSIVE = re.compile(r"(?<=\w)['’]s(?=\s+\w)")


# --- article identity ------------------------------------------------------------------------


def normalize_url(url: str) -> str:
    """The form of a URL used to recognise the same article: scheme and host lowercased,
    "www." dropped, fragment and trailing slash removed."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = parts.path.rstrip("/")
    # http and https copies of a page are the same article.
    return urlunsplit(("", host, path, parts.query, ""))


def text_key(text: str) -> str:
    """A fingerprint of an article's text that ignores whitespace and case."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha1(folded.encode("utf-8", "surrogatepass")).hexdigest()


def article_id(article: Article) -> str:
    """Stable id: from the URL when there is one, else from the text (never from the path, so
    the same pile gives the same ids wherever it lives)."""
    basis = "url:" + normalize_url(article.url) if article.url else "text:" + text_key(article.text)
    return "article:" + hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _id_of(ex: Extraction) -> str:
    return ex.article_id or article_id(ex.article)


def outlet_of(article: Article, registry: Registry) -> tuple[str | None, Entity | None]:
    """The publisher of an article: its outlet id, and the entity to record for it (None when
    the registry's own record will do).

    In order: a canonical link to another site that the registry knows (MSN's copy of a CNN
    story is CNN's); the registry entry of the URL's domain (hand-made entries keep their
    name; an open-data entry takes the name the page gives its own site, "Live Science" rather
    than "livescience.com"); an outlet new to the registry, identified by the URL's
    registrable domain and named by the page (or by that domain); without a URL, the site name
    the input gives, looked up by name or domain. Never a copyright line, a headline or a URL
    as a name: ingest only passes on a site name that reads as one (`kg.publisher`).
    """
    url = article.url
    if url and article.canonical:
        home = registered_domain(url)
        if home and registered_domain(article.canonical) != home:
            original = registry.lookup_domain(article.canonical)
            if original is not None:
                return "outlet:" + original.id, None
    if url:
        outlet = registry.lookup_domain(url)
        if outlet is not None:
            site = _own_site_name(article, registry, outlet.id)
            if outlet.curated or not site or _same_name(site, outlet.name):
                return "outlet:" + outlet.id, None
            entity = registry_entity(registry, "outlet:" + outlet.id)
            aliases = tuple(sorted({outlet.name, *entity.aliases} - {site}))
            return entity.id, dataclasses.replace(entity, name=site, aliases=aliases)
    if article.site:
        site = article.site.strip()
        outlet = registry.lookup_name(site) or (
            registry.lookup_domain(site) if DOMAIN_RE.match(site) else None
        )
        if outlet is not None and not url:
            return "outlet:" + outlet.id, None
        if not url:
            entity = _new_outlet(site)
            return entity.id, entity
    if url:
        # The host (not the registrable domain) is the site: detroit.cbslocal.com and
        # dallas.cbslocal.com are two stations, blog.comwrap.com is not comwrap.com.
        domain = re.sub(r"^(?:m|mobile|amp)\.", "", normalize_domain(url))
        if domain:
            name = _own_site_name(article, registry, None) or domain
            entity = Entity(
                id="outlet:" + slugify(domain),
                type="outlet",
                name=name,
                aliases=(domain,) if name != domain else (),
                url=f"https://{domain}/",
                kind="outlet",
            )
            return entity.id, entity
    return None, None


def _own_site_name(article: Article, registry: Registry, outlet_id: str | None) -> str:
    """The site name the page gives, unless a hand-made registry entry gives that name to
    another outlet (an edition calling itself by its parent's brand, "Sky News" on
    skynews.com.au): two outlets are never shown under one hand-registered name. (An
    open-data name may be the same paper on a second domain: the San Antonio Express-News on
    mysanantonio.com and expressnews.com.)"""
    site = (article.site or "").strip()
    if site:
        named = registry.lookup_name(site)
        if named is not None and named.curated and named.id != outlet_id:
            return ""
    return site


def _same_name(a: str, b: str) -> bool:
    return re.sub(r"[\W_]+", "", a.casefold()) == re.sub(r"[\W_]+", "", b.casefold())


def _host(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _new_outlet(name: str, url: str | None = None) -> Entity:
    name = GENERIC_OUTLET_WORDS.sub("", strip_article(name.strip())).strip() or name
    if url is None and DOMAIN_RE.match(name):
        url = f"https://{name.lower()}/"
    return Entity(id="outlet:" + slugify(name.lower()), type="outlet", name=name, url=url,
                  kind="outlet")


def registry_entity(registry: Registry, outlet_id: str) -> Entity:
    outlet = registry.by_id(outlet_id.removeprefix("outlet:"))
    if outlet is None:
        raise KeyError(outlet_id)
    return Entity(
        id="outlet:" + outlet.id,
        type="outlet",
        name=outlet.name,
        aliases=tuple(sorted({*outlet.aliases, *outlet.display_aliases})),
        url=outlet.url,
        kind=outlet.kind,
        country=outlet.country,
        languages=outlet.languages,
        state_control=outlet.state_control,
        labels=outlet.labels,
        provenance=outlet.provenance,
    )


# --- entity names ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)
def fold(name: str) -> str:
    """Key under which spelling variants of one name meet. (Cached: every mention is folded
    when counted and again, several times, when resolved.)"""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    # The inner-possessive rule: "NASA's Office of the Inspector General" is the "NASA Office
    # of the Inspector General", as the body writes its own name; a possessive that ends the
    # name is part of it ("McDonald's", "Lowe's") and stays.
    text = INNER_POSSESSIVE.sub("", text)
    text = re.sub(r"[-‐‑–—_.’']", " ", text)
    for variant, canonical in SPELLING_VARIANTS:
        text = re.sub(rf"\b{variant}\b", canonical, text)
    # the plural of a body's head noun ending its name: "the Syrian defense ministries" (of a
    # coordination, `kg.speakers`) is the one "Syrian defense ministry"
    text = BODY_PLURAL_END.sub(lambda m: BODY_PLURALS[m.group(1)], text)
    return " ".join(text.split())


@dataclass
class NameTable:
    """Corpus-wide view of mention names, built before any id is handed out."""

    registry: Registry
    gazetteer: Gazetteer
    surfaces: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    types: dict[str, Counter[str]] = field(default_factory=dict)
    # `entity_for`'s answers that depend on the name alone (emptied when a name is added)
    generation: int = field(default=0, init=False, repr=False, compare=False)
    _memo: dict[tuple[str, str], tuple[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _canonical: dict[tuple[str, str, bool], tuple[Entity, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def add_mentions(self, mentions: Iterable[Mention]) -> None:
        for m in mentions:
            cleaned = clean_name(m.span.text)
            if cleaned:
                self.add(cleaned, m.type)

    def add(self, name: str, type_: str) -> None:
        if type_ == "person":
            name = person_name(name)
            if not looks_like_person(name) and any(
                w.casefold().strip(".,") in ORGANIZATION_WORDS for w in name.split()
            ):
                type_ = "organization"  # "Dick Clark Productions" tagged PERSON, counted so
        key = fold(name)
        self.generation += 1
        self._memo.clear()
        self._canonical.clear()
        self.types.setdefault(key, Counter())[type_] += 1
        self.surfaces.setdefault((key, type_), Counter())[name] += 1

    def for_article(self, mentions: Sequence[Mention], article: str) -> ArticleView:
        """This table seen from one article: its short name forms join its full names."""
        return ArticleView(self, ArticleNames.of(mentions), article)

    def gazetteer_entry(self, name: str) -> GazetteerEntry | None:
        """The gazetteer's entry for a name, respecting case where the gazetteer spells a name
        in capitals: "SWIFT" the banking network is not "Swift" the singer."""
        entry = self.gazetteer.lookup(name)
        if entry is None:
            return None
        forms = [f for f in (entry.name, *entry.aliases) if fold(f) == fold(name)]
        if forms and all(_acronym(f) for f in forms) and not _acronym(name):
            return None
        return entry

    def entity_for(
        self, name: str, type_: str, local: ArticleView | None = None
    ) -> Entity | None:
        """The canonical entity for one mention (None for names that are not entities).

        With `local` (the article's view), a short form of a person's name joins the article's
        full name ("Cook" → "Tim Cook"), a full name known as a person's stays a person, and a
        bare surname or first name that joins nothing is kept to its article: it never merges
        two articles' people. Titles are never part of a person's id.

        Only the article's own names are looked up afresh for each call; what follows from
        the name and the corpus-wide tables alone is computed once per name and type (the
        same names come back in article after article) until the table changes."""
        name = clean_name(name)
        if not name or name.casefold() in PRONOUNS or not any(ch.isalpha() for ch in name):
            return None
        if local is not None and type_ in ("person", "organization", "other", "place"):
            full = local.names.expand(name)
            if full is not None and (type_ == "person" or self.gazetteer_entry(name) is None
                                     and self.registry.lookup_name(name) is None):
                name, type_ = full, "person"
            elif local.names.is_full(name):
                name, type_ = local.names.canonical(person_name(name)), "person"
        memo = self._memo.get((name, type_))
        if memo is None:
            memo = self._memo[(name, type_)] = self._person_type(name, type_)
        name, type_ = memo
        if type_ == "organization" and local is not None:
            longer = local.names.organization(name)
            if longer is not None:
                name = longer  # "Big Machine" is "Big Machine Records" in this article
        key = (name, type_, local is not None)
        canonical = self._canonical.get(key)
        if canonical is None:
            canonical = self._canonical[key] = self._canonical_entity(*key)
        entity, scoped = canonical
        if scoped and local is not None:
            # A lone surname or first name that names no full name of its article: its own
            # node, never merged with another article's "Cook".
            return dataclasses.replace(entity, id=f"{entity.id}-{local.scope}")
        return entity

    def _person_type(self, name: str, type_: str) -> tuple[str, str]:
        """A person's name without titles; a "person" that is an organisation or an outlet."""
        if type_ != "person":
            return name, type_
        name = person_name(name)
        if not looks_like_person(name) and any(
            w.casefold().strip(".,") in ORGANIZATION_WORDS for w in name.split()
        ):
            return name, "organization"  # "Dick Clark Productions" tagged PERSON
        if not looks_like_person(name) and len(name.split()) > 1 and (
            self.registry.lookup_name(name) is not None
        ):
            return name, "outlet"  # "San Francisco Chronicle" tagged PERSON
        return name, type_

    def _canonical_entity(self, name: str, type_: str, local: bool) -> tuple[Entity, bool]:
        """The entity of a name of a type, and whether its id is kept to the article."""
        entry = self.gazetteer_entry(name)
        if entry is not None:
            return Entity(id=entry.id, type=entry.type, name=entry.name,
                          aliases=tuple(sorted(entry.aliases))), False
        if type_ in ("organization", "place", "other", "outlet"):
            outlet = self.registry.lookup_name(name)
            if outlet is not None:
                return registry_entity(self.registry, "outlet:" + outlet.id), False
        key = fold(name)
        majority = "person" if type_ == "person" and local else (
            self._majority_type(key, type_))
        canonical = self._best_surface(key, majority) or name
        slug = slugify(fold(canonical))
        scoped = majority == "person" and len(key.split()) == 1 and local
        return Entity(id=f"{majority}:{slug}", type=majority, name=canonical), scoped

    def _majority_type(self, key: str, fallback: str) -> str:
        counts = self.types.get(key)
        if not counts:
            return fallback
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def _best_surface(self, key: str, type_: str) -> str:
        counts = self.surfaces.get((key, type_))
        if not counts:
            return ""
        # Most frequent spelling; ties go to the one with capitals and hyphens kept, then sorted.
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _acronym(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


@dataclass(frozen=True)
class ArticleView:
    """The corpus-wide name table as one article sees it (what `_resolve_source` reads)."""

    table: NameTable
    names: ArticleNames
    article: str

    @property
    def scope(self) -> str:
        """A short, stable tag of the article for the ids of names that stay in it."""
        return self.article.removeprefix("article:")[:8]

    @property
    def registry(self) -> Registry:
        return self.table.registry

    # This article's answers by name and type (its sources name the people and bodies of its
    # mentions again), with the table's generation they were given in.
    _memo: dict[tuple[str, str], tuple[int, Entity | None]] = field(
        default_factory=dict, repr=False, compare=False)

    def entity_for(self, name: str, type_: str) -> Entity | None:
        known = self._memo.get((name, type_))
        if known is not None and known[0] == self.table.generation:
            return known[1]
        entity = self.table.entity_for(name, type_, self)
        self._memo[(name, type_)] = (self.table.generation, entity)
        return entity


# --- the stage -------------------------------------------------------------------------------


def resolve(
    extractions: Sequence[Extraction],
    registry: Registry,
    gazetteer: Gazetteer,
    *,
    skipped: Iterable[Skipped] = (),
    merged: dict[str, tuple[str, ...]] | None = None,
    copies: dict[str, tuple[str, ...]] | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> Corpus:
    """Resolve every extraction; `merged` maps an article id to the other inputs that held the
    same article, `copies` an article id to the ids of syndicated copies (from the pipeline's
    de-duplication). The whole corpus in memory: `kg build` uses `NameTable` and `Resolver`
    directly to resolve one spooled article at a time."""
    names = NameTable(registry, gazetteer)
    for ex in extractions:
        names.add_mentions(ex.mentions)
    urls = {normalize_url(ex.article.url): _id_of(ex) for ex in extractions if ex.article.url}
    resolver = Resolver(registry, names, urls, merged or {}, copies or {},
                        min_confidence=min_confidence)
    articles = [resolver.article(ex) for ex in extractions]
    return Corpus(
        articles=tuple(sorted(articles, key=lambda a: a.id)),
        entities=tuple(sorted(resolver.entities.values(), key=lambda e: e.id)),
        skipped=tuple(skipped),
        merged=tuple(sorted((merged or {}).items())),
    )


class Resolver:
    """Resolves one extraction at a time, once the corpus-wide name table is complete.

    `urls` maps every corpus article's normalised URL to its id (links between articles),
    `merged` and `copies` come from de-duplication. `entities` collects every entity handed
    out so far; resolving the same extraction again gives the same record. Attributions whose
    confidence reaches `min_confidence` are graph edges (`ResolvedAttribution.edge`).
    """

    def __init__(
        self,
        registry: Registry,
        names: NameTable,
        urls: Mapping[str, str],
        merged: Mapping[str, tuple[str, ...]],
        copies: Mapping[str, tuple[str, ...]],
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> None:
        self.min_confidence = min_confidence
        self.registry = registry
        self.names = names
        self.urls = urls
        self.merged = merged
        self.copies = copies
        self.entities: dict[str, Entity] = {}

    def article(self, ex: Extraction) -> ResolvedArticle:
        art = _resolve_article(
            ex, self.registry, self.names, self.entities, self.urls, self.merged, self.copies
        )
        return dataclasses.replace(art, attributions=tuple(
            dataclasses.replace(ra, edge=ra.attribution.confidence >= self.min_confidence)
            for ra in art.attributions
        ))


def _remember_publisher(entities: dict[str, Entity], entity: Entity, registry: Registry) -> None:
    """A publisher named by its own pages replaces the registry's default record of it (the
    first page, in id order, names it); otherwise the first record stays."""
    existing = entities.get(entity.id)
    default = registry.by_id(entity.id.removeprefix("outlet:"))
    if existing is None or (default is not None and existing.name == default.name):
        entities[entity.id] = entity


def _remember(entities: dict[str, Entity], entity: Entity) -> str:
    existing = entities.get(entity.id)
    if existing is None or (entity.affiliation and not existing.affiliation):
        entities[entity.id] = entity
    return entity.id


def _resolve_article(
    ex: Extraction,
    registry: Registry,
    names: NameTable,
    entities: dict[str, Entity],
    url_index: Mapping[str, str],
    merged: Mapping[str, tuple[str, ...]],
    copies: Mapping[str, tuple[str, ...]],
) -> ResolvedArticle:
    art = ex.article
    aid = _id_of(ex)
    outlet_id, new_outlet = outlet_of(art, registry)
    if new_outlet is not None:
        _remember_publisher(entities, new_outlet, registry)
    elif outlet_id is not None:
        _remember(entities, registry_entity(registry, outlet_id))

    based_on_id = None
    if art.based_on:
        wire = registry.lookup_name(art.based_on)
        if wire is not None and "outlet:" + wire.id != outlet_id:
            based_on_id = _remember(entities, registry_entity(registry, "outlet:" + wire.id))

    view = names.for_article(ex.mentions, aid)
    mentions: list[ResolvedMention] = []
    for m in ex.mentions:
        entity = view.entity_for(m.span.text, m.type)
        if entity is not None:
            mentions.append(ResolvedMention(m, _remember(entities, entity)))

    index = MentionIndex(ex.mentions)
    attributions: list[ResolvedAttribution] = []
    roundup = _credits_outlets(ex.attributions, registry)
    for at in ex.attributions:
        if at.kind == "hyperlink":
            attributions.append(ResolvedAttribution(at, None))
            continue
        # An implicit source ("It is said that ...") names no one to resolve.
        source_id = None if at.implicit else _resolve_speaker(
            at, index, registry, view, entities
        )
        via_id = None
        if at.via is not None:
            via_id = _resolve_source(at.via, "unknown", index, registry, view, entities)
        if at.rule == "credit.bracket" and not (source_id or "").startswith("outlet:"):
            # "[VIDEO]", "[INSIGHT]", "[Rukban]": only an outlet is credited in brackets; in a
            # list that credits registered outlets so, another name is one too.
            source_id = None
            if roundup and _credit_name(at.source.text):
                name = " ".join(at.source.text.split())  # as credited: "Acme Daily"
                source_id = _remember(entities, Entity(
                    id="outlet:" + slugify(name.lower()), type="outlet", name=name,
                    kind="outlet"))
        # An outlet naming itself ("NBC News reported", "as Gizmodo recently explained") cites
        # its own earlier reporting: the article cites its outlet (the outlet-level graph
        # draws no loop for it).
        if source_id is not None and source_id.startswith("place:"):
            source_id, at = _place_source(source_id, at, view, entities)
        attributions.append(ResolvedAttribution(at, source_id, via_id))

    links: list[ResolvedLink] = []
    by_offsets: dict[tuple[int | None, int | None], tuple[str | None, str]] = {}
    for link in art.links:
        resolved = _resolve_link(link, art.url, registry, url_index, entities)
        links.append(resolved)
        target = resolved.article_id or resolved.outlet_id
        if resolved.role is not None or target in (aid, outlet_id):
            target = None
        by_offsets.setdefault((link.start, link.end), (target, link.url))
    attributions = _merge_links(attributions, by_offsets, outlet_id)

    return ResolvedArticle(
        id=aid,
        article=art,
        outlet_id=outlet_id,
        attributions=tuple(attributions),
        mentions=tuple(mentions),
        links=tuple(links),
        merged_paths=merged.get(aid, ()),
        copy_of=copies.get(aid, ()),
        based_on_id=based_on_id,
    )


def _resolve_link(
    link: Link,
    page_url: str | None,
    registry: Registry,
    url_index: Mapping[str, str],
    entities: dict[str, Entity],
) -> ResolvedLink:
    """What a link points at: a corpus article, a registry outlet by registered domain, or an
    outlet discovered under the rules of textual discovery (the anchor is the domain name, or
    "the X newspaper/agency/website"); and why it is no citation, if it is none."""
    role = link_role(link.url, page_url)
    target_article = url_index.get(normalize_url(link.url))
    known = registry.lookup_domain(link.url)
    outlet_id: str | None = None
    if known is not None:
        outlet_id = _remember(entities, registry_entity(registry, "outlet:" + known.id))
    elif role is None and not is_platform(normalize_domain(link.url)):
        # A video or post on a platform may be cited, but the platform is no outlet.
        anchor = clean_name(link.text)
        host = normalize_domain(link.url)
        named = _named_outlet(anchor) if anchor else None
        if anchor and DOMAIN_RE.match(anchor) and normalize_domain(anchor) in (
            host, registered_domain(link.url)
        ):
            outlet_id = _remember(entities, _new_outlet(anchor.lower()))
        elif named is not None:
            entity = _new_outlet(named)
            outlet_id = _remember(entities, dataclasses.replace(entity, url=f"https://{host}/"))
    return ResolvedLink(link, outlet_id, target_article, role)


def _merge_links(
    attributions: list[ResolvedAttribution],
    by_offsets: Mapping[tuple[int | None, int | None], tuple[str | None, str]],
    outlet_id: str | None,
) -> list[ResolvedAttribution]:
    """Hyperlink attributions cite what their URL points at; a link inside the sentence of a
    textual attribution of the same source, or inside its unresolved source span ("according to
    <a>the report</a>"), is merged into it: one citation, with the link as evidence."""
    kept: dict[int, ResolvedAttribution] = {}
    textual = [ra for ra in attributions if ra.attribution.kind != "hyperlink"]
    merged: dict[int, ResolvedAttribution] = {id(ra): ra for ra in textual}
    for ra in attributions:
        at = ra.attribution
        if at.kind != "hyperlink":
            continue
        target, url = by_offsets.get((at.cue.start, at.cue.end), (None, ""))
        host = None
        for other in textual:
            ot = other.attribution
            if not (ot.sentence.start <= at.cue.start and at.cue.end <= ot.sentence.end):
                continue
            current = merged[id(other)]
            inside = ot.source.start <= at.cue.start and at.cue.end <= ot.source.end
            if target is not None and current.source_id == target:
                host = other
            elif target is not None and inside and current.source_id is None and not ot.implicit:
                host = other
            elif target is None and inside:
                host = other  # a share or profile link on the source's name: evidence only
            if host is not None:
                merged[id(other)] = dataclasses.replace(
                    current, source_id=current.source_id or target, link=current.link or url
                )
                break
        if host is None:
            kept[id(ra)] = ResolvedAttribution(at, target, link=url or None)
    return [
        merged[id(ra)] if id(ra) in merged else kept[id(ra)]
        for ra in attributions
        if id(ra) in merged or id(ra) in kept
    ]


# A place as a source stands for its government when it speaks with a verb of public statement
# ("China said", "The UK has urged": `_government_voice`, an organisation node); otherwise it is
# the writer's shorthand for a position ("Beijing is balking", "the US and China could agree"):
# below the graph's default threshold.
CONFIDENCE_PLACE = 0.45



def _place_source(place_id: str, at: Attribution, names: Names,
                  entities: dict[str, Entity]) -> tuple[str, Attribution]:
    """A place as a source: its government speaking, or a shorthand below the threshold."""
    if _government_voice(at):
        return _government_of(place_id, at, names, entities)
    return place_id, dataclasses.replace(at, confidence=min(at.confidence, CONFIDENCE_PLACE))


def _government_voice(at: Attribution) -> bool:
    """A place that speaks with a verb of public statement ("Austria argued that ...", "The UK
    has urged ...", "according to Russia") is its government speaking; the rule is named
    `place.government` in the attribution's speaker."""
    # A subject shared with a participle is often the wrong one ("Pompeo said that Washington
    # had concluded ..., saying ..."): only the verb's own subject (or a conjunct's) speaks so.
    if "participle" in at.source_rule:
        return False
    words = at.cue.text.casefold().split()
    return bool(words) and words[-1 if words[0] != "according" else 0] in GOVERNMENT_VOICE_VERBS


def _government_of(place_id: str, at: Attribution, names: Names,
                   entities: dict[str, Entity]) -> tuple[str, Attribution]:
    """The organisation a speaking place stands for: the organisation the article names so
    ("Alden" → "Alden Global Capital"), else an organisation node of the place's name (the
    graph cites the government, not the territory); its speaker rule is `place.government`."""
    place = entities[place_id]
    known = names.entity_for(place.name, "organization")
    if known is not None and known.type == "organization":
        org = _remember(entities, known)
    else:
        org = _remember(entities, Entity(
            id="organization:" + place_id.partition(":")[2], type="organization",
            name=place.name, aliases=place.aliases, country=place.country))
    speaker = at.speaker
    if speaker is not None:
        speaker = dataclasses.replace(speaker, type="organization", rule="place.government")
    return org, dataclasses.replace(at, speaker=speaker, source_kind="organization")


# The name table a source is resolved against: the corpus's, or one article's view of it.
Names = NameTable | ArticleView

# The sieve's rules that name the journal a study was published in (`kg.speakers`).
JOURNAL_RULES = frozenset({"head.published-in", "nominal.journal"})

# Source kinds for the mention type of a speaker the sieve found.
SPEAKER_KINDS = {"person": "person", "organization": "organization", "other": "unknown",
                 "place": "unknown"}


def _resolve_speaker(
    at: Attribution,
    mentions: Sequence[Mention],
    registry: Registry,
    names: Names,
    entities: dict[str, Entity],
) -> str | None:
    """The source's node: the speaker the sieve (`kg.speakers`) chose, when it ran and decided;
    else the source span as it reads."""
    sp = at.speaker
    if sp is None:
        return _resolve_source(at.source, at.source_kind, mentions, registry, names, entities)
    if sp.span is None:
        return None
    outlet = _outlet_with_the(at.source, sp.span, registry)
    if outlet is not None:
        return _remember(entities, registry_entity(registry, "outlet:" + outlet.id))
    if sp.rule == "nominal.organization":
        # "the company" points back to a company, not to the agency that reported on it
        # ("... told Reuters. The company said ...").
        entity = names.entity_for(sp.span.text, sp.type)
        if entity is None or entity.type == "outlet":
            return None
    if sp.rule == "head.spokesperson":
        # An unnamed spokesperson speaks for a body; one speaking for a person ("a spokeswoman
        # for Neumann", the name tagged as an organisation) names no source.
        entity = names.entity_for(sp.span.text, sp.type)
        if entity is None or entity.type == "person":
            return None
    if sp.type == "organization" and (sp.rule in JOURNAL_RULES or not any(
        m.span == sp.span for m in _mentions_in(sp.span, mentions)
    )):
        # A body named by a whole phrase ("the Trump administration", "China's commerce
        # ministry"), not by the person or place inside it.
        outlet = registry.lookup_name(clean_name(sp.span.text))
        if outlet is not None:
            return _remember(entities, registry_entity(registry, "outlet:" + outlet.id))
        entity = names.entity_for(sp.span.text, "organization")
        if sp.rule in JOURNAL_RULES and entity is not None and entity.type == "person" and (
            isinstance(names, ArticleView)
        ):
            # The journal a study was published in is no person of the article: "BMJ Case
            # Reports" is not "Case Reports" with an acronym before a first name (whether the
            # model tagged the whole name as a person or cut it short).
            entity = names.table.entity_for(sp.span.text, "organization")
        return _remember(entities, entity) if entity else None
    if sp.type == "person":
        # The person the sieve named, by the speaker's own words (a mention the model cut
        # short, "Cheuk Hau" of "Cheuk Hau-yip", is read whole), with the organisation named
        # beside them in the source ("Open Nuclear Network analyst Jevu Shin").
        person = names.entity_for(sp.span.text, "person")
        if person is None:
            return None
        if person.type == "person":
            inside = _mentions_in(at.source, mentions)
            speaker = Mention(sp.span, "person")
            affiliation = _affiliation(inside, speaker, names, entities)
            if affiliation and affiliation != person.id:
                person = dataclasses.replace(person, affiliation=affiliation)
        return _remember(entities, person)
    return _resolve_source(sp.span, SPEAKER_KINDS.get(sp.type, "unknown"), mentions, registry,
                           names, entities)


class MentionIndex(Sequence[Mention]):
    """An article's mentions in their order, with look-ups by offset in O(log n + k): an
    article dense with attributions (tens of thousands, each looking up its source's
    mentions) made the linear scans quadratic (a 3.2 MB page ran for over 14 minutes)."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self._items = tuple(mentions)
        self._by_start = sorted(range(len(self._items)), key=lambda i: self._items[i].span.start)
        self._starts = [self._items[i].span.start for i in self._by_start]
        self._by_end = sorted(range(len(self._items)), key=lambda i: self._items[i].span.end)
        self._ends = [self._items[i].span.end for i in self._by_end]

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        return self._items[index]

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions with start <= m.start and m.end <= end, in their order."""
        lo, hi = bisect_left(self._starts, start), bisect_right(self._starts, end)
        hits = sorted(i for i in self._by_start[lo:hi] if self._items[i].span.end <= end)
        return [self._items[i] for i in hits]

    def ending_in(self, start: int, end: int) -> list[Mention]:
        """Mentions with start < m.end <= end, in their order."""
        lo, hi = bisect_right(self._ends, start), bisect_right(self._ends, end)
        return [self._items[i] for i in sorted(self._by_end[lo:hi])]


def _mentions_in(span: Span, mentions: Sequence[Mention]) -> list[Mention]:
    if isinstance(mentions, MentionIndex):
        return mentions.within(span.start, span.end)
    return [m for m in mentions if span.start <= m.span.start and m.span.end <= span.end]


# Complexity over the limit, kept: the resolution order of a source, one branch per step.
def _resolve_source(  # noqa: C901
    span: Span,
    kind: str,
    mentions: Sequence[Mention],
    registry: Registry,
    names: Names,
    entities: dict[str, Entity],
) -> str | None:
    """Canonical id of a source span, or None when it names no one ("officials", "reports")."""
    words = span.text.strip()
    if words.casefold() in PRONOUNS:
        antecedent = _antecedent(span, words.casefold(), mentions)
        if antecedent is None:
            return None
        span, kind = antecedent.span, antecedent.type
        words = span.text
    inside = _mentions_in(span, mentions)

    # 1. Outlets: the registry, a domain name, or "the X newspaper/agency/website".
    outlet = _outlet_for(words, inside, registry)
    if outlet is not None:
        return _remember(entities, registry_entity(registry, "outlet:" + outlet.id))
    bare = clean_name(words)
    if DOMAIN_RE.match(bare):
        return _remember(entities, _new_outlet(bare.lower()))
    if kind == "outlet" and not any(m.type == "person" for m in inside):
        named = _named_outlet(bare)
        if named is not None:
            return _remember(entities, _new_outlet(named))

    # 2. People, with the organisation named beside them.
    persons = [m for m in inside if m.type == "person"]
    if persons:
        person = names.entity_for(persons[-1].span.text, "person")
        if person is None:
            return None
        if person.type != "person":
            return _remember(entities, person)
        affiliation = _affiliation(inside, persons[-1], names, entities)
        if affiliation:
            person = Entity(id=person.id, type=person.type, name=person.name,
                            aliases=person.aliases, affiliation=affiliation)
        return _remember(entities, person)

    # 3. Organisations and other named sources. A document speaks for whoever it is from
    # ("data from Flightradar24", "a statement by the Kremlin"); unnamed sources stay unnamed.
    if kind == "document":
        owner = _document_owner(span, inside)
        if owner is None:
            return None
        return _resolve_source(owner.span, owner.type, mentions, registry, names, entities)
    if kind == "unnamed":
        return None
    orgs = [m for m in inside if m.type in ("organization", "other")]
    if orgs and _covers_head(orgs[0], span):
        entity = names.entity_for(orgs[0].span.text, orgs[0].type)
        return _remember(entities, entity) if entity else None
    if kind == "organization" and _single_name(bare):
        entity = names.entity_for(bare, "organization")
        return _remember(entities, entity) if entity else None
    if kind in ("person", "unknown") and inside:
        entity = names.entity_for(inside[0].span.text, inside[0].type)
        return _remember(entities, entity) if entity else None
    if kind in ("person", "unknown") and not inside:
        full = _untagged_surname(bare, names)
        if full is not None:
            entity = names.entity_for(full, "person")
            return _remember(entities, entity) if entity else None
    return None


def _untagged_surname(bare: str, names: Names) -> str | None:
    """The untagged surname rule: '"Is that so?" Hale asked.' where the model tagged no name,
    and "Hale" is the last name of one full name of the article ("Senator Tom Hale"): that
    person. A first name, an acronym or a word two full names share names no one."""
    words = bare.split()
    if len(words) != 1 or not words[0][:1].isupper() or words[0].isupper():
        return None
    if not isinstance(names, ArticleView):
        return None
    key = name_words(person_name(words[0]))
    fulls = names.names.by_last.get(key[0], set()) if len(key) == 1 else set()
    return names.names.full[next(iter(fulls))] if len(fulls) == 1 else None


def _outlet_with_the(source: Span, speaker: Span, registry: Registry) -> Outlet | None:
    """The outlet-with-its-"The" rule: "The Wrap's report claims ..." where the model tagged
    "Wrap" alone: an outlet whose registered name keeps its "The" ("The Wrap", "The Hill")
    is named when the source has "The" right before the speaker's name and the name alone is
    no registered outlet."""
    at = speaker.start - source.start
    if at < 4 or source.text[at - 4 : at] not in ("The ", "the "):
        return None
    if registry.lookup_name(speaker.text) is not None:
        return None
    return registry.lookup_name("The " + speaker.text)


def _credits_outlets(attributions: Sequence[Attribution], registry: Registry) -> bool:
    """The bracket-roundup rule: an article that credits two or more registered outlets in
    brackets ("Stadia reviews [Engadget]", "... [Wired]") is a list of outlets' reports."""
    found = set()
    for at in attributions:
        if at.rule == "credit.bracket":
            outlet = registry.lookup_name(clean_name(at.source.text))
            if outlet is not None:
                found.add(outlet.id)
    return len(found) >= 2


def _credit_name(text: str) -> bool:
    """A name an outlet could go by: one to four capitalised words, not all in capitals (a
    label: "[VIDEO]", "[INSIGHT]"), no digits, no page label ("[Video]", "[Update]")."""
    words = text.split()
    return (
        0 < len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not text.isupper()
        and not any(ch.isdigit() for ch in text)
        and text.strip().casefold() not in BRACKET_LABELS
    )


def _document_owner(span: Span, inside: Sequence[Mention]) -> Mention | None:
    """The named author in "data from X", "a report by X", "a statement of X"."""
    for m in inside:
        before = span.text[: m.span.start - span.start].rstrip().lower()
        if before.endswith((" from", " by", " of")) and m.type != "place":
            return m
    return None


def _single_name(text: str) -> bool:
    """A short capitalised name, not a coordination ("Neither Moscow nor Pyongyang")."""
    words = text.split()
    return (
        0 < len(words) <= 5
        and any(ch.isupper() for ch in text)
        and not {"and", "or", "nor", "neither", "both", "&"} & {w.lower() for w in words}
    )


def _covers_head(mention: Mention, span: Span) -> bool:
    """The organisation is the source itself, not a modifier ("UN officials" is unnamed)."""
    tail = span.text[mention.span.end - span.start :].strip(" ,")
    return not tail or tail[0] == ","


def _outlet_for(words: str, inside: Sequence[Mention], registry: Registry) -> Outlet | None:
    bare = clean_name(words)
    # The text as written first: the registry knows which names keep their "the" ("The Wrap",
    # "The Hill": "Wrap" or "Hill" alone are no outlet), and cleaning drops it.
    outlet = registry.lookup_name(words) or registry.lookup_name(bare)
    if outlet is None and DOMAIN_RE.match(bare):
        outlet = registry.lookup_domain(bare)
    if outlet is None:
        # "NK News, a website specialising in ..." – the named part before an apposition.
        head = bare.split(",")[0].strip()
        outlet = registry.lookup_name(head) if head != bare else None
    if outlet is None:
        for m in inside:
            if m.type in ("organization", "other", "place") and m.span.start == _first_start(
                inside
            ):
                candidate = registry.lookup_name(clean_name(m.span.text))
                if candidate is not None and _is_outlet_phrase(bare, m.span.text):
                    outlet = candidate
                    break
    return outlet


def _first_start(inside: Sequence[Mention]) -> int:
    return min(m.span.start for m in inside)


def _is_outlet_phrase(phrase: str, name: str) -> bool:
    """"Bloomberg" or "the Bloomberg agency" name the outlet; "Bloomberg reporters" and
    "a Reuters correspondent" name people working for it, who are cited as the outlet too."""
    rest = clean_name(phrase)[len(clean_name(name)) :].strip(" ,").lower()
    if not rest:
        return True
    first = rest.split()[0]
    return first in OUTLET_HEADS or first in (
        "news", "reporters", "reporter", "correspondent", "correspondents", "journalists",
        "journalist", "editor", "editors", "columnist", "analysis", "report", "investigation",
    )


def _named_outlet(phrase: str) -> str | None:
    """"the Kommersant newspaper" → "Kommersant"; None unless a capitalised name is left."""
    name = GENERIC_OUTLET_WORDS.sub("", phrase).strip()
    if name and name != phrase and name[0].isupper():
        return name
    return None


def _affiliation(
    inside: Sequence[Mention], person: Mention, names: Names, entities: dict[str, Entity]
) -> str | None:
    for m in inside:
        if m is person or m.type not in ("organization",):
            continue
        entity = names.entity_for(m.span.text, m.type)
        if entity is not None:
            return _remember(entities, entity)
    return None


def _antecedent(span: Span, pronoun: str, mentions: Sequence[Mention]) -> Mention | None:
    """The named person a he/she refers to: the closest person mentioned before it, within the
    preceding few sentences. Other pronouns are left unresolved rather than guessed."""
    if pronoun not in PERSON_PRONOUNS:
        return None
    near = (mentions.ending_in(span.start - 600, span.start)
            if isinstance(mentions, MentionIndex) else mentions)
    before = [m for m in near if m.type == "person" and m.span.end <= span.start
              and span.start - m.span.end < 600]
    return before[-1] if before else None
