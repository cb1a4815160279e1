"""kg.cache: keys, fingerprints, records, and incremental builds through the pipeline."""

from __future__ import annotations

import dataclasses
import json
import shutil
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kg.pipeline
from kg.cache import (
    ExtractionCache,
    article_key,
    code_fingerprint,
    decode_record,
    encode_record,
    extractor_fingerprint,
    model_identity,
)
from kg.extract import Extractor
from kg.models import Article, Attribution, Extraction, Link, Mention, Span, Speaker
from kg.pipeline import BuildOptions, build
from tests.conftest import DATA

ARTICLE = Article(
    path="a.txt",
    text="Reuters said the plane left. \ud800 “Quote,” she said.",
    url="https://example.org/a",
    title="A",
    published="2024-05-26",
    links=(Link("https://example.org/b", "b", 3, 4),),
)
EXTRACTION = Extraction(
    article=ARTICLE,
    attributions=(
        Attribution(
            source=Span("Reuters", 0, 7),
            source_kind="outlet",
            cue=Span("said", 8, 12),
            content=Span("the plane left", 13, 27),
            kind="said",
            confidence=0.9,
            sentence=Span("Reuters said the plane left.", 0, 28),
        ),
        Attribution(
            source=Span("she", 40, 43),
            source_kind="person",
            cue=Span("said", 44, 48),
            content=None,
            kind="quote",
            confidence=0.7,
            sentence=Span("“Quote,” she said.", 30, 48),
            via=Span("Reuters", 0, 7),
        ),
    ),
    mentions=(Mention(Span("Reuters", 0, 7), "organization", "ORG"),),
)


def test_records_round_trip_exactly() -> None:
    moved = dataclasses.replace(ARTICLE, path="elsewhere/a.txt")
    assert decode_record(encode_record(EXTRACTION), moved) == dataclasses.replace(
        EXTRACTION, article=moved
    )


def test_article_key_is_the_content_not_the_path() -> None:
    key = article_key(ARTICLE)
    assert article_key(dataclasses.replace(ARTICLE, path="b/c.txt")) == key
    for change in (
        {"text": ARTICLE.text + " "},
        {"title": "B"},
        {"url": None},
        {"published": "2024-05-27"},
        {"site": "x"},
        {"links": ()},
        {"format": "html"},
    ):
        assert article_key(dataclasses.replace(ARTICLE, **change)) != key, change


def test_cache_get_put_and_damaged_entries(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path, "f" * 64)
    assert cache.get(ARTICLE) is None
    cache.put(ARTICLE, EXTRACTION)
    assert cache.get(ARTICLE) == EXTRACTION
    assert (cache.hits, cache.misses) == (1, 1)
    [entry] = list(tmp_path.rglob("*.json.z"))
    assert entry.parent.parent.name == "f" * 20
    entry.write_bytes(b"not zlib")
    assert cache.get(ARTICLE) is None  # a damaged entry is a miss, not an error
    cache.put(ARTICLE, EXTRACTION)
    assert cache.get(ARTICLE) == EXTRACTION


def test_cache_is_empty_until_an_entry_is_written(tmp_path: Path) -> None:
    # A build with an empty cache starts its workers at once (it cannot be incremental).
    cache = ExtractionCache(tmp_path / "cache", "f" * 64)
    assert cache.is_empty()  # no folder yet
    cache.put(ARTICLE, EXTRACTION)
    assert not cache.is_empty()
    assert not ExtractionCache(tmp_path / "cache", "f" * 64).is_empty()
    assert ExtractionCache(tmp_path / "cache", "e" * 64).is_empty()  # another extractor's


