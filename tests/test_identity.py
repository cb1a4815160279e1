"""Identity of people within an article (`kg.identity`) and across articles (resolve)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from kg.identity import ArticleNames, looks_like_person, person_name, titles
from kg.models import Article, Attribution, Extraction, Mention, Span
from kg.registry import load_gazetteer, load_registry
from kg.resolve import resolve


def test_titles_data_is_clean() -> None:
    data = json.loads(resources.files("kg").joinpath("data/titles.json").read_text("utf-8"))
    words = data["titles"]
    assert words == sorted(words) and len(words) == len(set(words))
    assert all(w == w.lower() and not w.endswith(".") and " " not in w for w in words)
    assert {"mr", "dr", "president", "superintendent", "coach", "gov"} <= titles()


@pytest.mark.parametrize(("name", "expected"), [
    ("Superintendent Jennifer McCormick", "Jennifer McCormick"),
    ("Prime Minister Boris Johnson", "Boris Johnson"),
    ("Mr. Gachechiladze", "Gachechiladze"),
    ("Coach Frank Vogel", "Frank Vogel"),
    ("Browns DL Sheldon Richardson", "Sheldon Richardson"),
    ("President", "President"),
    ("Ban Ki-moon", "Ban Ki-moon"),
    ("Dick Clark Productions", "Dick Clark Productions"),
])
def test_person_name_drops_titles(name: str, expected: str) -> None:
    assert person_name(name) == expected


def test_short_forms_join_the_one_full_name_of_the_article() -> None:
    text = "Tim Cook met Ban Ki-moon. Cook and Ban spoke. Mary Ford and Dale Ford came."
    mentions = [Mention(Span(n, text.index(n), text.index(n) + len(n)), "person")
                for n in ("Tim Cook", "Ban Ki-moon", "Mary Ford", "Dale Ford")]
    names = ArticleNames.of(mentions)
    assert names.expand("Cook") == "Tim Cook"
    assert names.expand("Mr. Cook") == "Tim Cook"
    assert names.expand("Tim") == "Tim Cook"
    assert names.expand("Ban") == "Ban Ki-moon"
    assert names.expand("Ford") is None  # two full names share it
    assert names.expand("Smith") is None


@pytest.mark.parametrize(("name", "expected"), [
    ("Penelope Muse Abernathy", True), ("Michael Webb", True), ("Big Machine Records", False),
    ("Apple", False), ("United Nations", False)])
def test_looks_like_person(name: str, expected: bool) -> None:
    assert looks_like_person(name) is expected


def _article(path: str, text: str, names: dict[str, str], said: list[str]) -> Extraction:
    mentions = []
    for name, type_ in names.items():
        start = 0
        while (i := text.find(name, start)) != -1:
            mentions.append(Mention(Span(name, i, i + len(name)), type_))
            start = i + len(name)
    attributions = []
    for source in said:
        i = text.index(source + " said")
        attributions.append(Attribution(
            Span(source, i, i + len(source)), "person", Span("said", i + len(source) + 1,
                                                             i + len(source) + 5),
            None, "said", 0.9, Span(text, 0, len(text))))
    mentions.sort(key=lambda m: m.span.start)
    return Extraction(Article(path=path, text=text), tuple(attributions), tuple(mentions))


def _sources(corpus: object) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for art in corpus.articles:  # type: ignore[attr-defined]
        out[art.article.path] = [ra.source_id for ra in art.attributions]
    return out


def test_a_short_first_name_is_the_same_person_in_one_article() -> None:
    text = "Apte said the air was bad. Joshua Apte added more. Josh Apte said it was worse."
    a = _article("a.txt", text, {"Joshua Apte": "person", "Josh Apte": "person", "Apte": "person"},
                 ["Apte", "Josh Apte"])
    corpus = resolve([a], load_registry(), load_gazetteer())
    assert _sources(corpus)["a.txt"] == ["person:joshua-apte"] * 2
    # Two first names neither of which starts the other are two people.
    names = ArticleNames.of([Mention(Span(n, 0, len(n)), "person")
                             for n in ("Mary Ford", "Marianne Ford", "Dale Ford")])
    assert names.canonical("Mary Ford") == "Mary Ford"
    assert names.expand("Ford") is None


def test_a_middle_initial_is_the_same_person_in_one_article() -> None:
    names = ArticleNames.of([Mention(Span(n, 0, len(n)), "person")
                             for n in ("Patrick Hale Jr.", "Patrick W. Hale", "Mary Jones")])
    assert names.canonical("Patrick W. Hale") == "Patrick Hale Jr."
    assert names.expand("Hale") == "Patrick Hale Jr."  # one person, not two
    # two different initials are two people: the surname names neither
    names = ArticleNames.of([Mention(Span(n, 0, len(n)), "person")
                             for n in ("Patrick Hale", "Patrick W. Hale", "Patrick J. Hale")])
    assert names.canonical("Patrick W. Hale") == "Patrick W. Hale"
    assert names.expand("Hale") is None
    # nor does another first name with the initial
    names = ArticleNames.of([Mention(Span(n, 0, len(n)), "person")
                             for n in ("Patrick Hale", "Mary W. Hale")])
    assert names.canonical("Mary W. Hale") == "Mary W. Hale"
    assert names.expand("Hale") is None


def test_surname_joins_within_an_article_and_never_across() -> None:
    a = _article("a.txt", "Tim Cook said sales rose. Cook said more.",
                 {"Tim Cook": "person", "Cook": "person"}, ["Tim Cook", "Cook"])
    b = _article("b.txt", "The chef said lunch was ready. Cook said so.",
                 {"Cook": "person"}, ["Cook"])
    corpus = resolve([a, b], load_registry(), load_gazetteer())
    got = _sources(corpus)
    assert got["a.txt"] == ["person:tim-cook", "person:tim-cook"]
    (lone,) = got["b.txt"]
    assert lone is not None and lone.startswith("person:cook-") and lone != "person:tim-cook"


def test_a_full_name_stays_a_person_whatever_one_mention_says() -> None:
    text = "Jim Bridenstine said the lander was ready. Bridenstine said NASA would go."
    a = _article("a.txt", text, {"Jim Bridenstine": "person", "Bridenstine": "organization"},
                 ["Jim Bridenstine", "Bridenstine"])
    corpus = resolve([a], load_registry(), load_gazetteer())
    assert _sources(corpus)["a.txt"] == ["person:jim-bridenstine"] * 2


def test_gazetteer_respects_case() -> None:
    text = "Taylor Swift said hello. SWIFT said the network was safe."
    a = _article("a.txt", text, {"Taylor Swift": "person", "SWIFT": "organization"},
                 ["Taylor Swift", "SWIFT"])
    corpus = resolve([a], load_registry(), load_gazetteer())
    assert _sources(corpus)["a.txt"] == ["person:taylor-swift", "organization:swift"]
    lone = _article("b.txt", "Swift said hello.", {"Swift": "person"}, ["Swift"])
    (sid,) = _sources(resolve([lone], load_registry(), load_gazetteer()))["b.txt"]
    assert sid is not None and sid.startswith("person:swift")


@pytest.mark.parametrize("platform", ["Twitter", "Facebook", "Weibo", "Instagram", "YouTube"])
def test_platforms_are_organisations(platform: str) -> None:
    entry = load_gazetteer().lookup(platform)
    assert entry is not None and entry.type == "organization"


def _place_says(text: str, place: str, cue: str, source_rule: str = "subject") -> Extraction:
    i, c = text.index(place), text.index(cue)
    return Extraction(Article(path="a.txt", text=text), (Attribution(
        Span(place, i, i + len(place)), "unknown", Span(cue, c, c + len(cue)), None, "said", 0.9,
        Span(text, 0, len(text)), rule="reporting-verb", source_rule=source_rule),),
        (Mention(Span(place, i, i + len(place)), "place"),))


@pytest.mark.parametrize(("text", "cue", "source_rule"), [
    ("Beijing is balking at the deal.", "is balking", "subject"),
    ("Beijing wants a deal.", "wants", "subject"),
    # the subject a participle shares may be another's: "Ann said that Beijing had agreed ...,
    # saying ..."
    ("Ann said that Beijing had agreed, saying it was fair.", "saying",
     "shared:participle/subject"),
])
def test_a_place_speaking_is_below_the_graph_threshold(text: str, cue: str,
                                                        source_rule: str) -> None:
    from kg.models import DEFAULT_MIN_CONFIDENCE
    from kg.resolve import CONFIDENCE_PLACE

    a = _place_says(text, "Beijing", cue, source_rule)
    (art,) = resolve([a], load_registry(), load_gazetteer()).articles
    (ra,) = art.attributions
    assert ra.source_id == "place:beijing"
    assert ra.attribution.confidence == CONFIDENCE_PLACE < DEFAULT_MIN_CONFIDENCE
    assert not ra.edge


@pytest.mark.parametrize(("text", "cue"), [
    ("Beijing said it wants a deal.", "said"),
    ("Beijing has denounced the ruling.", "has denounced"),
    ("Tariffs will rise, according to Beijing.", "according to"),
])
def test_a_place_with_a_verb_of_public_statement_is_its_government(text: str,
                                                                   cue: str) -> None:
    a = _place_says(text, "Beijing", cue)
    corpus = resolve([a], load_registry(), load_gazetteer())
    (ra,) = corpus.articles[0].attributions
    assert ra.source_id == "organization:beijing" and ra.edge
    assert {e.id: e.type for e in corpus.entities}["organization:beijing"] == "organization"


def test_an_organisations_name_tagged_as_a_person_is_an_organisation() -> None:
    # "Dick Clark Productions" tagged PERSON at every mention: an organisation node, and no
    # person's full name of its article
    text = "Dick Clark Productions denied the deal. Dick Clark Productions said so again."
    a = _article("a.txt", text, {"Dick Clark Productions": "person"},
                 ["Dick Clark Productions", "Dick Clark Productions"])
    corpus = resolve([a], load_registry(), load_gazetteer())
    assert _sources(corpus)["a.txt"] == ["organization:dick-clark-productions"] * 2
    names = ArticleNames.of([Mention(Span("Dick Clark Productions", 0, 22), "person")])
    assert not names.is_full("Dick Clark Productions")
    # a person's full name stays one
    assert ArticleNames.of([Mention(Span("Dick Clark", 0, 10), "person")]).is_full("Dick Clark")
