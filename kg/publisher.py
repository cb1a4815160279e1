"""Who published a page: its address and its site's name, from what the page says about itself.

Part of ingest (pure functions over the HTML text; no network). A saved page often has no URL
of its own (a researcher's folder of "Save as…" files), but the page names itself in several
places, read here in this order of trust:

URL of the page (`PageMeta.url`)
  1. the comment browsers write when saving (``<!-- saved from url=(0042)https://… -->``) or
     SingleFile's header comment (``url: https://…``): where the file was actually saved from;
  2. ``<link rel="canonical">``; 3. ``<meta property="og:url">``; 4. JSON-LD ``url`` /
     ``mainEntityOfPage`` of the article.
Name of the site (`PageMeta.site_names`, best first)
  ``og:site_name``, JSON-LD ``publisher.name`` and the names of its ``Organization`` records,
  the web-app names (``application-name``, ``apple-mobile-web-app-title``),
  then the parts of the ``<title>`` around its separators ("Headline | Site", "Site: Headline").
What the page says of itself (`PageMeta.self_texts`)
  the page's description (``description``, ``og:description``) and its JSON-LD authors: where a
  site's name is written out when no tag gives it ("Practical Horseman's top picks …").

`site_name(meta, host)` picks the name to show: a candidate is taken only when it reads as a
name (never a copyright line, a date, a URL, a tagline or the headline) and, when the page's
host is known, only when it agrees with the host ("Live Science" for livescience.com, not a
slogan). Among candidates that agree, the one the host spells exactly wins ("The Real Deal" for
therealdeal.com over "The Real Deal New York", the name of an edition). Words the host does not
carry are trimmed from the end ("Healthline Media" → "Healthline", "pv magazine International" →
"pv magazine"); a name ending in a top-level domain loses it when the host agrees
("CBSSports.com" → "CBSSports"). When no candidate agrees, the host's own name as the page
writes it out ("Practical Horseman" for practicalhorsemanmag.com) comes before an og:site_name
that disagrees with the host.

`wire_of(text, byline)` says which wire agency a story is from when its dateline or byline
says so ("WASHINGTON (AP) —", "(Reuters) -", "By The Associated Press"): the host stays the
publisher and the wire becomes `schema:isBasedOn`.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from kg.registry import registered_domain

__all__ = ["PageMeta", "page_meta", "site_name", "wire_of"]

_HEAD_LIMIT = 400_000  # metadata sits near the top; JSON-LD sometimes further down

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_SINGLEFILE = re.compile(
    r"<!--\s*Page saved with SingleFile\s.*?^\s*url:\s*(\S+)", re.IGNORECASE | re.DOTALL | re.M
)
_TAG = re.compile(r"<(meta|link)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_JSON_LD = re.compile(
    r"""<script\b[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>""",
    re.IGNORECASE | re.DOTALL,
)
_TITLE_SEPARATORS = re.compile(r"\s+[|•·–—-]\s+|\s*\|\s*|:\s+")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page says about itself."""

    saved_from: str | None = None  # browser "saved from" or SingleFile header
    canonical: str | None = None
    og_url: str | None = None
    ld_url: str | None = None
    # (where, name), best first; where is "og", "jsonld", "app" or "title-last"/"title-first"
    site_names: tuple[tuple[str, str], ...] = ()
    title: str | None = None
    # what the page says of itself (description, og:description, JSON-LD authors)
    self_texts: tuple[str, ...] = ()

    @property
    def url(self) -> str | None:
        """The page's own address, best source first (see the module docstring)."""
        for candidate in (self.saved_from, self.canonical, self.og_url, self.ld_url):
            if candidate:
                return candidate
        return None


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) or m.group(3) or m.group(4) or ""
        out.setdefault(m.group(1).lower(), html_lib.unescape(value))
    return out


