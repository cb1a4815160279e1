"""Article text: how much of kg's text is the article, and how much of the article kg keeps.

    python benchmarks/text_extraction.py [--shared ../shared] [--show N]

On the 181 scrapinghub pages (`corpora/scrapinghub/html`, hand-checked `articleBody` in
`ground-truth.json`), kg's article text (what `kg build` reads from an .html file) and, in the
same run, trafilatura's default extraction (`trafilatura.extract(html)`) are compared with the
article body as bags of word 5-grams (lowercased words; a 5-gram counts as often as it occurs):

  precision = shared 5-grams / 5-grams of the extracted text   (furniture lowers it)
  recall    = shared 5-grams / 5-grams of the article body      (lost paragraphs lower it)

micro-averaged over all pages (pages where a tool returns nothing count as 0 found).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.ingest import read_html  # noqa: E402
from kg.models import Article  # noqa: E402

N = 5


def grams(text: str) -> Counter[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return Counter(tuple(words[i : i + N]) for i in range(max(0, len(words) - N + 1)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--show", type=int, default=0, help="list the N worst pages for kg")
    args = parser.parse_args()
    corpus = Path(args.shared) / "corpora" / "scrapinghub"
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))

    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    totals = {name: Counter() for name in ("kg", "trafilatura")}
    seconds = Counter()
    per_page = []
    for key in sorted(truth):
        data = gzip.decompress((corpus / "html" / f"{key}.html.gz").read_bytes())
        gold = grams(truth[key]["articleBody"])
        start = time.perf_counter()
        items = list(read_html(f"{key}.html", data))
        seconds["kg"] += time.perf_counter() - start
        kg_text = items[0].text if items and isinstance(items[0], Article) else ""
        start = time.perf_counter()
        tf_text = trafilatura.extract(data.decode("utf-8", "replace")) or ""
        seconds["trafilatura"] += time.perf_counter() - start
        for name, text in (("kg", kg_text), ("trafilatura", tf_text)):
            got = grams(text)
            shared = sum((got & gold).values())
            totals[name]["shared"] += shared
            totals[name]["found"] += sum(got.values())
            totals[name]["gold"] += sum(gold.values())
            if name == "kg":
                p = shared / max(1, sum(got.values()))
                r = shared / max(1, sum(gold.values()))
                per_page.append((min(p, r), key, p, r))
    print(f"{len(truth)} pages, word {N}-grams against articleBody (micro-averaged)")
    print(f"{'':12s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'seconds':>8s}")
    for name, t in totals.items():
        p = t["shared"] / max(1, t["found"])
        r = t["shared"] / max(1, t["gold"])
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{name:12s} {p:9.4f} {r:7.4f} {f:6.4f} {seconds[name]:8.1f}")
    for _worst, key, p, r in sorted(per_page)[: args.show]:
        print(f"  {key[:12]} precision {p:.2f} recall {r:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
