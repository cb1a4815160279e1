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


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _span(value: Any) -> Span | None:
    return None if value is None else Span(**value)


_SPAN_FIELDS = {
    cls: {f.name for f in dataclasses.fields(cls) if "Span" in str(f.type)}
    for cls in (Attribution, Mention)
}


def _attribution(data: dict[str, Any]) -> Attribution:
    spans = _SPAN_FIELDS[Attribution]
    fields: dict[str, Any] = {k: _span(v) if k in spans else v for k, v in data.items()}
    speaker = fields.get("speaker")
    if speaker is not None:
        fields["speaker"] = Speaker(_span(speaker["span"]), speaker["type"], speaker["rule"])
    return Attribution(**fields)


def _mention(data: dict[str, Any]) -> Mention:
    spans = _SPAN_FIELDS[Mention]
    fields: dict[str, Any] = {k: _span(v) if k in spans else v for k, v in data.items()}
    return Mention(**fields)


def encode_record(extraction: Extraction) -> bytes:
    record = {
        "attributions": _encode(extraction.attributions),
        "mentions": _encode(extraction.mentions),
    }
    text = json.dumps(record, ensure_ascii=True, separators=(",", ":"))
    return zlib.compress(text.encode("ascii"), 6)


def decode_record(data: bytes, article: Article) -> Extraction:
    record = json.loads(zlib.decompress(data))
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
