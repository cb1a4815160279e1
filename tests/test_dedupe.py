"""De-duplication (`kg.dedupe`): one article per URL and per (text, outlet); the same text under
another outlet is kept and linked as a copy."""

from __future__ import annotations

import os
import subprocess
import sys

from kg.dedupe import NEAR_COPY, SKETCH, deduplicate, similarity, sketch
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


# --- near-copies: bottom-k sketches of word 5-grams --------------------------------------------

_WORDS = ("bridge council river budget harbour mayor ferry school station tunnel market "
          "museum library festival stadium hospital airport railway garden district").split()


def _story(seed: int, sentences: int = 12) -> str:
    """A synthetic story: each sentence a different walk through the word list."""
    out = []
    for i in range(sentences):
        words = [_WORDS[(seed * 7 + i * 3 + j * (seed % 5 + 2)) % len(_WORDS)] for j in range(9)]
        out.append(f"The {' '.join(words)} plan number {seed}-{i} was discussed.")
    return " ".join(out)


def test_sketch_is_the_smallest_distinct_hashes_and_empty_for_short_texts() -> None:
    text = _story(1)
    s = sketch(text)
    assert len(s) == SKETCH and list(s) == sorted(set(s))
    assert sketch(text.upper()) == s  # case does not matter
    assert sketch("Too short to compare by shingles, it says.") == ()
    # The same five words over and over make one distinct shingle: nothing to compare by.
    assert sketch("one two three four five " * 40) == ()


def test_near_copy_with_a_changed_sentence_is_similar_and_another_story_is_not() -> None:
    original = _story(3, sentences=40)
    edited = original.replace("plan number 3-39 was discussed", "plan was later dropped")
    assert similarity(sketch(original), sketch(edited)) >= NEAR_COPY
    assert similarity(sketch(original), sketch(_story(4, sentences=40))) < 0.5


def test_near_copy_on_another_site_is_linked_as_a_copy() -> None:
    text = _story(5, sentences=40)
    a = Article(path="a.html", text=text, url="https://www.reuters.com/a")
    b = Article(path="b.html", text=text + " Additional reporting by a staff writer.",
                url="https://apnews.com/b")
    dedup = deduplicate([a, b], load_registry())
    assert dedup.copies == {article_id(b): (article_id(a),)}


def test_sketch_does_not_depend_on_the_hash_seed() -> None:
    code = ("from kg.dedupe import sketch; import sys; "
            f"print(sketch({_story(7)!r})[:8])")
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1 and runs.pop().strip() == str(sketch(_story(7))[:8])


def _footer(n: int) -> str:
    """A long boilerplate footer every article of a pile carries (shared shingles)."""
    return " ".join(f"Terms of use clause {i} applies to every reader of this site."
                    for i in range(n))


def test_boilerplate_shared_by_a_pile_is_no_copy_and_the_real_copy_is_found() -> None:
    # 150 different stories with one long footer: most of their smallest hashes are the
    # footer's, so every story is a candidate of every other; none is a copy of another.
    # One story is also syndicated with its last sentence changed; that copy must be found.
    footer = _footer(60)
    stories = [Article(path=f"s{i:03}.txt", text=f"{_story(i, sentences=30)} {footer}",
                       url=f"https://example.org/{i}") for i in range(150)]
    original = stories[40].text
    copy = Article(path="copy.txt", text=original.replace("plan number 40-29", "plan 40-b"),
                   url="https://example.net/copy")
    dedup = deduplicate([*stories, copy], load_registry())
    assert dedup.copies == {article_id(copy): (article_id(stories[40]),)}


def test_a_story_syndicated_more_widely_than_the_band_limit_is_linked_every_time() -> None:
    from kg.dedupe import BAND_LIMIT

    text = _story(9, sentences=40)
    copies = [Article(path=f"c{i:03}.txt", text=f"{text} Reported for site {i}.",
                      url=f"https://site{i}.example/story") for i in range(BAND_LIMIT + 10)]
    dedup = deduplicate(copies, load_registry())
    last = article_id(copies[-1])
    assert set(dedup.copies) == {article_id(c) for c in copies[1:]}
    assert set(dedup.copies[last]) <= {article_id(c) for c in copies[:-1]}
