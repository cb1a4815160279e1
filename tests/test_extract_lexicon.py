"""The lexicon (`kg/extract/lexicons/*.toml`): well-formed, no duplicates, no word in two
families of one group unless the overlap is declared with its reason, no listed word dead."""

from __future__ import annotations

import pytest

from kg.errors import ConfigError
from kg.extract import lexicon
from kg.extract.lexicon import FAMILIES, Family, check, parse_family


def _family(name: str, group: str, words: str, extra: str = "") -> Family:
    return parse_family(name, f'description = "x"\ngroup = "{group}"\nwords = "{words}"\n{extra}')


def test_every_family_is_described_and_grouped() -> None:
    assert len(FAMILIES) >= 40
    for name, family in FAMILIES.items():
        assert family.description, name
        assert family.group, name
        assert family.words, name


def test_a_word_listed_twice_is_refused() -> None:
    with pytest.raises(ConfigError, match="'say' is listed twice"):
        _family("cue_verbs", "verb", "say tell say")


def test_a_word_in_capitals_is_refused() -> None:
    with pytest.raises(ConfigError, match="lower-case"):
        _family("cue_verbs", "verb", "say Tell")


def test_an_undeclared_overlap_is_refused() -> None:
    a = _family("a", "verb", "say claim")
    b = _family("b", "verb", "claim want")
    with pytest.raises(ConfigError, match="share claim without an overlap declared"):
        check({"a": a, "b": b})


def test_a_declared_overlap_passes_and_must_be_exact() -> None:
    declared = '[overlaps.b]\nwords = "claim"\nreason = "both, on purpose"'
    a = _family("a", "verb", "say claim", declared)
    b = _family("b", "verb", "claim want")
    assert check({"a": a, "b": b})["a"].words == {"say", "claim"}
    too_much = '[overlaps.b]\nwords = "claim want"\nreason = "both"'
    with pytest.raises(ConfigError, match="not in both"):
        check({"a": _family("a", "verb", "say claim", too_much), "b": b})


def test_an_overlap_needs_a_reason() -> None:
    with pytest.raises(ConfigError, match="needs a reason"):
        _family("a", "verb", "say", '[overlaps.b]\nwords = "say"\nreason = " "')


def test_families_of_other_groups_may_share_words() -> None:
    a = _family("a", "verb", "say claim")
    b = _family("b", "construction", "claim")
    assert set(check({"a": a, "b": b})) == {"a", "b"}


def test_include_adds_the_included_words() -> None:
    assert lexicon.NOUN_CUES <= lexicon.COPULAR_NOUNS
    assert lexicon.NOUN_CUES <= lexicon.LIGHT_NOUNS
    assert lexicon.VIEW_NOUNS <= lexicon.IN_SOURCE_HEADS
    assert lexicon.WINNING_VERBS <= lexicon.LIGHT_VERBS


def test_declared_overlaps_in_the_data_give_their_reasons() -> None:
    declared = [(name, other, o) for name, f in FAMILIES.items() for other, o in f.overlaps.items()]
    assert declared
    for name, other, overlap in declared:
        assert len(overlap.reason.split()) >= 8, (name, other)
        assert overlap.words == FAMILIES[name].own & FAMILIES[other].own, (name, other)


def test_a_malformed_file_names_itself() -> None:
    with pytest.raises(ConfigError, match=r"kg/extract/lexicons/x\.toml: missing 'group'"):
        parse_family("x", 'description = "x"\nwords = "a"')
    with pytest.raises(ConfigError, match=r"x\.toml: not valid TOML"):
        parse_family("x", "words = ")


def _participle(word: str) -> str:
    """The regular past participle ("allege" → "alleged", "rumor" → "rumored"); irregular
    verbs have an example sentence of their own in the lexicon."""
    if word.endswith("e"):
        return word + "d"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ied"
    return word + "ed"


def _cue_sentences() -> list[tuple[str, str, str]]:
    return [
        (name, word, family.examples.get(word)
         or (family.template or "").format(word=word, participle=_participle(word)))
        for name, family in sorted(FAMILIES.items()) if family.cue
        for word in sorted(family.own)
    ]


def test_every_cue_word_fires_on_its_sentence() -> None:
    """Every word of a cue family gives an attribution whose cue holds it, on the family's
    template sentence (or the word's own example): no listed word is silently dead."""
    from kg.extract import find_attributions, load_nlp

    cases = _cue_sentences()
    assert len(cases) > 500
    nlp = load_nlp()
    dead = []
    for (name, word, sentence), doc in zip(
        cases, nlp.pipe([c[2] for c in cases], batch_size=64), strict=True
    ):
        cues = [[t for t in doc if a.cue.start <= t.idx < a.cue.end]
                for a in find_attributions(doc)]
        if not any(word in (t.lower_, t.lemma_.lower()) for tokens in cues for t in tokens):
            dead.append(f"{name}: {word!r} on {sentence!r}")
    assert dead == []


def test_constructions_qualify_words_a_rule_is_offered() -> None:
    """A list that qualifies the words of a family is dead wherever it names a word no rule is
    ever offered ("scoff" was listed after "at" but in no verb family)."""
    verbs = lexicon.CUE_VERBS | lexicon.STANCE_VERBS
    for name in ("clause_only_verbs", "bare_no_cue", "addressee_verbs"):
        assert FAMILIES[name].words <= verbs, name
    assert lexicon.BARE_NO_CUE <= lexicon.CUE_VERBS
    assert lexicon.TARGET_VERBS <= lexicon.STANCE_VERBS - lexicon.CUE_VERBS
    # the light-verb rule is offered "gave their views" only for a light noun
    assert {w.removesuffix("s") for w in lexicon.GIVEN_VIEWS} <= lexicon.LIGHT_NOUNS
    for prep, words in lexicon.PREP_VERBS.items():
        assert words <= verbs, (prep, sorted(words - verbs))
    assert set(lexicon.LIGHT_VERB_NOUNS) <= lexicon.LIGHT_VERBS
    assert lexicon.CLAUSE_LIGHT_VERBS <= lexicon.LIGHT_VERBS
    assert lexicon.VIEW_NOUNS_WITH_OF <= lexicon.VIEW_NOUNS
    assert lexicon.POLL_HEADS <= lexicon.IN_SOURCE_HEADS


def _verb_lemmas(word: str) -> set[str]:
    """The lemmas an inflected form may have: "says" say, "urged" urge, "denied" deny."""
    irregular = {"said": "say"}
    if word in irregular:
        return {irregular[word]}
    out = {word, word[:-1], word[:-2], word[:-3], word[:-3] + "e"}
    if word.endswith(("ies", "ied")):
        out.add(word[:-3] + "y")
    return out


def test_government_voice_verbs_are_forms_of_verbs_the_rules_are_offered() -> None:
    verbs = lexicon.CUE_VERBS | lexicon.STANCE_VERBS
    for word in lexicon.GOVERNMENT_VOICE_VERBS - {"according"}:
        assert _verb_lemmas(word) & verbs, word
    # every form of a listed verb is there: the cue is read as written
    for base in ("say", "urge", "deny", "criticise"):
        assert {w for w in lexicon.GOVERNMENT_VOICE_VERBS if base in _verb_lemmas(w)} >= {base}


def test_particle_statements_are_stance_verbs_with_a_particle() -> None:
    assert set(lexicon.PARTICLE_STATEMENTS) <= lexicon.STANCE_VERBS
    assert all(ps <= lexicon.PARTICLE_PREPS | {"out", "off", "up", "down", "in"}
               for ps in lexicon.PARTICLE_STATEMENTS.values())