def test_prune_removes_other_fingerprints(tmp_path: Path) -> None:
    old = ExtractionCache(tmp_path, "a" * 64)
    old.put(ARTICLE, EXTRACTION)
    new = ExtractionCache(tmp_path, "b" * 64)
    new.put(ARTICLE, EXTRACTION)
    (new.folder / "00").mkdir()
    (new.folder / "00" / ".x.json.z.1234.tmp").write_bytes(b"")
    assert new.prune() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b" * 20]
    assert new.get(ARTICLE) == EXTRACTION
    assert not list(new.folder.glob("*/.*.tmp"))


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An importable package `fakeextract` with a module and a lexicon data file."""
    pkg = tmp_path / "site" / "fakeextract"
    (pkg / "lexicon").mkdir(parents=True)
    (pkg / "__init__.py").write_text("RULES = 1\n")
    (pkg / "lexicon" / "cues.toml").write_text('said = ["say"]\n')
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "x.pyc").write_bytes(b"ignored")
    (tmp_path / "site" / "fakesingle.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return pkg


def test_code_fingerprint_covers_source_and_data_files(fake_package: Path) -> None:
    before = code_fingerprint(["fakeextract", "fakesingle"])
    (fake_package / "__pycache__" / "x.pyc").write_bytes(b"still ignored")
    assert code_fingerprint(["fakeextract", "fakesingle"]) == before
    (fake_package / "lexicon" / "cues.toml").write_text('said = ["say", "tell"]\n')
    after_lexicon = code_fingerprint(["fakeextract", "fakesingle"])
    assert after_lexicon != before
    (fake_package.parent / "fakesingle.py").write_text("X = 2\n")
    assert code_fingerprint(["fakeextract", "fakesingle"]) != after_lexicon


def test_code_fingerprint_of_kg_extract_module_or_package() -> None:
    # kg.extract is a module today and a package after the split; either way it is covered.
    assert len(code_fingerprint()) == 64


def test_model_identity_and_fingerprint(tmp_path: Path) -> None:
    model = tmp_path / "my_model"
    model.mkdir()
    (model / "meta.json").write_text(json.dumps({"lang": "en", "name": "m", "version": "1.0"}))
    identity = model_identity(str(model))
    assert (identity["name"], identity["version"]) == ("en_m", "1.0")
    one = extractor_fingerprint(str(model), ["Reuters"])
    assert extractor_fingerprint(str(model), ["Reuters"]) == one
    assert extractor_fingerprint(str(model), ["Reuters", "AFP"]) != one  # registry terms
    (model / "meta.json").write_text(json.dumps({"lang": "en", "name": "m", "version": "1.1"}))
    assert extractor_fingerprint(str(model), ["Reuters"]) != one  # model version


# --- incremental builds ---------------------------------------------------------------------


class Counting:
    """Counts the articles the extractor is given (and whether it was built at all)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.articles: list[str] = []
        self.built = 0
        real = kg.pipeline._extractor

        def make(*args: Any, **kwargs: Any) -> Extractor:
            self.built += 1
            extractor = real(*args, **kwargs)
            original = extractor.extract

            def extract(articles: Iterable[Article]) -> Iterator[Extraction]:
                def seen() -> Iterator[Article]:
                    for a in articles:
                        self.articles.append(a.path)
                        yield a

                return original(seen())

            extractor.extract = extract  # type: ignore[method-assign]
            return extractor

        monkeypatch.setattr(kg.pipeline, "_extractor", make)


def _outputs(out: Path) -> dict[str, bytes]:
    names = ("graph.ttl", "graph.html", "outlets.html", "report.json")
    return {name: (out / name).read_bytes() for name in names}


