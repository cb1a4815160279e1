"""De-duplication (`kg.dedupe`): one article per URL and per (text, outlet); the same text under
another outlet is kept and linked as a copy."""

from __future__ import annotations

from kg.dedupe import deduplicate
from kg.models import Article, Skipped
from kg.registry import load_registry
from kg.resolve import article_id


def test_syndicated_copy_under_other_outlet_is_linked() -> None:
    text = "Officials said the bridge would reopen on Monday, the agency reported."
    a = Article(path="a.json", text=text, url="https://www.reuters.com/a", site="Reuters")
    b = Article(path="b.json", text=text, url="https://apnews.com/b", site="AP")
    dedup = deduplicate([a, b], load_registry())
    assert [x.path for x in dedup.articles] == ["a.json", "b.json"]
    assert dedup.copies == {article_id(b): (article_id(a),)}
    assert dedup.merged == {}


def test_same_url_twice_is_merged_and_skips_are_kept() -> None:
    a = Article(path="a.html", text="One text.", url="https://example.org/story")
    b = Article(path="b.html", text="Another text.", url="http://www.example.org/story/")
    bad = Skipped(path="c.json", reason="broken JSON")
    dedup = deduplicate([a, bad, b], load_registry())
    assert [x.path for x in dedup.articles] == ["a.html"]
    assert dedup.merged == {article_id(a): ("b.html",)}
    assert dedup.skipped == (bad,)
