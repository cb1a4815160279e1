"""`kg explain`: per sentence, the parse, the rules that fired or declined and why, and how each
source resolved to a node."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.explain import Explanation, explain, format_explanation, worker_for
from kg.extract.extractor import ExtractionWorker
from kg.extract.rules import RULE_NAMES
from kg.ingest import iter_inputs
from kg.models import Article
from tests.conftest import DATA, SEED_NAME

# The seed article's citations: the node each source resolves to, and the cue.
SEED_CITATIONS = {
    "outlet:dialog-ua": "reported",
    "outlet:flightradar24": "according to",
    "outlet:nk-news": "cites",
    "outlet:bloomberg": "points out",
    "person:jevu-shin": "said",
    "outlet:reuters": "wrote",
}


@pytest.fixture(scope="module")
def worker() -> ExtractionWorker:
    return worker_for(None, None)


@pytest.fixture(scope="module")
def seed(worker: ExtractionWorker) -> Explanation:
    (article,) = [a for a in iter_inputs([DATA / SEED_NAME]) if isinstance(a, Article)]
    return explain(article, worker)


def test_each_seed_citation_is_explained_with_its_rule(seed: Explanation) -> None:
    found: dict[str, set[tuple[str, str, str]]] = {}
    for s in seed.sentences:
        for ra in s.attributions:
            if ra.edge and ra.source_id:
                a = ra.attribution
                found.setdefault(ra.source_id, set()).add((a.cue.text, a.rule, a.source_rule))
    for node, cue in SEED_CITATIONS.items():
        assert node in found, (node, sorted(found))
        assert any(c == cue and rule in RULE_NAMES and how for c, rule, how in found[node])
    text = format_explanation(seed)
    assert text.count("citation edge in the graph: yes") >= len(SEED_CITATIONS)
    assert 'node: person:jevu-shin "Jevu Shin" (person)' in text
    assert "rule according-to, source chosen by: object-of-to" in text


def test_sentences_show_the_parse_and_the_declined_rules(seed: Explanation) -> None:
    assert [s.number for s in seed.sentences] == list(range(1, len(seed.sentences) + 1))
    text = format_explanation(seed)
    assert "  parse: " in text and "/nsubj>" in text
    assert "cue candidates: " in text
    assert "declined: " in text


def test_focus_on_one_sentence_or_a_match(worker: ExtractionWorker) -> None:
    article = Article(path="x.txt", text="The ferry left at dawn. Officials hold that the vote "
                      "was fair. The mayor said the bridge is safe.")
    one = explain(article, worker, sentence=2)
    assert [s.number for s in one.sentences] == [2]
    assert [(ra.attribution.source.text, ra.attribution.rule)
            for ra in one.sentences[0].attributions] == [("Officials", "that-clause")]
    matched = explain(article, worker, match="BRIDGE")
    assert [s.number for s in matched.sentences] == [3]
    assert explain(article, worker, match="nowhere").sentences == ()


def test_the_command_reads_a_file_or_stdin() -> None:
    result = CliRunner().invoke(cli, ["explain", str(DATA / SEED_NAME), "--match", "Reuters"])
    assert result.exit_code == 0, result.output
    assert "rule reporting-verb" in result.output and "node: outlet:reuters" in result.output
    result = CliRunner().invoke(cli, ["explain", "-"],
                                input="The senator scoffed at the plan, saying it would fail.")
    assert result.exit_code == 0, result.output
    assert 'rule stance-verb on "scoffed": fired' in result.output
    assert "—saying→" in result.output


def test_a_sentence_that_is_not_there_is_a_clear_error() -> None:
    result = CliRunner().invoke(cli, ["explain", "-", "--sentence", "5"], input="One sentence.")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: -: there is no sentence 5 (it has 1)"
    result = CliRunner().invoke(cli, ["explain", "missing.txt"])
    assert result.exit_code == 1 and "missing.txt" in result.output
