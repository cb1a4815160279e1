"""Publisher of a page: how often kg names the outlet the dev gold names.

    python benchmarks/publishers.py [--show] [--shared ../shared]

On the 181 scrapinghub pages of `../shared/gold/citations-dev.jsonl` (its `outlet` field is the
site that published each page), in three settings, each printed as matched / pages:

1. warc:     the pages as WARC response records (URL from the WARC headers);
2. html:     the same pages as plain .html files with no URL given (written to a temp folder);
             kg has only what the page itself says (canonical link, og tags, JSON-LD, ...);
3. url-map:  the same files with `--url-map` (a CSV of path,url).

A page matches when the gold name equals, after normalisation (case, accents, punctuation,
a leading "the", a trailing top-level domain: "Ascom" is "ascom.com"), the name or any alias of
the outlet kg gives the page (its registered names and aliases, including those too ambiguous
for text lookups, like "Express" for the Daily Express). Beside it, the same pages by identity:
kg's outlet is the registry entry of the domain of the page's real address (the gold's `url`;
for a syndicated copy, of its canonical address on another registered site), or, for a domain
the registry does not know, the outlet named after that domain; names can
differ where the site is right (a page that names no site gets its domain as its name).
Only ingest and resolve run (no spaCy), so it takes seconds.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.ingest import iter_inputs  # noqa: E402
from kg.models import Article  # noqa: E402
from kg.registry import load_registry, normalize_domain, registered_domain, slugify  # noqa: E402
from kg.resolve import outlet_of, registry_entity  # noqa: E402


def norm(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    t = re.sub(r"\.(?:com|org|net|info|co|io|[a-z]{2})(?:\.[a-z]{2})?$", "", t.strip().lower())
    words = re.findall(r"[a-z0-9]+", t)
    while words and words[0] == "the":
        words = words[1:]
    return "".join(words)


def outlet_names(article: Article) -> tuple[str | None, str | None, set[str]]:
    """(outlet id, name shown, every name it goes by, normalised) of kg's publisher."""
    registry = load_registry()
    outlet_id, entity = outlet_of(article, registry)
    if outlet_id is None:
        return None, None, set()
    if entity is None:
        entity = registry_entity(registry, outlet_id)
    names = {entity.name, *entity.aliases}
    registered = registry.by_id(outlet_id.removeprefix("outlet:"))
    if registered is not None:
        names |= {registered.name, *registered.aliases, *registered.display_aliases}
    return outlet_id, entity.name, {norm(n) for n in names}


def expected_id(url: str, canonical: str | None) -> str:
    """The outlet a page at this address belongs to: its domain's registry entry (or, for a
    syndicated copy whose canonical link is on another registered site, that site's: MSN's
    copy of a CNN story is CNN's), else the outlet kg names after the host (as
    `kg.resolve.outlet_of` does for a new domain)."""
    registry = load_registry()
    if canonical and registered_domain(canonical) != registered_domain(url):
        original = registry.lookup_domain(canonical)
        if original is not None:
            return "outlet:" + original.id
    outlet = registry.lookup_domain(url)
    if outlet is not None:
        return "outlet:" + outlet.id
    return "outlet:" + slugify(re.sub(r"^(?:m|mobile|amp)\.", "", normalize_domain(url)))


def score(articles: dict[str, Article], gold: list[dict], label: str, show: bool) -> float:
    ok = same = 0
    for g in gold:
        article = articles.get(g["key"])
        outlet_id, name, names = outlet_names(article) if article else (None, None, set())
        canonical = article.canonical if article else None
        same += outlet_id is not None and outlet_id == expected_id(g["url"], canonical)
        if norm(g["outlet"]) in names:
            ok += 1
        elif show:
            print(f"  {label} miss {g['key'][:10]} gold={g['outlet']!r} kg={name!r}"
                  f" ({outlet_id}) url={article.url if article else None}")
    share = ok / len(gold)
    print(f"{label:8s} by name {ok}/{len(gold)} = {share:.3f}   "
          f"by identity {same}/{len(gold)} = {same / len(gold):.3f}")
    return share


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--show", action="store_true", help="list every miss")
    args = parser.parse_args()
    shared = Path(args.shared)
    gold = [json.loads(line) for line in (shared / "gold" / "citations-dev.jsonl").open()]
    corpus = shared / "corpora" / "scrapinghub"
    by_url = {g["url"]: g["key"] for g in gold}

    warc = {}
    for item in iter_inputs([corpus / "news-181.warc.gz"]):
        if isinstance(item, Article) and item.url in by_url:
            warc[by_url[item.url]] = item
    score(warc, gold, "warc", args.show)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        rows = []
        for g in gold:
            path = folder / f"{g['key']}.html"
            page = corpus / "html" / f"{g['key']}.html.gz"
            path.write_bytes(gzip.decompress(page.read_bytes()))
            rows.append((str(path), g["url"]))
        html = {}
        for item in iter_inputs([folder]):
            if isinstance(item, Article):
                html[Path(item.path).stem] = item
        score(html, gold, "html", args.show)
        url_map = Path(tmp) / "urls.csv"
        with url_map.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([("path", "url"), *rows])
        try:
            from kg.ingest import load_url_map
        except ImportError:
            print("url-map  (kg has no --url-map yet)")
            return 0
        mapped = {}
        for item in iter_inputs([folder], url_map=load_url_map(url_map)):
            if isinstance(item, Article):
                mapped[Path(item.path).stem] = item
        score(mapped, gold, "url-map", args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
