"""The extraction cache: what the extractor found in an article, kept between builds.

A build re-extracts only the articles it has not seen with the same extractor. An entry's key
is the SHA-256 of the article's content (every field the extractor may read: text, title,
url, date, site, links, format; not the path, so a moved file still hits), and entries live
in a folder named after the *extractor fingerprint*:

  * the spaCy model: its name, its version (from the installed model's meta.json) and spaCy's;
  * the installed source and data files of the `kg.extract` package (its rules, its lexicons,
    its mention finder) and of `kg.speakers` (the speaker sieve, whose decisions an entry
    holds too), and the version of coreferee (whose name lists the sieve reads);
  * the extra names the extractor matches (the outlet registry and gazetteer terms it is
    built with, so `--outlets FILE` is part of it);
  * the shape of the records (fields of Attribution, Mention, Span, Speaker) and this format's
    version.

Changing a rule, a lexicon, the model or the registry changes the fingerprint, so every entry
made with the old one is unused (and removed by `prune`); changing an article changes only
its own key. Layout:

    CACHE/<fingerprint[:20]>/<key[:2]>/<key>.json.z   zlib-compressed JSON, written atomically

Entries are JSON, never pickles: a cache on shared storage cannot run code in a build.
A damaged or unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import secrets
import shutil
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from kg.models import Article, Attribution, Extraction, Mention, Span, Speaker

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: attributions carry their speaker
CACHE_DIR_NAME = "cache"
_SUFFIX = ".json.z"
# What decides an entry besides the article: the extractor, and the speaker sieve run on
# what it found (an entry keeps the attributions with their speakers decided).
EXTRACTOR_MODULES = ("kg.extract", "kg.speakers")


# --- fingerprints ---------------------------------------------------------------------------


def _module_files(module: str) -> list[Path]:
    """The installed source and data files of `module` (a package's whole folder)."""
    spec = importlib.util.find_spec(module)
    if spec is None:
        raise ImportError(f"cache: module {module} is not installed")
    if spec.submodule_search_locations:
        files: list[Path] = []
        for location in spec.submodule_search_locations:
            root = Path(location)
            files += (
                p for p in root.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
            )
        return sorted(files)
    assert spec.origin is not None
    return [Path(spec.origin)]


def code_fingerprint(modules: Sequence[str] = ("kg.extract",)) -> str:
    """SHA-256 of the files of `modules`, by their path inside the module and their bytes."""
    digest = hashlib.sha256()
    for module in modules:
        files = _module_files(module)
        base = files[0].parent if len(files) == 1 else Path(os.path.commonpath(files))
        for path in files:
            rel = path.relative_to(base).as_posix() if len(files) > 1 else path.name
            data = path.read_bytes()
            digest.update(f"{module}:{rel}:{len(data)}\n".encode())
            digest.update(data)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def model_identity(name: str) -> dict[str, str]:
    """Name, version and spaCy version of an installed model, read from its meta.json
    without loading it (loading takes seconds; a build that hits the cache needs none)."""
    meta_path: Path | None = None
    if Path(name).is_dir():
        meta_path = Path(name) / "meta.json"
    else:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            meta_path = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
    meta: dict[str, Any] = {}
    if meta_path is not None and meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    else:
        from kg.extract import load_nlp  # a model without meta.json on disk: ask spaCy

        meta = dict(load_nlp(name).meta)
    spacy_version = _version("spacy")
    return {
        "model": name,
        "name": str(meta.get("lang", "")) + "_" + str(meta.get("name", "")),
        "version": str(meta.get("version", "")),
        "spacy": spacy_version,
    }


def _record_shape() -> list[tuple[str, list[str]]]:
    return [(cls.__name__, [f.name for f in dataclasses.fields(cls)])
            for cls in (Span, Attribution, Mention, Speaker)]


def extractor_fingerprint(
    model: str, terms: Iterable[Any] = (), *, options: dict[str, Any] | None = None
) -> str:
    """The fingerprint of everything besides the article that decides an extraction.

    `terms` are the extra names the extractor matches (`GazetteerTerm`s or anything with a
    stable repr); `options` any other setting that changes what the extractor finds."""
    parts = {
        "format": FORMAT_VERSION,
        "model": model_identity(model),
        "code": code_fingerprint(EXTRACTOR_MODULES),
        "coreferee": _version("coreferee"),
        "terms": hashlib.sha256(
            "\n".join(sorted(repr(t) for t in terms)).encode("utf-8", "surrogatepass")
        ).hexdigest(),
        "records": _record_shape(),
        "options": options or {},
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def article_key(article: Article) -> str:
    """SHA-256 of everything the extractor may read from `article` (all but its path)."""
    fields = {f.name: getattr(article, f.name) for f in dataclasses.fields(article)}
    fields.pop("path")
    fields["links"] = [dataclasses.astuple(link) for link in article.links]
    text = json.dumps(fields, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


# --- records --------------------------------------------------------------------------------


# Records to JSON-ready data and back, each field written out: an entry is a dict of the
# record's fields in their order, spans as dicts (a generic walk over `dataclasses.fields` for
# every span of every attribution was most of what reading and writing the cache cost).
# `test_cache` checks these against every field of the records.
def _span_data(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"text": span.text, "start": span.start, "end": span.end}


def _attribution_data(a: Attribution) -> dict[str, Any]:
    s = a.speaker
    return {
        "source": _span_data(a.source), "source_kind": a.source_kind, "cue": _span_data(a.cue),
        "content": _span_data(a.content), "kind": a.kind, "confidence": a.confidence,
        "sentence": _span_data(a.sentence), "via": _span_data(a.via), "rule": a.rule,
        "source_rule": a.source_rule,
        "speaker": None if s is None else {"span": _span_data(s.span), "type": s.type,
                                           "rule": s.rule},
    }


def _mention_data(m: Mention) -> dict[str, Any]:
    return {"span": _span_data(m.span), "type": m.type, "label": m.label}


def _span(value: Any) -> Span | None:
    return None if value is None else Span(value["text"], value["start"], value["end"])


def _attribution(d: dict[str, Any]) -> Attribution:
    s = d["speaker"]
    return Attribution(
        source=Span(**d["source"]), source_kind=d["source_kind"], cue=Span(**d["cue"]),
        content=_span(d["content"]), kind=d["kind"], confidence=d["confidence"],
        sentence=Span(**d["sentence"]), via=_span(d["via"]), rule=d["rule"],
        source_rule=d["source_rule"],
        speaker=None if s is None else Speaker(_span(s["span"]), s["type"], s["rule"]),
    )


def _mention(d: dict[str, Any]) -> Mention:
    return Mention(Span(**d["span"]), d["type"], d["label"])


def encode_record(extraction: Extraction) -> bytes:
    """The entry of an extraction: its attributions and mentions as JSON objects keyed by
    their fields (`_attribution_data`, `_mention_data`), zlib-compressed.

    orjson writes the frozen dataclasses as those very objects, 2-3x faster than building
    the dicts for `json` (on a big pile the build's main process spent a third of its time
    here); `tests/test_cache.py` holds the two spellings equal."""
    try:
        record = {"attributions": extraction.attributions, "mentions": extraction.mentions}
        text = orjson.dumps(record)
    except TypeError:  # a lone surrogate in the text (orjson writes UTF-8 only): escape it
        slow = {"attributions": [_attribution_data(a) for a in extraction.attributions],
                "mentions": [_mention_data(m) for m in extraction.mentions]}
        text = json.dumps(slow, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return zlib.compress(text, 1)


def decode_record(data: bytes, article: Article) -> Extraction:
    text = zlib.decompress(data)
    try:
        record = orjson.loads(text)
    except orjson.JSONDecodeError:  # an escaped lone surrogate (see `encode_record`)
        record = json.loads(text)
    return Extraction(
        article=article,
        attributions=tuple(_attribution(a) for a in record["attributions"]),
        mentions=tuple(_mention(m) for m in record["mentions"]),
    )


# --- the cache ------------------------------------------------------------------------------


class ExtractionCache:
    """Extractions by article content, for one extractor fingerprint.

    >>> cache = ExtractionCache(Path("out/cache"), fingerprint)  # doctest: +SKIP
    >>> cache.get(article) or cache.put(article, extractor.extract_one(article))
    """

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.root = Path(directory)
        self.fingerprint = fingerprint
        self.folder = self.root / fingerprint[:20]
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / (key + _SUFFIX)

    def get(self, article: Article) -> Extraction | None:
        """The cached extraction of `article` (with this very article in it), or None."""
        path = self._path(article_key(article))
        try:
            extraction = decode_record(path.read_bytes(), article)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception as exc:  # a damaged entry is a miss; it is rewritten after extraction
            log.warning("cache: unreadable entry %s (%s); extracting again", path, exc)
            self.misses += 1
            return None
        self.hits += 1
        return extraction

    def is_empty(self) -> bool:
        """Whether the cache holds no entry for this fingerprint (no build with this
        extractor wrote here), so that no article can hit."""
        try:
            return next(self.folder.iterdir(), None) is None
        except OSError:
            return True

    def has(self, article: Article) -> bool:
        """Whether an entry for `article` exists (without reading it, nor counting a hit):
        how a distributed worker that sees the cache skips what the client will take from
        it."""
        return self._path(article_key(article)).is_file()

    def put(self, article: Article, extraction: Extraction) -> None:
        """Keep `extraction` of `article` (written atomically; a failure is only logged)."""
        path = self._path(article_key(article))
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(encode_record(extraction))
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            log.warning("cache: cannot write %s (%s); the build goes on without it", path, exc)

    def prune(self) -> int:
        """Remove the folders of other fingerprints (entries no build with this extractor can
        use) and stale temp files. Returns how many folders went."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for child in self.root.iterdir():
            if child.is_dir() and child.name != self.folder.name:
                shutil.rmtree(child, ignore_errors=True)
                removed += 1
        if self.folder.is_dir():
            for tmp in self.folder.glob("*/.*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
        return removed
