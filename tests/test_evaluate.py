"""Tests for kg.evaluate: parsers, hand-computed scores, drivers with fakes, report output.

All texts and annotations here are synthetic, written for these tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ConfigError, InputError
from kg.evaluate import (
    EntitySpan,
    EvalReport,
    Score,
    chars_score,
    detect_kind,
    exact_score,
    format_report,
    load_brat,
    match_score,
    parse_ann,
    parse_conll,
    report_to_dict,
    run_eval,
    trim,
)
from kg.models import Article, Attribution, Extraction, Mention, Span

approx = pytest.approx

# --- synthetic BRAT gold ----------------------------------------------------------------------

ALPHA = 'Mara Quell said the bridge will open in May. "It is safe," the engineer added. "Trust us."'
BETA = "According to the Tidewater Gazette, rents rose sharply. Prices are expected to climb."

# Annotator "aaaa" (first in sorted order, the one used). The engineer's content is split in two
# pieces around the source and cue; A and # lines are ignored.
ALPHA_AAAA = """\
T1\tSource 0 10\tMara Quell
T2\tCue 11 15\tsaid
T3\tContent 16 43\tthe bridge will open in May
T4\tAttribution 11 15\tsaid
E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3
T5\tContent 45 58;79 90\t"It is safe," "Trust us."
T6\tSource 59 71\tthe engineer
T7\tCue 72 77\tadded
T8\tAttribution 72 77\tadded
E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6
A1\tConfidence E2 High
#1\tAnnotatorNotes T6\ta note
"""

# Annotator "bbbb": a different reading that must not be used.
ALPHA_BBBB = """\
T1\tSource 0 4\tMara
T2\tCue 11 15\tsaid
T3\tContent 16 44\tthe bridge will open in May.
T4\tAttribution 11 15\tsaid
E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3
"""

# A "according to" attribution, and one without source whose content is split around the cue.
BETA_CCCC = """\
T1\tCue 0 12\tAccording to
T2\tSource 13 34\tthe Tidewater Gazette
T3\tContent 36 54\trents rose sharply
T4\tAttribution 0 12\tAccording to
E1\tAttribution:T4 Cue:T1 Source:T2 Content:T3
T5\tCue 63 75\tare expected
T6\tContent 56 62;76 84\tPrices to climb
T7\tAttribution-no-source 63 75\tare expected
E2\tAttribution-no-source:T7 Cue:T5 Content:T6
"""


def write_brat(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (root / "text" / "beta.txt").write_text(BETA, encoding="utf-8")
    (root / "attributions" / "alpha_aaaa.ann").write_text(ALPHA_AAAA, encoding="utf-8")
    (root / "attributions" / "alpha_bbbb.ann").write_text(ALPHA_BBBB, encoding="utf-8")
    (root / "attributions" / "beta_cccc.ann").write_text(BETA_CCCC, encoding="utf-8")
    return root


def span(text: str, start: int, end: int) -> Span:
    return Span(text[start:end], start, end)


def attribution(
    text: str,
    source: tuple[int, int],
    cue: tuple[int, int],
    content: tuple[int, int] | None,
    kind: str,
) -> Attribution:
    return Attribution(
        source=span(text, *source),
        source_kind="person",
        cue=span(text, *cue),
        content=span(text, *content) if content else None,
        kind=kind,
        confidence=0.5,
        sentence=span(text, 0, len(text)),
    )


# Predictions, keyed by article name:
#   alpha P1 source "Mara Quell" (exact), cue "said", content "the bridge will open in May."
#   alpha P2 source "engineer", cue "added." (its period trimmed for exact),
#            content '"It is safe,"'
#   alpha P3 a wrong one: source "May", cue "is", no content
#   beta  P4 source "Tidewater Gazette", cue "According to", content "rents rose sharply."
#   (beta's source-less "are expected" attribution is not predicted)
PREDICTED = {
    "alpha": (
        attribution(ALPHA, (0, 10), (11, 15), (16, 44), "said"),
        attribution(ALPHA, (63, 71), (72, 78), (45, 58), "said"),
        attribution(ALPHA, (40, 43), (49, 51), None, "statement"),
    ),
    "beta": (attribution(BETA, (17, 34), (0, 12), (36, 55), "according_to"),),
}


@dataclass
class FakeExtractor:
    attributions: dict[str, tuple[Attribution, ...]]
    mentions: dict[str, tuple[Mention, ...]]

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for a in articles:
            key = Path(a.path).stem
            yield Extraction(a, self.attributions.get(key, ()), self.mentions.get(key, ()))


def brat_report(tmp_path: Path) -> EvalReport:
    gold = write_brat(tmp_path / "gold")
    return run_eval(gold, extractor=FakeExtractor(PREDICTED, {}))


def test_brat_hand_computed_scores(tmp_path: Path) -> None:
    report = brat_report(tmp_path)
    assert report.kind == "brat"
    assert report.documents == 2
    assert report.elapsed_seconds >= 0
    a = report.attributions
    assert a is not None
    assert a.gold_attributions == 4
    assert a.predicted_attributions == 4

    # SOURCE. gold: alpha (0,10) "Mara Quell", (59,71) "the engineer"; beta (13,34)
    # "the Tidewater Gazette". predicted: (0,10), (63,71), (40,43) "May"; beta (17,34).
    src = a.role("source")
    # match: predicted hits 3 of 4 ("May" overlaps nothing); every gold source is found.
    assert (src.match.precision, src.match.recall) == (approx(3 / 4), approx(1.0))
    assert src.match.f1 == approx(2 * 0.75 / 1.75)
    # chars (non-space): gold 9 + 11 + 19 = 39; predicted 9 + 8 + 3 + 16 = 36;
    # shared 9 + 8 + 16 = 33.
    assert src.chars == Score(33, 36, 33, 39)
    assert src.chars.f1 == approx(66 / 75)
    # exact: only "Mara Quell" is equal: 1 of 4 predicted, 1 of 3 gold.
    assert src.exact == Score(1, 4, 1, 3)
    assert src.exact.f1 == approx(2 / 7)

    # CUE. gold: "said" (11,15), "added" (72,77), "According to" (0,12), "are expected" (63,75).
    # predicted: (11,15), (72,78) "added.", (49,51) "is", (0,12).
    cue = a.role("cue")
    # match: 3 of 4 predicted hit, 3 of 4 gold found.
    assert cue.match == Score(3, 4, 3, 4)
    # chars: gold 4 + 5 + 11 + 11 = 31; predicted 4 + 6 + 2 + 11 = 23; shared 4 + 5 + 11 = 20.
    assert cue.chars == Score(20, 23, 20, 31)
    assert cue.chars.precision == approx(20 / 23)
    assert cue.chars.recall == approx(20 / 31)
    assert cue.chars.f1 == approx(40 / 54)
    # exact: "added." trims to "added": 3 equal.
    assert cue.exact == Score(3, 4, 3, 4)
    assert cue.exact.f1 == approx(0.75)

    # CONTENT. gold: alpha (16,43); alpha split (45,58)+(79,90); beta (36,54);
    # beta split (56,62)+(76,84). predicted: alpha (16,44), (45,58); beta (36,55).
    con = a.role("content")
    # match: all 3 predicted overlap; gold found 3 of 4 (beta's split content is missed).
    assert con.match == Score(3, 3, 3, 4)
    assert con.match.f1 == approx(6 / 7)
    # chars: gold 22 + (11 + 10) + 16 + (6 + 7) = 72; predicted 23 + 11 + 17 = 51;
    # shared 22 + 11 + 16 = 49 (the final periods are not gold).
    assert con.chars == Score(49, 51, 49, 72)
    assert con.chars.precision == approx(49 / 51)
    assert con.chars.recall == approx(49 / 72)
    assert con.chars.f1 == approx(98 / 123)
    # exact: gold trimmed (16,43), split outer extent (45,90) trimmed to (46,88), (36,54),
    # (56,84); predicted trimmed (16,43), (46,56), (36,54): 2 equal.
    assert con.exact == Score(2, 3, 2, 4)
    assert con.exact.f1 == approx(4 / 7)


def test_brat_kind_breakdown_and_missed(tmp_path: Path) -> None:
    a = brat_report(tmp_path).attributions
    assert a is not None
    rows = {k.kind: (k.count, k.source_hits, k.cue_hits) for k in a.kinds}
    assert rows == {"according_to": (1, 1, 1), "said": (2, 2, 2), "statement": (1, 0, 0)}
    assert [k.kind for k in a.kinds] == ["according_to", "said", "statement"]
    # Gold sources are all found; beta's source-less attribution is looked up by its cue,
    # which no prediction overlaps.
    assert (a.missed.gold, a.missed.missed) == (4, 1)
    assert a.missed.top_cues == (("are expected", 1),)


def test_brat_implicit_source_is_no_source_span(tmp_path: Path) -> None:
    # beta's "are expected" predicted with an implicit source: an empty span at the cue.
    implicit = Attribution(
        source=Span("", 63, 63),
        source_kind="unnamed",
        cue=span(BETA, 63, 75),
        content=span(BETA, 56, 84),
        kind="implicit",
        confidence=0.4,
        sentence=span(BETA, 56, len(BETA)),
    )
    assert implicit.implicit and not PREDICTED["beta"][0].implicit
    predicted = dict(PREDICTED, beta=PREDICTED["beta"] + (implicit,))
    a = run_eval(write_brat(tmp_path / "gold"), extractor=FakeExtractor(predicted, {})).attributions
    assert a is not None
    # The source role is as before: the empty span is neither a hit nor a false positive.
    assert a.role("source").match == Score(3, 4, 3, 3)
    # The cue is found: 4 of 5 predicted hit, all 4 gold cues are found.
    assert a.role("cue").match == Score(4, 5, 4, 4)
    rows = {k.kind: (k.count, k.source_hits, k.cue_hits) for k in a.kinds}
    assert rows["implicit"] == (1, 0, 1)
    assert (a.missed.gold, a.missed.missed) == (4, 0)


def test_brat_uses_first_annotator_and_stride_limit(tmp_path: Path) -> None:
    gold = write_brat(tmp_path / "gold")
    docs = load_brat(gold)
    assert [d.name for d in docs] == ["alpha", "beta"]
    assert docs[0].ann_path.endswith("alpha_aaaa.ann")
    assert docs[0].attributions[0].source == ((0, 10),)
    assert [d.name for d in load_brat(gold, limit=1)] == ["alpha"]
    assert [d.name for d in load_brat(gold, stride=2)] == ["alpha"]
    report = run_eval(gold, extractor=FakeExtractor(PREDICTED, {}), limit=1)
    assert report.documents == 1


# --- pure scoring functions -------------------------------------------------------------------


def test_match_score_counts_split_spans_once() -> None:
    gold = [((0, 5), (20, 25))]
    assert match_score([((22, 30),)], gold) == Score(1, 1, 1, 1)
    assert match_score([((6, 19),)], gold) == Score(0, 1, 0, 1)
    # duplicates collapse: a shared span counts once
    assert match_score([((0, 3),), ((0, 3),), ((1, 4),)], gold) == Score(2, 2, 1, 1)
    assert match_score([], []) == Score()
    assert Score().f1 == 0.0


def test_chars_score_ignores_spaces() -> None:
    text = "ab cd ef"
    assert chars_score([((0, 5),)], [((3, 8),)], text) == Score(2, 4, 2, 4)


def test_trim_and_exact() -> None:
    text = '  "Hello, world!" she said.'
    assert trim(((0, 17),), text) == (3, 15)
    assert trim(((0, 2),), text) is None
    assert trim(((2, 4), (10, 17)), text) == (3, 15)
    assert exact_score([((2, 17),)], [((3, 15),)], text) == Score(1, 1, 1, 1)
    assert exact_score([((0, 2),)], [((3, 15),)], text) == Score(0, 0, 0, 1)


# --- BRAT parser ------------------------------------------------------------------------------


def test_parse_ann_roles_in_any_order_and_shared_source() -> None:
    text = "x" * 100
    ann = (
        "T1\tSource 0 5\txxxxx\n"
        "T2\tCue 6 10\txxxx\n"
        "T3\tContent 11 20\txxxxxxxxx\n"
        "T4\tContent 30 40\txxxxxxxxxx\n"
        "T5\tAttribution 6 10\txxxx\n"
        "E1\tAttribution:T5 Content:T3 Cue:T2 Source:T1 Content:T4\n"
        "T6\tCue 50 55\txxxxx\n"
        "T7\tContent 56 60\txxxx\n"
        "T8\tAttribution 50 55\txxxxx\n"
        "E2\tAttribution:T8 Cue:T6 Source:T1 Content:T7\n"
        "E3\tAttribution-no-source:T8 \n"  # bare trigger: skipped
        "E4\tAttribution:T8 Source:T1 Cue:T6 Content:T7\n"  # duplicate of E2: skipped
        "T9\tAttribution 70 75\txxxxx\n"
        "T10\tContent 76 80\txxxx\n"
        "E5\tAttribution:T9 Content:T10\n"  # no Cue role: the trigger stands in
    )
    got = parse_ann(ann, Path("a.ann"), text)
    assert [g.id for g in got] == ["E1", "E2", "E5"]
    assert got[0].source == ((0, 5),)
    assert got[0].cue == ((6, 10),)
    assert got[0].content == (((11, 20),), ((30, 40),))
    assert got[1].source == got[0].source
    assert got[2].source is None
    assert got[2].cue == ((70, 75),)


def test_parse_ann_split_span_and_multiline_text() -> None:
    text = "Alpha beta\ngamma delta said."
    # the T text holds a newline, so it continues on the next line of the file
    ann = (
        "T1\tContent 0 16;17 22\tAlpha beta\ngamma delta\n"
        "T2\tCue 23 27\tsaid\nE1\tA:T2 Content:T1\n"
    )
    got = parse_ann(ann, Path("m.ann"), text)
    assert got[0].content == (((0, 16), (17, 22)),)


@pytest.mark.parametrize(
    ("ann", "where", "words"),
    [
        ("T1\tSource 0 5\tabcde\nthis is not brat\n", "bad.ann:2", "malformed line"),
        ("T1\tSource zero five\tabcde\n", "bad.ann:1", "malformed offsets"),
        ("T1\tSource 0 500\tabcde\n", "bad.ann:1", "outside the text"),
        ("T1\tSource 0 5\tabcde\nE1\tAttribution:T9 Source:T1\n", "bad.ann:2", "T9"),
        ("E1\tAttribution\n", "bad.ann:1", "malformed E argument"),
    ],
)
def test_parse_ann_errors_name_file_and_line(ann: str, where: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        parse_ann(ann, Path("bad.ann"), "abcdefghij")
    message = str(info.value)
    assert where in message
    assert words in message
    assert "\n" not in message


def test_brat_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        run_eval(tmp_path / "missing", extractor=FakeExtractor({}, {}))
    (tmp_path / "empty" / "text").mkdir(parents=True)
    (tmp_path / "empty" / "attributions").mkdir()
    with pytest.raises(ConfigError, match="no .ann files"):
        run_eval(tmp_path / "empty", extractor=FakeExtractor({}, {}))
    with pytest.raises(ConfigError, match="attributions/ and text/"):
        run_eval(tmp_path, extractor=FakeExtractor({}, {}))
    (tmp_path / "empty" / "attributions" / "orphan_aaaa.ann").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="orphan.txt"):
        run_eval(tmp_path / "empty", extractor=FakeExtractor({}, {}))
    with pytest.raises(ConfigError, match="unknown gold kind"):
        run_eval(tmp_path, kind="xml", extractor=FakeExtractor({}, {}))  # type: ignore[arg-type]


# --- CoNLL ------------------------------------------------------------------------------------

# doc 1 in IOB2; doc 2 in IOB1 (I- opens a mention, B- only between two adjacent ones).
CONLL = """\
-DOCSTART- -X- -X- O