def test_incremental_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    out, clean = tmp_path / "out", tmp_path / "clean"
    counting = Counting(monkeypatch)

    build([corpus], out, BuildOptions())
    first = len(counting.articles)
    assert first >= 4 and (out / "cache").is_dir()

    # Nothing changed: no model, no extraction, the same bytes.
    before = _outputs(out)
    counting.articles.clear()
    build([corpus], out, BuildOptions())
    assert counting.articles == [] and counting.built == 1
    assert _outputs(out) == before

    # One article added and one changed: only those two are extracted; outputs equal a clean
    # build's bytes.
    (corpus / "added.txt").write_text(
        "Minsk, 2024-05-28\n\nThe ministry said the flight was routine, Reuters reported.\n"
    )
    seed = corpus / "charter97-2024-05-26.txt"
    seed.write_text(seed.read_text() + "\nThe agency TASS said nothing more.\n")
    build([corpus], out, BuildOptions())
    assert sorted(Path(p).name for p in counting.articles) == [
        "added.txt", "charter97-2024-05-26.txt"
    ]
    build([corpus], clean, BuildOptions(use_cache=False))
    assert not (clean / "cache").exists()
    assert _outputs(out) == _outputs(clean)

    # A new extractor (a rule, a lexicon, the model or the registry changed): everything is
    # extracted again, and the old entries are removed.
    generations = [p.name for p in (out / "cache").iterdir()]
    monkeypatch.setattr(kg.pipeline, "extractor_fingerprint", lambda *a, **k: "9" * 64)
    counting.articles.clear()
    build([corpus], out, BuildOptions())
    assert len(counting.articles) == len(list(corpus.iterdir())) - 1  # all but data/README.md
    assert [p.name for p in (out / "cache").iterdir()] == ["9" * 20] != generations
    assert _outputs(out) == _outputs(clean)


def test_cache_dir_option(tmp_path: Path) -> None:
    build([DATA], tmp_path / "out", BuildOptions(cache_dir=tmp_path / "shared-cache"))
    assert not (tmp_path / "out" / "cache").exists()
    assert list((tmp_path / "shared-cache").rglob("*.json.z"))


def test_outlet_registry_is_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(monkeypatch)
    build([DATA], tmp_path / "out", BuildOptions())
    n = len(counting.articles)
    extra = tmp_path / "outlets.json"
    extra.write_text(json.dumps([{"id": "my-paper", "name": "The Local Paper", "kind": "outlet"}]))
    counting.articles.clear()
    build([DATA], tmp_path / "out", BuildOptions(outlets=extra))
    assert len(counting.articles) == n


def test_records_keep_the_speakers() -> None:
    """An entry holds the attributions with their speakers decided (a cached article needs
    no sieve, and no text, to give the same graph)."""
    decided = (
        Speaker(Span("Reuters", 0, 7), "organization", "head.name"),
        Speaker(None, "", "pronoun.ambiguous"),
    )
    for speaker in decided:
        attributions = tuple(
            dataclasses.replace(a, speaker=speaker) for a in EXTRACTION.attributions
        )
        extraction = dataclasses.replace(EXTRACTION, attributions=attributions)
        assert decode_record(encode_record(extraction), ARTICLE) == extraction


def _generic(value: Any) -> Any:
    """Any record as a dict of all its fields, in order (what an entry must hold)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _generic(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_generic(v) for v in value]
    return value


def test_entries_hold_every_field_of_the_records() -> None:
    """The cache's written-out encoders miss no field: a field added to Attribution, Mention,
    Span or Speaker without its line in `kg.cache` fails here, not silently in a build."""
    full = dataclasses.replace(
        EXTRACTION.attributions[1], rule="quote.speaker-after", source_rule="after-quote",
        speaker=Speaker(Span("Ana", 50, 53), "person", "pronoun.previous-speaker"),
    )
    extraction = dataclasses.replace(EXTRACTION, attributions=(*EXTRACTION.attributions, full))
    stored = json.loads(zlib.decompress(encode_record(extraction)))
    assert stored == {"attributions": _generic(extraction.attributions),
                      "mentions": _generic(extraction.mentions)}
    assert decode_record(encode_record(extraction), ARTICLE) == extraction


def test_a_lone_surrogate_in_a_span_is_kept() -> None:
    # orjson writes only valid UTF-8; such a record takes the escaping path both ways.
    odd = dataclasses.replace(EXTRACTION, mentions=(Mention(Span("x\ud800y", 31, 34), "other"),))
    assert decode_record(encode_record(odd), ARTICLE) == odd
