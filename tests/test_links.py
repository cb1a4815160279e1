"""Tests for kg.links: which hyperlinks can be citations."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from kg.links import link_role

PAGE = "https://www.paper.example/2024/05/story.html"


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("https://www.thewrap.com/noah-hawley-star-trek-4/", None),
        ("https://deadline.com/2019/11/star-trek-4-1202790000/", None),
        ("https://twitter.com/intent/tweet?url=https%3A%2F%2Fpaper.example", "share"),
        ("https://www.facebook.com/sharer/sharer.php?u=https://paper.example/x", "share"),
        ("https://wa.me/?text=hello", "share"),
        ("https://twitter.com/NASA", "social-profile"),
        ("https://www.facebook.com/cnn/", "social-profile"),
        ("https://twitter.com/NASA/status/1196823456789012480", None),
        ("https://www.youtube.com/watch?v=abc123", None),
        ("https://www.paper.example/2024/05/other-story.html", "self"),
        ("https://news.paper.example/x", "self"),
        ("https://other.example/tag/politics/", "navigation"),
        ("https://other.example/author/jane-doe", "navigation"),
        ("https://www.nytimes.com/", "homepage"),
        ("https://www.nytimes.com", "homepage"),
        ("https://bit.ly/3xYz", "redirect"),
        ("https://t.co/AbCdEf", "redirect"),
        ("https://rumble.com/v4abc-plane.html", None),
    ],
)
def test_link_role(url: str, role: str | None) -> None:
    assert link_role(url, PAGE) == role


def test_link_role_is_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert link_role("https://a.blogspot.com/x", "https://b.blogspot.com/y") is None
    assert link_role("https://edition.cnn.com/x", "https://www.cnn.com/y") == "self"


def test_platforms_data_is_clean() -> None:
    """Each host once, lower case, no scheme or www; the groups do not overlap."""
    from kg.links import PLATFORM_GROUPS, platforms

    groups = platforms()
    assert set(groups) == set(PLATFORM_GROUPS)
    every = [host for group in PLATFORM_GROUPS for host in groups[group]]
    assert len(every) == len(set(every))
    for host in every:
        assert host == host.lower().strip() and "/" not in host and not host.startswith("www.")


def test_is_platform_is_the_platform_not_its_users_sites() -> None:
    from kg.links import is_platform

    assert is_platform("rumble.com") and is_platform("www.youtube.com")
    assert is_platform("m.youtube.com") and is_platform("bit.ly")
    assert not is_platform("someone.livejournal.com")  # a blogger's own site
    assert not is_platform("nytimes.com")
