"""Identity of people within one article: one key for every form of a person's name.

Resolve gives a node to each real person; this module decides which name forms are the same
person *within an article* (where the text introduces "Tim Cook" and then says "Cook"):

* titles are not part of a name ("Superintendent Jennifer McCormick" is "Jennifer McCormick",
  "Mr Gachechiladze" is "Gachechiladze"), and neither are words before a known first name that
  the model ran into a person's name ("Browns DL Sheldon Richardson");
* a surname, first name or title form joins the one full name of the article it abbreviates
  ("Cook" → "Tim Cook", "Ban" → "Ban Ki-moon"); when two full names share it, it joins neither;
* a full name whose first word is a known first name is a person, whatever type a single
  mention of it was given ("Penelope Muse Abernathy" tagged ORG once).

Across articles only full names and gazetteer aliases meet (resolve's `NameTable`); a bare
surname or first name never merges two articles' people.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kg.models import Mention
from kg.speakers import first_name_gender

WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d+")
SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Words that precede a name as a title or role, lowercased, without a final dot
    (package data: `kg/data/titles.json`)."""
    data = json.loads(resources.files("kg").joinpath("data/titles.json").read_text("utf-8"))
    return frozenset(data["titles"])


def _is_title(word: str) -> bool:
    return word.casefold().rstrip(".") in titles()


def is_first_name(word: str) -> bool:
    """A word on the shipped first-name lists, of either gender or both."""
    return first_name_gender(word) is not None or _on_both_lists(word)


def _on_both_lists(word: str) -> bool:
    from kg.speakers import _name_lists

    male, female = _name_lists()
    key = word.casefold()
    return key in male and key in female


def person_name(name: str) -> str:
    """The name of a person without the titles and role words before it: "Prime Minister Boris
    Johnson" → "Boris Johnson", "Browns DL Sheldon Richardson" → "Sheldon Richardson",
    "Mr. Cook" → "Cook". A name that is all title ("President") stays as it is."""
    words = [w.strip("()[]") for w in name.split()]
    words = [w for w in words if w]
    if any(w.casefold().strip(".,") in ORGANIZATION_WORDS for w in words):
        return name  # "Dick Clark Productions" is no person's name
    while len(words) > 1 and _is_title(words[0]):
        words = words[1:]
    # Words before a known first name that are no name ("Browns DL", "New Jersey native",
    # "Lakers coach"): only when a first name and a surname are left, the dropped words are no
    # first names, and one of them is a role word in lower case or an abbreviation in capitals
    # (so "San Francisco Chronicle" stays whole).
    if len(words) >= 3:
        for i in range(1, len(words) - 1):
            if is_first_name(words[i]) and not any(is_first_name(w) for w in words[:i]) and (
                words[i][:1].isupper()
            ):
                lead = words[:i]
                if all(w[:1].isupper() for w in words[i:]) and any(
                    w.islower() or (w.isupper() and len(w) > 1) for w in lead
                ):
                    words = words[i:]
                break
    return " ".join(words)


def name_words(name: str) -> list[str]:
    """Casefolded words of a person's name, generational suffix dropped."""
    words = [w.casefold().strip(".'’") for w in WORD.findall(name)]
    while len(words) > 1 and SUFFIX.match(words[-1]):
        words = words[:-1]
    return [w for w in words if w]


