"""Name cleaning (`kg.names`): one function, idempotent, keeps the spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.names import clean_name, normalize, trim

# Names as they stand in running text: letters, spaces, quotes, apostrophes, dots, commas.
PUNCTUATION = list("aAbTthesS .,'’\"“”()-:;!?…\u00a0\t\n")
TEXTISH = st.text(alphabet=st.sampled_from(PUNCTUATION) | st.characters(), max_size=40)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the Kremlin's.", "Kremlin"),
        ("the Kremlin's", "Kremlin"),
        (" NK  News,", "NK News"),
        ("Reuters'", "Reuters"),
        ("Kim’s", "Kim"),
        ("“Jane Roe,”", "Jane Roe"),
        ("an Interfax", "Interfax"),
        ("the U.S.", "U.S."),
        ("O’Brien", "O’Brien"),  # the spelling is kept
        ("The", "The"),
    ],
)
def test_clean_name(text: str, name: str) -> None:
    assert clean_name(text) == name


@given(TEXTISH)
def test_clean_name_is_idempotent(text: str) -> None:
    once = clean_name(text)
    assert clean_name(once) == once


@given(TEXTISH)
def test_registry_form_is_idempotent(text: str) -> None:
    once = trim(normalize(text))
    assert trim(normalize(once)) == once
