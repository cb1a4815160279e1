"""kg's rules as spaCy components (`kg.extract.components`): `nlp.add_pipe("kg_attributions")`
in a pipeline built from the installed model, results read from the `Doc`."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from kg.extract import default_model_name
from kg.extract.components import LINKS_KEY, OFFSET_KEY
from kg.ingest import iter_inputs
from kg.models import Article, Link
from tests.conftest import DATA, SEED_NAME


@pytest.fixture(scope="module")
def nlp() -> Language:
    """A blank English pipeline with the installed model's components (tagger, parser,
    lemmatizer, NER), then kg's, by name only: spaCy finds them through kg's entry points."""
    source = spacy.load(default_model_name())
    nlp = spacy.blank("en")
    for name in source.pipe_names:
        nlp.add_pipe(name, source=source)
    nlp.add_pipe("kg_mentions")
    nlp.add_pipe("kg_attributions")
    return nlp


def test_the_seed_articles_attributions_are_read_from_the_doc(nlp: Language) -> None:
    (article,) = [a for a in iter_inputs([DATA / SEED_NAME]) if isinstance(a, Article)]
    doc = nlp(article.text)
    found = {(a.source.text, a.cue.text, a.rule) for a in doc._.kg_attributions}
    for expected in [
        ("dialog.ua", "reported", "reporting-verb"),
        ("the Flightradar24 service", "according to", "according-to"),
        ("Bloomberg", "points out", "reporting-verb"),
        ("Open Nuclear Network analyst Jevu Shin", "said", "reporting-verb"),
        ("Reuters", "wrote", "reporting-verb"),
    ]:
        assert expected in found, sorted(found)
    assert any(a.source.text.startswith("NK News") and a.cue.text == "cites"
               for a in doc._.kg_attributions)
    for a in doc._.kg_attributions:
        assert article.text[a.cue.start : a.cue.end] == a.cue.text
    assert {"Pyongyang", "Bloomberg", "Jevu Shin"} <= {m.span.text for m in doc._.kg_mentions}


def test_offsets_and_links_from_user_data(nlp: Language) -> None:
    text = "The bridge reopened, the Daily Bugle reported."
    doc = nlp.make_doc(text)
    doc.user_data[OFFSET_KEY] = 100
    start = text.index("Daily Bugle")
    doc.user_data[LINKS_KEY] = (Link("https://bugle.example/a", "Daily Bugle", start + 100,
                                     start + 111),)
    doc = nlp(doc)
    rules = {(a.rule, a.source.text, a.source.start) for a in doc._.kg_attributions}
    assert ("reporting-verb", "the Daily Bugle", 100 + text.index("the Daily")) in rules
    assert ("hyperlink", "Daily Bugle", 100 + start) in rules