def _http(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL, or None."""
    if not url:
        return None
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "itemListElement"):
            yield from _ld_objects(value.get(key))
    elif isinstance(value, list):
        for item in value[:200]:
            yield from _ld_objects(item)


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|WebPage", re.IGNORECASE)
_ORGANIZATION_TYPES = re.compile(r"Organi[sz]ation|Corporation", re.IGNORECASE)
# Meta tags that name the site as a web app (the names of its store apps, "NYTimes", are
# abbreviations and not read).
_APP_NAME_KEYS = ("application-name", "apple-mobile-web-app-title")
_DESCRIPTION_KEYS = ("description", "og:description")


# Complexity over the limit, kept: one pass over the head's meta tags, one branch per tag kind.
def page_meta(html: str) -> PageMeta:  # noqa: C901
    """Read a page's address and site names from its markup (never raises on bad markup)."""
    head = html[:_HEAD_LIMIT]
    saved = _SAVED_FROM.search(head[:4000]) or _SINGLEFILE.search(head[:4000])
    saved_from = _http(saved.group(1)) if saved else None
    canonical = og_url = None
    og_site = None
    app_names: list[str] = []
    self_texts: list[str] = []
    for m in _TAG.finditer(head):
        attrs = _attrs(m.group(2))
        if m.group(1).lower() == "link":
            rels = attrs.get("rel", "").lower().split()
            if "canonical" in rels and canonical is None:
                canonical = attrs.get("href")
            continue
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        content = attrs.get("content", "").strip()
        if not content:
            continue
        if key == "og:url" and og_url is None:
            og_url = content
        elif key == "og:site_name" and og_site is None:
            og_site = content
        elif key in _APP_NAME_KEYS and content not in app_names:
            app_names.append(content)
        elif key in _DESCRIPTION_KEYS and content not in self_texts:
            self_texts.append(content[:300])
    ld_url = None
    publishers: list[str] = []
    for m in _JSON_LD.finditer(head):
        try:
            data = json.loads(m.group(1).strip().strip(";"))
        except (ValueError, RecursionError):
            continue
        for obj in _ld_objects(data):
            kind = obj.get("@type")
            kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            name = _ld_name(obj.get("publisher"))
            if name and name not in publishers:
                publishers.append(name)
            if _ORGANIZATION_TYPES.search(kinds):
                name = _ld_name(obj)
                if name and name not in publishers:
                    publishers.append(name)
            elif _ARTICLE_TYPES.search(kinds):
                author = _ld_name(obj.get("author"))
                if author and author not in self_texts:
                    self_texts.append(author[:300])
            if ld_url is None and _ARTICLE_TYPES.search(kinds):
                page = obj.get("mainEntityOfPage")
                if isinstance(page, dict):
                    page = page.get("@id") or page.get("url")
                for candidate in (obj.get("url"), page):
                    if isinstance(candidate, str) and _http(candidate):
                        ld_url = candidate
                        break
    base = _http(og_url) or _http(canonical) or saved_from
    title_match = _TITLE.search(head)
    title = " ".join(html_lib.unescape(title_match.group(1)).split()) if title_match else None
    names: list[tuple[str, str]] = []
    if og_site:
        names.append(("og", og_site))
    names += [("jsonld", n) for n in publishers]
    names += [("app", n) for n in app_names]
    if title:
        parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
        if len(parts) > 1:
            names += [("title-last", parts[-1]), ("title-first", parts[0])]
    seen: list[tuple[str, str]] = []
    for where, name in names:
        name = " ".join(html_lib.unescape(name).split())
        if name and (where, name) not in seen:
            seen.append((where, name))
    return PageMeta(
        saved_from=saved_from,
        canonical=_http(canonical, base),
        og_url=_http(og_url, base),
        ld_url=_http(ld_url, base),
        site_names=tuple(seen),
        title=title or None,
        self_texts=tuple(" ".join(html_lib.unescape(t).split()) for t in self_texts[:6]),
    )


# --- choosing a site name ---------------------------------------------------------------------

_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
_DATE_LIKE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d\d-\d\d-\d\d\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d\b",
    re.IGNORECASE,
)
_URLISH = re.compile(r"^(?:https?:|//|www\.)|\w\.[a-z]{2,}/\S", re.IGNORECASE)
# A slogan rather than a name ("Expert how-to for English Riders", "Your source for ...").
_TAGLINE = re.compile(
    r"\b(?:for|your|you|how|how-to|best|latest|breaking|everything|since)\b|[!?]", re.IGNORECASE
)
# Words a site's name may carry that its host does not ("Beachbody Blog", "Healthline Media").
_GENERIC_TAIL = frozenset(
    "blog media international online inc ltd llc group digital website site official".split()
)
_TLD_END = re.compile(
    r"\.(?:com|org|net|info|co|io|tv|news|[a-z]{2})(?:\.[a-z]{2})?$", re.IGNORECASE
)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", re.sub(r"^the\s+", "", text.casefold()))


