"""Tests for kg.language: which articles the English model reads."""

from __future__ import annotations

import pytest

from kg.language import ENGLISH, language_of


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The minister said on Tuesday that the talks would go on, according to the agency.",
         ENGLISH),
        ("Министр заявил во вторник, что переговоры продолжатся, сообщает агентство.", "ru"),
        ("O ministro disse na terça-feira que as negociações vão continuar, segundo a agência.",
         "pt"),
        ("장관은 화요일에 협상이 계속될 것이라고 말했다고 통신사가 전했다 그리고 다시", "ko"),
        ("Der Minister sagte am Dienstag, die Gespräche würden weitergehen, so die Agentur.",
         "de"),
    ],
)
def test_language_of(text: str, code: str) -> None:
    assert language_of(text) == code


def test_too_short_to_tell() -> None:
    assert language_of("Hello there") is None
    assert language_of("") is None


def test_english_needs_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import language

    def refuse() -> None:
        raise AssertionError("the model was loaded for an English text")

    monkeypatch.setattr(language, "_identifier", refuse)
    assert language_of("He said that the plan was not what they had been told it would be.") == (
        ENGLISH
    )
