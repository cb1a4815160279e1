from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.models import Article, Attribution, Extraction, Mention, Span
from kg.spool import Spool


def _extraction(n: int) -> Extraction:
    text = f"Reuters reported {n} arrests."
    source = Span("Reuters", 0, 7)
    return Extraction(
        article=Article(path=f"a{n}.txt", text="", url=f"https://example.org/{n}"),
        attributions=(
            Attribution(source, "outlet", Span("reported", 8, 16), Span(text[17:], 17, len(text)),
                        "reported", 0.9, Span(text, 0, len(text))),
        ),
        mentions=(Mention(source, "organization", "ORG"),),
        article_id=f"article:{n:016x}",
    )


def test_round_trip_in_any_order(tmp_path: Path) -> None:
    with Spool(str(tmp_path)) as spool:
        records = {f"article:{n:016x}": _extraction(n) for n in (5, 1, 3)}
        for aid, ex in records.items():
            spool.put(aid, ex)
        assert spool.ids() == sorted(records)
        assert len(spool) == 3 and "article:0000000000000003" in spool
        for aid in reversed(spool.ids()):
            assert spool.get(aid) == records[aid]


def test_file_is_private_and_removed(tmp_path: Path) -> None:
    spool = Spool(str(tmp_path))
    spool.put("article:1", _extraction(1))
    assert stat.S_IMODE(os.stat(spool.path).st_mode) == 0o600
    spool.close()
    assert list(tmp_path.iterdir()) == []
    spool.close()  # closing twice is harmless


def test_removed_when_the_build_is_interrupted(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), Spool(str(tmp_path)) as spool:
        spool.put("article:1", _extraction(1))
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_unknown_id_is_a_key_error(tmp_path: Path) -> None:
    with Spool(str(tmp_path)) as spool, pytest.raises(KeyError):
        spool.get("article:missing")


def test_edge_spool_keeps_each_articles_outlet_and_edges() -> None:
    from kg.spool import EdgeSpool

    edges = [("article:1", "outlet:reuters", "cites:0", {"type": "cites", "confidence": 0.9}),
             ("article:1", "person:jevu-shin", "mentions", {"type": "mentions", "count": 2})]
    with EdgeSpool() as spool:
        spool.put_edges("article:1", "outlet:charter97", edges)
        spool.put_edges("article:2", None, [])
        assert spool.get_edges("article:1") == ("outlet:charter97", edges)
        assert spool.get_edges("article:2") == (None, [])
        assert spool.ids() == ["article:1", "article:2"]
        with pytest.raises(TypeError):
            spool.get("article:1")  # not an extraction
