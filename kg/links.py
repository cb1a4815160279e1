"""Hyperlinks: which links in an article's body can be citations, and which are page furniture.

A link to another site's story says where a statement comes from; most other links do not. A
link is **not** a citation when it is (`link_role`):

- ``share``: a share or "send" button (twitter.com/intent, facebook.com/sharer, wa.me, …);
- ``social-profile``: an account page on a platform (twitter.com/NASA, facebook.com/cnn) rather
  than one post of it;
- ``self``: a page of the article's own site (related stories, the section, the author page);
- ``navigation``: a tag, topic, category, author, search, subscription or login page;
- ``homepage``: a site's front page (a link to nytimes.com is no story of the Times);
- ``redirect``: a link shortener (bit.ly, t.co): where it leads cannot be known offline.

Platforms and shorteners are data (`kg/data/platforms.json`): `is_platform` says a host carries
other people's content (social networks, video and blog hosting) or redirects, so it is never
an outlet of its own, in the registry or discovered from a link.

Everything here is pure and offline: domains are compared by their registrable part
(`kg.registry.registered_domain`, from the Public Suffix List shipped with publicsuffixlist).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from kg.registry import normalize_domain, registered_domain

__all__ = ["LINK_ROLES", "PLATFORM_GROUPS", "is_platform", "link_role", "platforms"]

LINK_ROLES = ("share", "social-profile", "self", "navigation", "homepage", "redirect")
PLATFORM_GROUPS = ("social", "hosting", "shorteners")


@lru_cache(maxsize=1)
def platforms() -> dict[str, frozenset[str]]:
    """The hosts of `kg/data/platforms.json`, by group (`PLATFORM_GROUPS`)."""
    text = resources.files("kg").joinpath("data", "platforms.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {group: frozenset(data[group]) for group in PLATFORM_GROUPS}


def is_platform(host: str) -> bool:
    """A platform's own host (`rumble.com`, `m.youtube.com`), which carries other people's
    content or redirects. A user's subdomain (`someone.livejournal.com`) is that user's site,
    and may well be an outlet."""
    host = normalize_domain(host)
    for prefix in ("m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    groups = platforms()
    return any(host in groups[group] for group in PLATFORM_GROUPS)

# Paths of a platform that are one post, video or photo, not an account.
_POST = re.compile(
    r"/(?:status|statuses|posts?|p|reel|reels|watch|video|videos|photo|photos|story|stories|"
    r"shorts|comments|permalink|events?|notes)/|/watch\b|[?&]v=|/\d{6,}",
    re.IGNORECASE,
)
_SHARE_PATH = re.compile(
    r"^/(?:intent|share|sharer|sharearticle|submit|send|pin/create|shareArticle)\b|"
    r"/sharer(?:\.php)?$|/share(?:\.php)?$",
    re.IGNORECASE,
)
_SHARE_HOSTS = frozenset({"wa.me", "api.whatsapp.com", "web.whatsapp.com", "addthis.com",
                          "sharethis.com", "getpocket.com"})
_NAVIGATION = re.compile(
    r"^/(?:[\w-]+/)?(?:tags?|topics?|category|categories|section|sections|author|authors|"
    r"people|profile|search|subscribe|subscription|newsletters?|login|signin|sign-in|register|"
    r"account|about|about-us|contact|contact-us|privacy|terms|feed|rss)(?:/|$|\.)",
    re.IGNORECASE,
)


def link_role(url: str, page_url: str | None = None) -> str | None:
    """Why a link is not a citation (one of `LINK_ROLES`), or None when it may be one."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "navigation"
    host = normalize_domain(url)
    site = registered_domain(url)
    path = parts.path or "/"
    social = platforms()["social"]
    if host in _SHARE_HOSTS or site in _SHARE_HOSTS or (
        _SHARE_PATH.search(path) and (site in social or "url=" in parts.query.lower())
    ):
        return "share"
    if host in platforms()["shorteners"] or site in platforms()["shorteners"]:
        return "redirect"
    if site in social or host in social:
        if _POST.search(path + ("?" + parts.query if parts.query else "")):
            return None
        return "social-profile"
    if page_url and site and site == registered_domain(page_url):
        return "self"
    if _NAVIGATION.match(path):
        return "navigation"
    if path.strip("/") in ("", "index.html", "index.php", "home", "en") and not parts.query:
        return "homepage"
    return None