def _plain_name(text: str) -> str | None:
    """The candidate cleaned up, or None when it does not read as a site's name."""
    name = text.strip().strip("_-|:·•").strip()
    if name.lower().startswith("www.") and " " not in name:
        name = name[4:]
    if not name or len(name) > 60 or len(name.split()) > 6:
        return None
    if _COPYRIGHT.search(name) or _DATE_LIKE.search(name) or _URLISH.search(name):
        return None
    if name.endswith((".", "!", "?")) and not _TLD_END.search(name):
        return None
    if not any(ch.isalpha() for ch in name):
        return None
    return name


def _host_key(host: str) -> str:
    """The part of a host a site's name repeats: the host without its public suffix
    ("blog.comwrap.com" → "blogcomwrap", "jaraguadosul.sc.gov.br" → "jaraguadosul")."""
    host = host.lower().removeprefix("www.")
    registered = registered_domain(host)
    if registered and "." in registered and host.endswith(registered):
        suffix = registered.split(".", 1)[1]
        labels = host[: -len(suffix) - 1].split(".")
    else:  # an IP address or a bare name: the last label stands for the suffix
        labels = host.split(".")[:-1] or [host]
    return "".join(re.sub(r"[\W_]+", "", label) for label in labels)


def _agrees(name: str, host_key: str) -> bool:
    key = _key(name)
    if not key or not host_key:
        return False
    if key in host_key or host_key in key:
        return len(key) >= 3 or key == host_key
    words = [_key(w) for w in name.split() if len(_key(w)) >= 3]
    if len(words) >= 2 and all(w in host_key for w in words):
        return True  # "CBS Detroit" for detroit.cbslocal.com
    initials = "".join(w[0] for w in re.findall(r"[^\W_]+", name.casefold()))
    return len(initials) >= 2 and initials == host_key


def _trim_to_host(name: str, host_key: str) -> str:
    """Drop generic trailing words that the host does not carry ("Beachbody Blog" for
    beachbodyondemand.com → "Beachbody", "pv magazine International" → "pv magazine")."""
    words = name.split()
    while (
        len(words) > 1
        and words[-1].casefold() in _GENERIC_TAIL
        and _key(words[-1]) not in host_key
        and _agrees(" ".join(words[:-1]), host_key)
    ):
        words = words[:-1]
    return " ".join(words)


