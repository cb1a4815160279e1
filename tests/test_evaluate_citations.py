"""The entity-level citation scorer (`kg eval --citations`).

Unit tests on a small gold written here; one corpus test checks that the figures equal the gold's
reference scorer (`../shared/gold/score_citations.py`) on the dev gold.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import ConfigError
from kg.evaluate_citations import (
    format_citation_report,
    parse_gold,
    predicted_sources,
    score_citations,
    sentence_around,
    slug,
)
from tests.conftest import SHARED

GOLD_LINES = [
    {"key": "aaa", "lang": "en", "sources": [
        {"name": "Tim Cook", "type": "person", "forms": ["Tim Cook", "Cook"]},
        {"name": "Apple", "type": "organization", "forms": ["Apple", "the company"]},
        {"name": "Reuters", "type": "outlet", "forms": ["Reuters"]},
    ]},
    {"key": "bbb", "lang": "en", "sources": [
        {"name": "Jane Ford", "type": "person", "forms": ["Jane Ford"]},
        {"name": "Dale Ford", "type": "person", "forms": ["Dale Ford"]},
    ]},
    {"key": "ccc", "lang": "other", "sources": [
        {"name": "Андрей Рудьков", "type": "person", "forms": []},
    ]},
    {"key": "ddd", "lang": "en", "sources": []},
]

TEXT_A = "Apple shares rose. Cook said the phone sold well. Tim Cook, the chief, said more."


def attribution(sid: str | None, text: str, confidence: float = 0.9, kind: str = "said",
                start: int = 0, end: int = 0) -> dict[str, Any]:
    return {
        "source": {"text": text, "start": start, "end": end or start + len(text), "id": sid},
        "cue": {"text": "said", "start": end or start + len(text), "end": (end or start) + 5},
        "content": None, "kind": kind, "via": None, "confidence": confidence,
    }


RECORDS: list[dict[str, Any]] = [
    {"path": "/corpus/html/aaa.html.gz", "text": TEXT_A, "attributions": [
        attribution("person:cook", "Cook", start=19),              # split with tim-cook
        attribution("person:tim-cook", "Tim Cook", start=50),
        attribution("organization:apple", "Apple", confidence=0.4),  # low band
        attribution("person:steve-jobs", "Steve Jobs", confidence=0.6),  # false positive
        attribution("outlet:reuters", "Reuters", kind="hyperlink"),  # links are not scored
        attribution(None, "officials"),                                 # unnamed: not scored
        attribution("article:0123", "an earlier story"),                # article sources neither
    ]},
    {"path": "corpus/html/bbb.html.gz", "text": "", "attributions": [
        # "Ford" is the surname of two gold persons: it matches neither by the surname rule.
        attribution("person:ford", "Ford"),
        # One id whose name and text match two gold sources: a merge.
        attribution("person:jane-ford", "Dale Ford"),
    ]},
    {"path": "corpus/html/ccc.html.gz", "text": "", "attributions": [
        attribution("person:andrei", "Андрей"),
    ]},
]


def _gold() -> Any:
    return parse_gold(json.dumps(x) for x in GOLD_LINES)


@pytest.mark.parametrize(("text", "expected"), [
    ("The Kremlin's", "kremlin"),
    ("Mr. Tim Cook Jr.", "tim-cook"),
    ("Prime Minister Boris Johnson", "boris-johnson"),
    ("Société Générale", "societe-generale"),
    ("the company", "company"),
    ("President", "president"),  # a title alone stays
    ("Apple’s", "apple"),
])
def test_slug_normalises_as_the_gold_readme_says(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_figures_on_a_small_gold() -> None:
    report = score_citations(_gold(), RECORDS)
    # English articles only: aaa, bbb, ddd (ddd has no prediction: it counts as missing).
    assert report.articles == 3
    assert report.articles_missing == 1
    # Predicted ids: cook, tim-cook, apple, steve-jobs (aaa); ford, jane-ford (bbb).
    assert report.predicted == 6
    assert report.predicted_ok == 4  # cook, tim-cook, apple, jane-ford
    assert report.gold == 5
    assert report.gold_ok == 4  # Tim Cook, Apple, Jane Ford, Dale Ford (Reuters only linked)
    assert report.splits == 1
    assert report.merges == 1
    assert report.type_ok == 4
    assert report.precision == pytest.approx(4 / 6)
    assert report.recall == pytest.approx(4 / 5)
    assert report.split_rate == pytest.approx(1 / 4)


def test_min_confidence_keeps_only_edges() -> None:
    report = score_citations(_gold(), RECORDS, min_confidence=0.5)
    assert report.predicted == 5  # apple (0.4) is no edge
    assert report.gold_ok == 3


def test_precision_by_confidence_band() -> None:
    report = score_citations(_gold(), RECORDS)
    bands = {b.low: (b.predicted, b.correct) for b in report.bands}
    assert bands[0.0] == (1, 1)  # apple at 0.4
    assert bands[0.6] == (1, 0)  # steve jobs at 0.6
    assert bands[0.9] == (4, 3)


def test_all_languages() -> None:
    report = score_citations(_gold(), RECORDS, english_only=False)
    assert report.articles == 4
    assert report.predicted == 7


def test_wrong_type_counts_against_type_accuracy() -> None:
    records = [{"path": "html/aaa.html.gz", "attributions": [
        attribution("organization:tim-cook", "Tim Cook"),
        attribution("outlet:apple", "Apple"),  # an outlet for an organisation is accepted
    ]}]
    report = score_citations(_gold(), records)
    assert report.predicted_ok == 2
    assert report.type_ok == 1


def test_show_lists_every_problem_with_its_sentence() -> None:
    report = score_citations(_gold(), RECORDS)
    kinds = sorted((p.kind, p.name) for p in report.problems)
    assert kinds == [
        ("FN", "Reuters"), ("FP", "person:ford"), ("FP", "person:steve-jobs"),
        ("MERGE", "person:jane-ford"), ("SPLIT", "Tim Cook"),
    ]
    text = format_citation_report(report, show=True)
    assert "SPLIT" in text and "person:cook, person:tim-cook" in text
    assert "| Apple shares rose." in text  # the sentence of the false positive


def test_sentence_around() -> None:
    text = "One thing. Cook said the phone sold well. Then more.\nA new line"
    assert sentence_around(text, 11, 15) == "Cook said the phone sold well."
    assert sentence_around(text, 53, 54) == "A new line"


def test_predicted_sources_group_attributions_by_id() -> None:
    found = predicted_sources(RECORDS[0])
    assert [p.id for p in found] == [
        "person:cook", "person:tim-cook", "organization:apple", "person:steve-jobs"
    ]


@pytest.mark.parametrize("line", ["{not json", "[1, 2]", '{"sources": []}',
                                  '{"key": "k", "sources": [{"type": "person"}]}'])
def test_bad_gold_line_is_an_error_naming_the_line(line: str) -> None:
    with pytest.raises(ConfigError, match=r"gold.jsonl:2"):
        parse_gold(['{"key": "a", "sources": []}', line], "gold.jsonl")


def test_cli_scores_saved_records(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(x) + "\n" for x in GOLD_LINES))
    recs = tmp_path / "records.jsonl"
    recs.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    result = CliRunner().invoke(cli, ["eval", "--citations", str(gold), "--records", str(recs),
                                      "--min-confidence", "0", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["pred"], out["pred_ok"], out["gold"], out["gold_ok"]) == (6, 4, 5, 4)
    assert (out["splits"], out["merges"]) == (1, 1)
    result = CliRunner().invoke(cli, ["eval", "--citations", str(gold), "--records", str(recs)])
    assert result.exit_code == 0
    assert "edge P/R/F1" in result.output and "precision by confidence band" in result.output


def test_cli_citation_options_need_citations(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), "--show"])
    assert result.exit_code == 2
    assert "--citations" in result.output


# --- the reference scorer -------------------------------------------------------------------

GOLD = SHARED / "gold" / "citations-dev.jsonl"
REFERENCE = SHARED / "gold" / "score_citations.py"


def _reference() -> ModuleType:
    if not REFERENCE.exists():
        pytest.skip(f"reference scorer not found at {REFERENCE} (../shared is absent)")
    spec = importlib.util.spec_from_file_location("score_citations", REFERENCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_agrees_with_the_reference_scorer_on_a_small_gold() -> None:
    ref = _reference()
    out, _ = ref.score(GOLD_LINES, RECORDS, english=True)
    ours = score_citations(_gold(), RECORDS)
    assert (out["pred"], out["gold"]) == (ours.predicted, ours.gold)
    assert out["edge_precision"] == pytest.approx(ours.precision)
    assert out["edge_recall"] == pytest.approx(ours.recall)
    assert out["split_rate"] == pytest.approx(ours.split_rate)
    assert out["type_accuracy"] == pytest.approx(ours.type_accuracy)


@pytest.mark.corpus
@pytest.mark.slow
def test_agrees_with_the_reference_scorer_on_the_dev_gold(
    scrapinghub_records: list[dict[str, Any]],
) -> None:
    """Every attribution (confidence 0) against the raw records; the graph's edges (the
    default threshold) against the records holding only the attributions that are edges."""
    from kg.evaluate_citations import load_gold
    from kg.graph import MIN_CONFIDENCE

    ref = _reference()
    gold_lines = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x]
    gold = load_gold(GOLD)
    edges_only = [
        {**r, "attributions": [a for a in r["attributions"] if a["confidence"] >= MIN_CONFIDENCE]}
        for r in scrapinghub_records
    ]
    for threshold, records in ((0.0, scrapinghub_records), (MIN_CONFIDENCE, edges_only)):
        out, _ = ref.score(gold_lines, records, english=True)
        ours = score_citations(gold, scrapinghub_records, min_confidence=threshold)
        assert out["articles"] == ours.articles == 161
        assert out["articles_missing"] == ours.articles_missing == 0
        assert (out["pred"], out["gold"]) == (ours.predicted, ours.gold)
        for key, value in [("edge_precision", ours.precision), ("edge_recall", ours.recall),
                           ("edge_f1", ours.f1), ("split_rate", ours.split_rate),
                           ("type_accuracy", ours.type_accuracy)]:
            assert out[key] == pytest.approx(value), key


def test_share_of_hyperlink_citations_that_resolve_to_an_outlet() -> None:
    links = [
        {"url": "https://www.reuters.com/a", "text": "reported", "outlet": "outlet:reuters",
         "role": None},
        {"url": "https://example.org/blog", "text": "a post", "outlet": None, "role": None},
        {"url": "https://twitter.com/acme", "text": "Follow us", "outlet": None,
         "role": "social-profile"},
        {"url": "https://www.reuters.com/", "text": "Home", "outlet": "outlet:reuters",
         "role": "homepage"},
    ]
    records = [{**RECORDS[0], "links": links}, RECORDS[1],
               {**RECORDS[2], "links": links}]  # ccc is not English: not scored
    report = score_citations(_gold(), records)
    assert (report.link_citations, report.link_outlets) == (2, 1)
    assert report.link_outlet_share == pytest.approx(0.5)
    assert "hyperlink citations resolving to an outlet: 1 of 2 (0.500)" in (
        format_citation_report(report))
    assert json.loads(format_citation_report(report, as_json=True))[
        "hyperlink_outlet_share"] == 0.5
