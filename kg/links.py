"""Hyperlinks: which links in an article's body can be citations, and which are page furniture.

A link to another site's story says where a statement comes from; most other links do not. A
link is **not** a citation when it is (`link_role`):

- ``share``: a share or "send" button (twitter.com/intent, facebook.com/sharer, wa.me, …);
- ``social-profile``: an account page on a platform (twitter.com/NASA, facebook.com/cnn) rather
  than one post of it;
- ``self``: a page of the article's own site (related stories, the section, the author page);
- ``navigation``: a tag, topic, category, author, search, subscription or login page;
- ``homepage``: a site's front page (a link to nytimes.com is no story of the Times).

Everything here is pure and offline: domains are compared by their registrable part
(`kg.registry.registered_domain`, from the Public Suffix List shipped with publicsuffixlist).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kg.registry import normalize_domain, registered_domain

__all__ = ["LINK_ROLES", "link_role"]

LINK_ROLES = ("share", "social-profile", "self", "navigation", "homepage")

_SOCIAL = frozenset(
    """
    twitter.com x.com facebook.com instagram.com youtube.com tiktok.com linkedin.com t.me
    telegram.me vk.com ok.ru pinterest.com reddit.com threads.net tumblr.com flickr.com
    soundcloud.com snapchat.com weibo.com mastodon.social bsky.app
    """.split()
)
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
    if host in _SHARE_HOSTS or site in _SHARE_HOSTS or (
        _SHARE_PATH.search(path) and (site in _SOCIAL or "url=" in parts.query.lower())
    ):
        return "share"
    if site in _SOCIAL or host in _SOCIAL:
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