def _parts(name: str) -> list[str]:
    """A name and, when it holds separators ("LinkNaija | Nigeria's popular news platform"),
    its parts."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(name) if p.strip()]
    return [name] + parts if len(parts) > 1 else [name]


# Words a domain adds to the name it spells ("practicalhorsemanmag.com" for Practical Horseman).
_DOMAIN_EXTRAS = ("magazine", "mag", "news", "online", "daily", "media", "blog", "web", "tv", "hq")
# A run of capitalised words, with the small words names carry between them ("Prefeitura de
# Jaraguá do Sul", "Friends of the Earth").
_CAP_WORD = r"[^\W\d_][\w'’&.-]*"
_CONNECTOR = r"(?:of|the|and|&|de|do|da|dos|das|del|der|des|du|la|le|von|van|für|y)"
_CAP_RUN = re.compile(
    rf"(?<![\w'’])(?=[^\W\d_])(?:{_CAP_WORD})(?:\s+(?:{_CONNECTOR}\s+)*(?:{_CAP_WORD}))*"
)


def _spells_host(key: str, host_key: str) -> bool:
    """Whether a name's key is what the host spells: the same letters, or those followed by a
    word domains add ("practicalhorseman" for "practicalhorsemanmag")."""
    if len(key) < 4:
        return False
    if key in (host_key, "the" + host_key) or "the" + key == host_key:
        return True
    return any(host_key == key + extra for extra in _DOMAIN_EXTRAS)


def _written_out(texts: tuple[str, ...], host_key: str) -> str | None:
    """The host's name as the page writes it in its own words: a run of capitalised words
    (possessive dropped) that spells the host ("Practical Horseman's top picks …" on
    practicalhorsemanmag.com → "Practical Horseman")."""
    for text in texts:
        for run in _CAP_RUN.finditer(text):
            words = run.group(0).split()
            for size in range(min(len(words), 6), 0, -1):
                for start in range(len(words) - size + 1):
                    span = words[start : start + size]
                    span[-1] = re.sub(r"['’]s?$", "", span[-1]).rstrip(".,;:")
                    if not span[0][0].isupper() or not span[-1][:1].isupper():
                        continue
                    name = " ".join(span)
                    if _spells_host(_key(name), host_key):
                        return name
    return None


def site_name(meta: PageMeta, host: str | None, headline: str | None = None) -> str | None:
    """The name of the site that published the page, or None when nothing reads as one.

    A candidate that agrees with the host wins (the one the host spells exactly first),
    trimmed of generic words the host lacks ("cleveland" for cleveland.com gives the domain
    itself). Next, the host's name as the page writes it in its description. Otherwise
    og:site_name, or the last part of the title ("Headline – Vortex Cannon Entertainment"),
    when it reads as a name and not as a slogan; JSON-LD publishers (often a parent company)
    and the title's first part (usually the headline) count only when they agree with the host.
    """
    domain = host.lower().removeprefix("www.") if host else ""
    host_key = _host_key(domain) if domain else ""
    title_head = _key(headline or "")
    plain: list[tuple[str, str]] = []
    for where, candidate in meta.site_names:
        for part in _parts(candidate):
            name = _plain_name(part)
            if name is None:
                continue
            key = _key(name)
            if title_head and (key == title_head or (len(key) > 25 and key in title_head)):
                continue  # the headline, not a name
            plain.append((where, name))
    if host_key:

        def rank(item: tuple[str, str]) -> tuple[bool, bool]:
            name = item[1]
            domain_only = "." in name and " " not in name
            bare = _TLD_END.sub("", name) if domain_only else name
            # a name that is only the domain again ("livescience.com") yields to a real one;
            # the name the host spells comes before one that only contains it (an edition)
            return domain_only, not _spells_host(_key(bare), host_key)

        for _where, name in sorted(plain, key=rank):
            bare = _TLD_END.sub("", name) if " " not in name else name
            if _agrees(bare, host_key):
                return _trim_to_host(name if bare != name and "." in name else bare, host_key)
        written = _written_out(meta.self_texts, host_key)
        if written:
            return written
    for where, name in plain:
        if where not in ("og", "title-last") or _TAGLINE.search(name):
            continue
        if where == "title-last" and (
            len(name.split()) > 5 or any(ch.isdigit() for ch in name) or name[0].islower()
        ):
            continue
        return _trim_to_host(name, host_key) if host_key else name
    return None


# --- wire stories -----------------------------------------------------------------------------

# Wire agencies as datelines and bylines write them → the name the registry knows.
_WIRES = {
    "AP": "Associated Press",
    "Associated Press": "Associated Press",
    "The Associated Press": "Associated Press",
    "Reuters": "Reuters",
    "AFP": "Agence France-Presse",
    "Agence France-Presse": "Agence France-Presse",
    "Bloomberg": "Bloomberg",
    "UPI": "United Press International",
    "dpa": "dpa",
    "PA": "PA Media",
    "CNN": "CNN",
}
_WIRE_NAMES = "|".join(sorted((re.escape(w) for w in _WIRES), key=len, reverse=True))
# "WASHINGTON (AP) — …", "LONDON (Reuters) - …" at the start of the text.
_DATELINE = re.compile(
    rf"^[^\n]{{0,80}}?\((?P<wire>{_WIRE_NAMES})\)\s*[-—–:]", re.MULTILINE
)
# "By The Associated Press", "Associated Press" alone as a byline line.
_BYLINE = re.compile(
    rf"^\s*(?:by\s+)?(?P<wire>{_WIRE_NAMES})(?:\s+(?:staff|writers?|reporters?))?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def wire_of(text: str, byline: str | None = None) -> str | None:
    """The wire agency a story comes from, when its dateline or byline says so, else None."""
    head = text[:600]
    match = _DATELINE.search(head)
    if match and match.start() < 300:
        return _WIRES[match.group("wire")]
    if byline:
        match = _BYLINE.match(byline)
        if match:
            for key, value in _WIRES.items():
                if key.casefold() == match.group("wire").casefold():
                    return value
    return None