Anna NNP B-NP B-PER
Berg NNP I-NP I-PER
visited VBD B-VP O
Oslo NNP B-NP B-LOC
. . O O

Nordbank NNP B-NP B-ORG
hired VBD B-VP O
Carl NNP B-NP B-PER
. . O O

-DOCSTART- -X- -X- O

Vorn NNP B-NP I-MISC
Cup NNP I-NP I-MISC
winners NNS I-NP O
Eli NNP I-NP I-PER
Moss NNP I-NP I-PER
Tor NNP I-NP B-PER
Dahl NNP I-NP I-PER
agreed VBD B-VP O
"""

DOC1 = "Anna Berg visited Oslo .\nNordbank hired Carl ."
DOC2 = "Vorn Cup winners Eli Moss Tor Dahl agreed"


def test_parse_conll_rebuilds_text_and_mentions() -> None:
    docs = parse_conll(CONLL, "t.conll")
    assert [d.text for d in docs] == [DOC1, DOC2]
    assert docs[0].tokens[:2] == ((0, 4), (5, 9))
    assert docs[0].tokens[5] == (25, 33)  # after the sentence's newline
    assert docs[0].mentions == (
        EntitySpan(0, 9, "PER"),
        EntitySpan(18, 22, "LOC"),
        EntitySpan(25, 33, "ORG"),
        EntitySpan(40, 44, "PER"),
    )
    assert docs[1].mentions == (
        EntitySpan(0, 8, "MISC"),
        EntitySpan(17, 25, "PER"),
        EntitySpan(26, 34, "PER"),
    )


def test_parse_conll_iob1_equals_iob2() -> None:
    iob1 = "-DOCSTART- -X- O O\n\nA x x I-ORG\nB x x I-ORG\nC x x B-ORG\nD x x I-LOC\n"
    iob2 = "-DOCSTART- -X- O O\n\nA x x B-ORG\nB x x I-ORG\nC x x B-ORG\nD x x B-LOC\n"
    assert parse_conll(iob1)[0].mentions == parse_conll(iob2)[0].mentions
    assert parse_conll(iob1)[0].mentions == (
        EntitySpan(0, 3, "ORG"),
        EntitySpan(4, 5, "ORG"),
        EntitySpan(6, 7, "LOC"),
    )


def test_parse_conll_errors() -> None:
    with pytest.raises(InputError, match="t.conll:3.*malformed NER tag"):
        parse_conll("-DOCSTART- -X- O O\n\nA x x X-PER\n", "t.conll")
    with pytest.raises(InputError, match="t.conll:3.*malformed line"):
        parse_conll("-DOCSTART- -X- O O\n\nlonely\n", "t.conll")


@dataclass(frozen=True)
class FakeEnt:
    start_char: int
    end_char: int
    label_: str


@dataclass(frozen=True)
class FakeDoc:
    ents: tuple[FakeEnt, ...]


class FakeNlp:
    """Stands in for the raw spaCy model: fixed `doc.ents` per text."""

    def __init__(self, ents: dict[str, tuple[FakeEnt, ...]]) -> None:
        self.ents = ents
        self.batch_sizes: list[int] = []

    def pipe(self, texts: Iterable[str], batch_size: int = 1) -> Iterator[FakeDoc]:
        self.batch_sizes.append(batch_size)
        for t in texts:
            yield FakeDoc(self.ents.get(t, ()))


def mention(text: str, start: int, end: int, type_: str) -> Mention:
    return Mention(span(text, start, end), type_)


OURS = {
    # doc-0001: "Nordbank" typed as a person (untyped right); doc-0002: "Eli Moss Tor Dahl" merged.
    "doc-0001": (
        mention(DOC1, 0, 9, "person"),
        mention(DOC1, 18, 22, "place"),
        mention(DOC1, 25, 33, "person"),
        mention(DOC1, 40, 44, "person"),
    ),
    "doc-0002": (mention(DOC2, 0, 8, "other"), mention(DOC2, 17, 34, "person")),
}
BASELINE = FakeNlp(
    {
        DOC1: (
            FakeEnt(0, 9, "PERSON"),
            FakeEnt(18, 22, "GPE"),
            FakeEnt(25, 33, "ORG"),
            FakeEnt(34, 39, "DATE"),  # dropped
        ),
        DOC2: (FakeEnt(17, 25, "PERSON"),),
    }
)


def conll_report(tmp_path: Path) -> EvalReport:
    gold = tmp_path / "dev.txt"
    gold.write_text(CONLL, encoding="utf-8")
    return run_eval(gold, extractor=FakeExtractor({}, OURS), nlp_loader=lambda _model: BASELINE)  # type: ignore[arg-type,return-value]


def test_conll_hand_computed_scores(tmp_path: Path) -> None:
    report = conll_report(tmp_path)
    assert (report.kind, report.documents) == ("conll", 2)
    e = report.entities
    assert e is not None and e.baseline is not None
    assert e.gold_mentions == 7
    # ours: 6 predicted; typed right: Anna Berg, Oslo, Carl, Vorn Cup = 4 of 7 gold.
    assert e.ours.typed == Score(4, 6, 4, 7)
    assert e.ours.typed.f1 == approx(8 / 13)
    # untyped adds Nordbank: 5.
    assert e.ours.untyped == Score(5, 6, 5, 7)
    assert e.ours.untyped.f1 == approx(10 / 13)
    # PER: predicted Anna Berg, Nordbank, Carl, Eli Moss Tor Dahl; gold Anna Berg, Carl,
    # Eli Moss, Tor Dahl: 2 right.
    assert dict(e.ours.by_type)["PER"] == Score(2, 4, 2, 4)
    # baseline: DATE dropped; 4 predicted, all right.
    assert e.baseline.typed == Score(4, 4, 4, 7)
    assert e.baseline.typed.f1 == approx(8 / 11)
    assert e.baseline.untyped.f1 == approx(8 / 11)
    data = report_to_dict(report)
    assert data["entities"]["delta"]["typed_f1"] == approx(8 / 13 - 8 / 11, abs=1e-4)
    assert data["entities"]["delta"]["untyped_f1"] == approx(10 / 13 - 8 / 11, abs=1e-4)
    assert BASELINE.batch_sizes and BASELINE.batch_sizes[-1] > 1  # streamed with nlp.pipe


def test_detect_kind(tmp_path: Path) -> None:
    conll = tmp_path / "x.txt"
    conll.write_text(CONLL, encoding="utf-8")
    assert detect_kind(conll) == "conll"
    assert detect_kind(write_brat(tmp_path / "g")) == "brat"
    other = tmp_path / "y.txt"
    other.write_text("plain text\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="y.txt.*-DOCSTART-"):
        detect_kind(other)


# --- report output ----------------------------------------------------------------------------


def test_json_output_shape(tmp_path: Path) -> None:
    report = brat_report(tmp_path)
    out = format_report(report, as_json=True)
    data: dict[str, Any] = json.loads(out)
    assert list(data) == ["kind", "gold", "model", "documents", "elapsed_seconds", "attributions"]
    att = data["attributions"]
    assert list(att["roles"]) == ["source", "cue", "content"]
    assert list(att["roles"]["cue"]) == ["match", "chars", "exact"]
    assert list(att["roles"]["cue"]["match"]) == [
        "precision",
        "recall",
        "f1",
        "pred_hits",
        "pred",
        "gold_hits",
        "gold",
    ]
    assert att["roles"]["cue"]["exact"]["f1"] == 0.75
    assert att["kinds"]["said"] == {
        "count": 2,
        "source_hits": 2,
        "source_precision": 1.0,
        "cue_hits": 2,
    }
    assert att["missed"] == {"gold": 4, "missed": 1, "top_cues": [["are expected", 1]]}
    assert format_report(report, as_json=True) == out

    conll = json.loads(format_report(conll_report(tmp_path), as_json=True))
    assert list(conll["entities"]) == ["gold", "ours", "baseline", "delta"]
    assert list(conll["entities"]["ours"]) == ["typed", "untyped", "by_type"]
    assert list(conll["entities"]["ours"]["by_type"]) == ["PER", "ORG", "LOC", "MISC"]


def test_text_output_tables(tmp_path: Path) -> None:
    text = format_report(brat_report(tmp_path))
    lines = text.splitlines()
    assert lines[0].startswith("gold: ") and "(brat, 2 documents" in lines[0]
    row = next(line for line in lines if line.startswith("cue ") and " exact " in line)
    assert row.split() == ["cue", "exact", "0.750", "0.750", "0.750"]
    assert any(line.split() == ["statement", "1", "0", "0.000", "0"] for line in lines)
    assert "missed: 1 of 4 gold attributions" in text
    assert any(line.split() == ["are", "expected", "1"] for line in lines)

    ent = format_report(conll_report(tmp_path)).splitlines()
    header = next(line for line in ent if line.startswith("measure"))
    assert " ".join(header.split()) == "measure P R F1 base P base R base F1 delta F1"
    typed = next(line for line in ent if line.startswith("typed"))
    assert typed.split()[3] == "0.615"
    assert typed.split()[-1] == f"{8 / 13 - 8 / 11:+.3f}"
