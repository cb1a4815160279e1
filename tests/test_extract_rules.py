"""Each rule of the registry (`kg.extract.rules`) on sentences written for it: at least one it
must fire on and one it must not. The coverage bugs the registry's issue named are here too."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract import find_attributions, load_nlp
from kg.models import Attribution


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _found(nlp: Language, text: str) -> list[Attribution]:
    return find_attributions(nlp(text))


def _by(nlp: Language, text: str, rule: str) -> list[tuple[str, str, str | None]]:
    return [(a.source.text, a.cue.text, a.content.text if a.content else None)
            for a in _found(nlp, text) if a.rule == rule]


def test_officials_hold_that(nlp: Language) -> None:
    """"hold" joined the light verbs ("held the view that") and lost "hold that ..."."""
    assert _by(nlp, "Officials hold that the vote was fair.", "that-clause") == [
        ("Officials", "hold", "that the vote was fair")
    ]
    assert _by(nlp, "She holds the view that the vote was fair.", "light-verb") == [
        ("She", "holds the view", "that the vote was fair")
    ]
    assert _found(nlp, "They held a press conference on Monday.") == []


def test_the_senator_scoffed(nlp: Language) -> None:
    """"scoff" was listed only among the verbs that take their target after "at": no rule was
    ever offered it."""
    assert _by(nlp, "The senator scoffed at the plan, saying it would fail.", "stance-verb") == [
        ("The senator", "scoffed", "the plan")
    ]
    assert _by(nlp, "The senator scoffed at the plan, saying it would fail.", "reporting-verb") == [
        ("The senator", "saying", "it would fail")
    ]