@dataclass
class ArticleNames:
    """The full person names of one article, by their last and first words."""

    full: dict[str, str] = field(default_factory=dict)  # folded full name → its best surface
    by_last: dict[str, set[str]] = field(default_factory=dict)
    by_first: dict[str, set[str]] = field(default_factory=dict)
    organizations: set[str] = field(default_factory=set)  # organisation names as written
    # a full name with a short first name → the full name it shortens ("josh apte" → "joshua
    # apte"): one person in one article
    short_for: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, mentions: Iterable[Mention]) -> ArticleNames:
        names = cls()
        for m in mentions:
            if m.type not in ("person", "organization", "other"):
                continue
            if m.type == "organization":
                names.organizations.add(" ".join(m.span.text.split()))
            surface = person_name(" ".join(m.span.text.split()))
            words = name_words(surface)
            if len(words) < 2:
                continue
            if m.type != "person" and not looks_like_person(surface):
                continue
            if not looks_like_person(surface) and any(
                w.casefold().strip(".,") in ORGANIZATION_WORDS for w in surface.split()
            ):
                continue  # "Dick Clark Productions" tagged PERSON is no person's full name
            key = " ".join(words)
            names.full.setdefault(key, surface)
            names.by_last.setdefault(words[-1], set()).add(key)
            names.by_first.setdefault(words[0], set()).add(key)
        names._join_middle_initials()
        names._join_short_first_names()
        return names

    def _join_middle_initials(self) -> None:
        """The middle-initial rule: "Patrick W. Carlineo" and "Patrick Carlineo" in one article
        are one person (the same first name and surname, one with a middle initial the other
        leaves out), so the bare "Carlineo" names one full name, not two. Two different
        initials ("Patrick W." and "Patrick J.") are two people, and neither joins."""
        for last, keys in self.by_last.items():
            joins: dict[str, list[str]] = {}
            for key in keys:
                words = key.split()
                if len(words) == 3 and len(words[1]) == 1:
                    plain = f"{words[0]} {last}"
                    if plain in keys:
                        joins.setdefault(plain, []).append(key)
            for plain, initialled in joins.items():
                if len(initialled) == 1:
                    self.short_for[initialled[0]] = plain
            self.by_last[last] = {k for k in keys if k not in self.short_for}

    def _join_short_first_names(self) -> None:
        """"Josh Apte" and "Joshua Apte" in one article are one person: the same surname, and
        one first name the start of the other (three letters at least)."""
        for last, keys in self.by_last.items():
            for key in sorted(keys):
                first, rest = key.split()[0], key.split()[1:]
                longer = [
                    k for k in keys if k != key and k.split()[1:] == rest
                    and len(first) >= 3 and k.split()[0].startswith(first)
                ]
                if len(longer) == 1:
                    self.short_for[key] = longer[0]
            self.by_last[last] = {k for k in keys if k not in self.short_for}

    def canonical(self, name: str) -> str:
        """The article's longer form of a person's full name ("Josh Apte" → "Joshua Apte"), or
        the form without a middle initial ("Patrick W. Carlineo" → "Patrick Carlineo"), else the
        name."""
        key = " ".join(name_words(person_name(name)))
        longer = self.short_for.get(key)
        return self.full[longer] if longer is not None else name

    def expand(self, name: str) -> str | None:
        """The one full name of the article that a one-word person name abbreviates ("Cook"
        → "Tim Cook"), or None (no full name, or two that share the word)."""
        words = name_words(person_name(name))
        if len(words) > 1:
            # A surname of several words: "Van Der Beek" of "James Van Der Beek".
            tail = " " + " ".join(words)
            longer = [f for f in self.full if f.endswith(tail)]
            return self.full[longer[0]] if len(longer) == 1 else None
        if len(words) != 1:
            return None
        word = words[0]
        fulls = self.by_last.get(word, set())
        if not fulls:
            fulls = self.by_first.get(word, set())
        if len(fulls) > 1:
            # Of several, the one that starts with a first name ("Tim Cook", not a heading's
            # "Hosting Cook").
            fulls = {f for f in fulls if is_first_name(f.split()[0])}
        if len(fulls) != 1:
            return None
        return self.full[next(iter(fulls))]

    def organization(self, name: str) -> str | None:
        """The longer name of the article an organisation's name is short for: "Big Machine"
        for "Big Machine Records" (the longer adds only words like Records, Inc, Group)."""
        words = name.split()
        found = set()
        for other in self.organizations:
            ow = other.split()
            if len(ow) > len(words) and ow[: len(words)] == words and all(
                w.casefold().strip(".,") in ORGANIZATION_WORDS for w in ow[len(words):]
            ):
                found.add(other)
        return next(iter(found)) if len(found) == 1 else None

    def is_full(self, name: str) -> bool:
        return " ".join(name_words(person_name(name))) in self.full


def looks_like_person(name: str) -> bool:
    """Two to four capitalised words starting with a known first name ("Penelope Muse
    Abernathy"), none of them a common organisation word."""
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    if any(w.casefold().strip(".,") in ORGANIZATION_WORDS for w in words):
        return False
    return first_name_gender(words[0]) is not None


# Words that make a capitalised phrase an organisation's name, not a person's.
ORGANIZATION_WORDS = frozenset(
    """
    inc inc. corp co company group holdings bank university college institute school agency
    ministry department office council committee commission party association foundation
    fund trust partners capital records productions studios entertainment media news network
    international global services systems technologies labs health hospital clinic church
    club team united city county state federal national police army navy force
    """.split()
)
