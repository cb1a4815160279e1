"""Word lists of the extract stage that other stages read too, without spaCy.

`kg.resolve` decides what a source span names with the same words the rules used to guess its
kind (pronouns, the heads of outlet phrases, domain names); it imports them from here, so that
resolving never loads spaCy.
"""

from __future__ import annotations

import re

# Personal and possessive pronouns: never an entity, and a source only through its antecedent.
PRONOUNS = frozenset("he she they it we i you him her them us me his hers its their".split())
# The pronouns that stand for one person.
PERSON_PRONOUNS = frozenset("he she him her his hers".split())
# Heads of a phrase that names an outlet ("the Kommersant newspaper", "the Interfax agency").
OUTLET_HEADS = frozenset(
    """
    newspaper paper agency website site channel outlet broadcaster tabloid daily weekly magazine
    portal publication service newswire wire journal gazette radio station network
    """.split()
)
# A source written as a domain name ("dialog.ua") is an outlet.
DOMAIN_RE = re.compile(
    r"^(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|news|ua|ru|by|kz|md|"
    r"ge|pl|lt|lv|ee|de|fr|uk|co\.uk|it|es|nl|eu|io|tv|fm|media|press|us|ca|au|jp|kr|cn|in)$",
    re.IGNORECASE,
)
