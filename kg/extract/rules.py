"""The attribution rules, applied to a parsed text."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.cues import (
    headline_lemma,
    misread_verb,
    put_it,
    sees_as,
    that_clause,
    verbless_headline,
)
from kg.extract.layout import colon_quotes, dash_quotes, speaker_colons
from kg.extract.lexicon import (
    CAUSING_VERBS,
    CUE_VERBS,
    LIGHT_VERBS,
    NOUN_CUES,
    QUOTE_ONLY_VERBS,
    ROLE_NOUNS,
    STANCE_ADJECTIVES,
    STANCE_VERBS,
)
from kg.extract.nesting import mark_nested
from kg.extract.phrases import (
    according_to,
    adjective_attribution,
    copular_attribution,
    in_view,
    light_verb_attribution,
    noun_attribution,
    role_attribution,
)
from kg.extract.quotes import QuoteIndex, quote_spans
from kg.extract.tokens import has_dep, text_of
from kg.extract.verbs import (
    asked,
    citing,
    headline_attribution,
    implicit_attributions,
    noun_verb_attribution,
    verb_attribution,
    verbless_attribution,
)
from kg.models import Attribution


def find_attributions(doc: Doc, offset: int = 0) -> list[Attribution]:
    """All attributions in a parsed text, with offsets shifted by `offset`.

    An attribution whose cue sits inside another's content is nested ("dialog.ua reported that
    experts believe ..."): it gets the outer source as its `via`.
    """
    quotes = quote_spans(text_of(doc))
    index = QuoteIndex(quotes)
    found: list[Attribution] = []
    for sent in doc.sents:
        for token in sent:
            lemma = token.lemma_.lower()
            if token.lower_ == "according":
                found.extend(according_to(token, sent, offset))
            elif lemma == "put" and put_it(token):
                item = verb_attribution(token, sent, offset, quotes, index=index)
                if item is not None:
                    found.append(item)
            elif token.lower_ == "in" and token.dep_ == "prep":
                item = in_view(token, sent, offset)
                if item is not None:
                    found.append(item)
            elif token.tag_ == "NNS" and token.dep_ == "dobj" and verbless_headline(token, sent):
                item = verbless_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif token.tag_ == "NNS" and token.dep_ == "ROOT" and misread_verb(token):
                item = noun_verb_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "NOUN" and lemma in ROLE_NOUNS and token.dep_ == "attr":
                item = role_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "NOUN" and token.lemma_.lower() in NOUN_CUES:
                item = noun_attribution(token, sent, offset)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "ADJ" and lemma in STANCE_ADJECTIVES and token.dep_ == "acomp":
                item = adjective_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif lemma in LIGHT_VERBS and token.pos_ in ("VERB", "AUX"):
                item = light_verb_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif lemma == "ask" and (
                (token.tag_ == "VBN" and has_dep(token, "nsubjpass"))
                or (token.tag_ in ("VBN", "VBD") and token.dep_ == "advcl"
                    and not has_dep(token, "nsubj"))
            ):
                item = asked(token, sent, offset, quotes) or verb_attribution(
                    token, sent, offset, quotes, index=index
                )
                if item is not None:
                    found.append(item)
            elif lemma == "be" and token.pos_ in ("AUX", "VERB"):
                item = copular_attribution(token, sent, offset, quotes)
                if item is not None:
                    found.append(item)
            elif lemma == "cite" and token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp"):
                found.extend(citing(token, sent, offset, quotes))
            elif (
                lemma in CUE_VERBS or lemma in STANCE_VERBS or lemma in QUOTE_ONLY_VERBS
            ) and token.pos_ in ("VERB", "AUX"):
                item = verb_attribution(token, sent, offset, quotes, index=index)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "PROPN" and token.is_title and headline_lemma(token) is not None:
                item = headline_attribution(token, sent, offset)
                if item is not None:
                    found.append(item)
            elif token.pos_ == "VERB" and lemma not in CAUSING_VERBS and (
                that_clause(token) or sees_as(token)
            ):
                item = verb_attribution(token, sent, offset, quotes, generic=True)
                if item is not None:
                    found.append(item)
    found.extend(implicit_attributions(doc, offset, found))
    found.extend(colon_quotes(doc, offset, quotes, found))
    found.extend(dash_quotes(doc, offset, quotes, found))
    found.extend(speaker_colons(doc, offset, found))
    return mark_nested(found)
