"""Entity mentions (kg.extract.mentions) on synthetic sentences.

Most tests build a `Doc` by hand (words, tags, entity tags) so that they pin our rules, not the
small model's guesses; a few at the end run the real model through `Extractor` to check the
rules hold on what it produces ("Kim's" and pre-tokenised "Kim 's" alike).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy
from spacy.lang.en import English
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.extract import Extractor
from kg.extract.mentions import GazetteerTerm, build_matcher, find_mentions
from kg.models import Article


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


def make_doc(
    nlp: Language,
    text: str,
    ents: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
) -> Doc:
    """A Doc from whitespace-separated `text` ("\\n" as its own word makes a line break), with
    IOB entity tags and Penn tags (NNP by default); sentences start after "." and line breaks."""
    words = text.split(" ")
    spaces = [True] * len(words)
    for i, w in enumerate(words):
        if w == "\n" or (i + 1 < len(words) and words[i + 1] == "\n"):
            spaces[i] = False
    spaces[-1] = False
    sent_starts: list[bool | int | None] = [
        i == 0 or words[i - 1] in (".", "\n") for i in range(len(words))
    ]
    return Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        ents=list(ents) if ents is not None else None,
        tags=list(tags) if tags is not None else ["NNP"] * len(words),
        sent_starts=sent_starts,
    )


def found(doc: Doc, terms: Sequence[GazetteerTerm] = (), **kw: bool) -> list[tuple[str, str]]:
    """(text, type) of the mentions in `doc`, with a matcher over `terms` when given."""
    return [(m.span.text, m.type) for m in find_mentions(doc, 0, matcher(doc, terms), **kw)]


def matcher(doc: Doc, terms: Sequence[GazetteerTerm]) -> PhraseMatcher | None:
    # The matcher needs a pipeline sharing the doc's vocabulary; a blank one is enough.
    return build_matcher(English(vocab=doc.vocab), terms) if terms else None


# --- span cleanup ------------------------------------------------------------------------------


def test_possessive_is_stripped_tokenised_and_not(blank: Language) -> None:
    # "Kim 's plan" (pre-tokenised text) and "Kim's plan" parse to the same tokens.
    doc = make_doc(
        blank,
        "Sen Kim 's plan",
        ["B-PERSON", "I-PERSON", "I-PERSON", "O"],
        ["NNP", "NNP", "POS", "NN"],
    )
    assert found(doc) == [("Sen Kim", "person")]
    m = find_mentions(doc, 10, None)[0]
    assert (m.span.start, m.span.end) == (10, 17)


def test_leading_lowercase_article_stripped_but_name_the_kept(blank: Language) -> None:
    doc = make_doc(
        blank,
        "They met at the Velmor Institute near The Hague .",
        ["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O", "B-GPE", "I-GPE", "O"],
        ["PRP", "VBD", "IN", "DT", "NNP", "NNP", "IN", "DT", "NNP", "."],
    )
    assert found(doc) == [("Velmor Institute", "organization"), ("The Hague", "place")]


def test_sentence_initial_the_is_not_part_of_the_name(blank: Language) -> None:
    doc = make_doc(
        blank,
        "The Velmor Institute said so .",
        ["B-ORG", "I-ORG", "I-ORG", "O", "O", "O"],
        ["DT", "NNP", "NNP", "VBD", "RB", "."],
    )
    assert found(doc) == [("Velmor Institute", "organization")]


def test_trailing_numbers_and_common_nouns_stripped(blank: Language) -> None:
    doc = make_doc(
        blank,
        "Orlan Tesk 63 beat Quarro news agency",
        ["B-PERSON", "I-PERSON", "I-PERSON", "O", "B-ORG", "I-ORG", "I-ORG"],
        ["NNP", "NNP", "CD", "VBD", "NNP", "NN", "NN"],
    )
    assert found(doc) == [("Orlan Tesk", "person"), ("Quarro", "organization")]


def test_entity_split_at_comma_and_line_break(blank: Language) -> None:
    doc = make_doc(
        blank,
        "at Ferrow Park , Dunmere \n Tallis wins",
        ["O", "B-FAC", "I-FAC", "I-FAC", "I-FAC", "I-FAC", "I-FAC", "O"],
    )
    assert found(doc) == [("Ferrow Park", "place"), ("Dunmere", "place"), ("Tallis", "place")]


# --- junk --------------------------------------------------------------------------------------


def test_pronouns_dates_initials_and_numbers_dropped(blank: Language) -> None:
    doc = make_doc(
        blank,
        "He saw R. on Friday with 42 and Ada Voss",
        ["B-PERSON", "O", "B-NORP", "O", "B-PERSON", "O", "B-ORG", "O", "B-PERSON", "I-PERSON"],
        ["PRP", "VBD", "NNP", "IN", "NNP", "IN", "CD", "CC", "NNP", "NNP"],
    )
    assert found(doc, nationalities=True) == [("Ada Voss", "person")]


def test_lone_common_words_dropped(blank: Language) -> None:
    doc = make_doc(
        blank,
        "Attendance : 4,000 . congress met Brill",
        ["B-PERSON", "O", "O", "O", "B-ORG", "O", "B-PERSON"],
        ["NN", ":", "CD", ".", "NN", "VBD", "NNP"],
    )
    assert found(doc) == [("Brill", "person")]


# --- gazetteer -----------------------------------------------------------------------------------


def test_gazetteer_type_wins_on_the_same_span(blank: Language) -> None:
    doc = make_doc(blank, "Envoys flew to Zembla on Monday", ["O", "O", "O", "B-PERSON", "O", "O"])
    terms = [GazetteerTerm("Zembla", "place")]
    assert found(doc, terms) == [("Zembla", "place")]
    assert find_mentions(doc, 0, matcher(doc, terms))[0].label == "GAZETTEER"


def test_gazetteer_match_adds_a_name_the_model_missed(blank: Language) -> None:
    doc = make_doc(blank, "Troops left Zembla at dawn", tags=["NNS", "VBD", "NNP", "IN", "NN"])
    assert found(doc, [GazetteerTerm("Zembla", "place")]) == [("Zembla", "place")]


def test_gazetteer_does_not_cut_a_longer_entity(blank: Language) -> None:
    doc = make_doc(blank, "fans of Dynamo Zembla cheered", ["O", "O", "B-ORG", "I-ORG", "O"])
    assert found(doc, [GazetteerTerm("Zembla", "place")]) == [("Dynamo Zembla", "organization")]


def test_known_names_joined_by_and_are_cut_apart(blank: Language) -> None:
    # The coordinated-known-names rule: one model entity made of two known names is the two.
    doc = make_doc(blank, "reports from The Wrapper and Headline said so",
                   ["O", "O", "B-WORK_OF_ART", "I-WORK_OF_ART", "I-WORK_OF_ART",
                    "I-WORK_OF_ART", "O", "O"])
    terms = [GazetteerTerm("The Wrapper", "organization"),
             GazetteerTerm("Headline", "organization")]
    assert found(doc, terms) == [("The Wrapper", "organization"), ("Headline", "organization")]


@pytest.mark.parametrize(("text", "terms", "name"), [
    # a part that is no known name: the model's entity stands ("Procter & Gamble")
    ("shares of Procter & Gamble rose", ["Gamble Press"], "Procter & Gamble"),
    # known as a whole: the longer match wins, nothing is cut
    ("the News & Observer reported", ["News & Observer", "Observer"], "News & Observer"),
])
def test_a_name_holding_and_is_not_cut(blank: Language, text: str, terms: list[str],
                                       name: str) -> None:
    words = text.split(" ")
    start = words.index(name.split(" ")[0])
    tags = ["O"] * len(words)
    for i in range(start, start + len(name.split(" "))):
        tags[i] = "I-ORG" if i > start else "B-ORG"
    doc = make_doc(blank, text, tags)
    got = found(doc, [GazetteerTerm(t, "organization") for t in terms])
    assert (name, "organization") in got and len(got) == 1


def test_unconfident_gazetteer_terms_are_not_matched(blank: Language) -> None:
    doc = make_doc(
        blank, "the wagner sang in UN halls", tags=["DT", "NN", "VBD", "IN", "NNP", "NNS"]
    )
    terms = [GazetteerTerm("wagner", "organization"), GazetteerTerm("UN", "organization")]
    assert found(doc, terms) == []


# --- document consistency --------------------------------------------------------------------


def test_surname_of_a_person_is_a_person_later(blank: Language) -> None:
    doc = make_doc(
        blank,
        "Jevu Shin spoke . Later Shin left",
        ["B-PERSON", "I-PERSON", "O", "O", "O", "B-ORG", "O"],
        ["NNP", "NNP", "VBD", ".", "RB", "NNP", "VBD"],
    )
    assert found(doc) == [("Jevu Shin", "person"), ("Shin", "person")]


def test_name_found_once_is_found_again(blank: Language) -> None:
    doc = make_doc(
        blank,
        "Ulla Brandt won . Ulla Brandt smiled and Brandt waved",
        ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "O", "O"],
        ["NNP", "NNP", "VBD", ".", "NNP", "NNP", "VBD", "CC", "NNP", "VBD"],
    )
    assert found(doc) == [
        ("Ulla Brandt", "person"),
        ("Ulla Brandt", "person"),
        ("Brandt", "person"),
    ]


def test_majority_type_within_a_document(blank: Language) -> None:
    doc = make_doc(
        blank,
        "Corvel rose . Corvel fell . Corvel closed",
        ["B-ORG", "O", "O", "B-ORG", "O", "O", "B-GPE", "O"],
        ["NNP", "VBD", ".", "NNP", "VBD", ".", "NNP", "VBD"],
    )
    assert [t for _, t in found(doc)] == ["organization"] * 3


def test_propagation_skips_the_start_of_a_longer_name(blank: Language) -> None:
    doc = make_doc(blank, "Vessa spoke . Vessa Post said", ["B-PERSON", "O", "O", "O", "O", "O"])
    assert found(doc) == [("Vessa", "person")]


# --- nationalities -------------------------------------------------------------------------------


def test_nationalities_only_when_asked(blank: Language) -> None:
    doc = make_doc(
        blank,
        "the Iraqi Kurdish group and Ada Voss",
        ["O", "B-NORP", "B-NORP", "O", "O", "B-PERSON", "I-PERSON"],
        ["DT", "JJ", "JJ", "NN", "CC", "NNP", "NNP"],
    )
    assert found(doc) == [("Ada Voss", "person")]
    # Adjacent nationalities are one compound ("Iraqi Kurdish"), as the CoNLL scheme has it.
    assert found(doc, nationalities=True) == [("Iraqi Kurdish", "other"), ("Ada Voss", "person")]


# --- with the real model ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(nationalities=True)


@pytest.mark.parametrize(
    "text",
    [
        "Officials said Kim Jong-un's train arrived in Moscow on Tuesday.",
        "Officials said Kim Jong-un 's train arrived in Moscow on Tuesday .",
    ],
)
def test_real_model_possessive_and_dates(extractor: Extractor, text: str) -> None:
    got = {
        (m.span.text, m.type) for m in extractor.extract_one(Article(path="t", text=text)).mentions
    }
    assert ("Kim Jong-un", "person") in got
    assert ("Moscow", "place") in got
    assert not any("'s" in t or "Tuesday" in t for t, _ in got)


def test_real_model_nationality_flag() -> None:
    text = "The German minister met French officials in Berlin."
    plain = Extractor().extract_one(Article(path="t", text=text)).mentions
    asked = Extractor(nationalities=True).extract_one(Article(path="t", text=text)).mentions
    assert all(m.type != "other" for m in plain)
    assert {m.span.text for m in asked if m.type == "other"} >= {"German", "French"}


def test_real_model_chinese_surname_he_is_part_of_the_name(extractor: Extractor) -> None:
    text = '"We must act," He Jianxiong, a former IMF director, said in Beijing.'
    got = {m.span.text for m in extractor.extract_one(Article(path="t", text=text)).mentions
           if m.type == "person"}
    assert got == {"He Jianxiong"}
    text = "He met Jianxiong in Beijing."
    got = {m.span.text for m in extractor.extract_one(Article(path="t", text=text)).mentions}
    assert "He Jianxiong" not in got
