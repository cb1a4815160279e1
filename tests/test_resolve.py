"""Resolve stage: outlets, people, organisations and names become stable canonical ids."""

from __future__ import annotations

import dataclasses

import pytest

from kg.models import Article, Attribution, Extraction, Mention, Span
from kg.registry import load_gazetteer, load_registry
from kg.resolve import article_id, clean_name, fold, normalize_url, outlet_of, resolve


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(part, start, start + len(part))


def _extraction(text: str, sources: list[tuple[str, str]], mentions: list[tuple[str, str]],
                **article: str) -> Extraction:
    attributions = tuple(
        Attribution(source=_span(text, s), source_kind=kind, cue=_span(text, "said"),
                    content=None, kind="said", confidence=0.9, sentence=Span(text, 0, len(text)))
        for s, kind in sources
    )
    found = tuple(Mention(_span(text, m), t) for m, t in mentions)
    return Extraction(Article(path="x.txt", text=text, **article), attributions, found)


def _resolve(*extractions: Extraction):  # type: ignore[no-untyped-def]
    return resolve(list(extractions), load_registry(), load_gazetteer())


def _source_ids(corpus) -> list[str | None]:  # type: ignore[no-untyped-def]
    return [ra.source_id for a in corpus.articles for ra in a.attributions]


def test_article_outlet_from_url_then_site() -> None:
    registry = load_registry()
    by_url = Article(path="a", text="t", url="https://www.reuters.com/world/x")
    by_site = Article(path="b", text="t", site="charter97.org")
    unknown = Article(path="c", text="t", url="https://news.example-town.org/x")
    assert outlet_of(by_url, registry)[0] == "outlet:reuters"
    assert outlet_of(by_site, registry)[0] == "outlet:charter97"
    oid, entity = outlet_of(unknown, registry)
    assert entity is not None and entity.name == "news.example-town.org" and oid == entity.id


def test_article_ids_are_stable_and_ignore_the_path() -> None:
    a = Article(path="/tmp/one/a.txt", text="Same text.")
    b = Article(path="/home/other/b.txt", text="Same  text.")
    assert article_id(a) == article_id(b)
    assert article_id(Article(path="x", text="t", url="https://www.x.org/a/#top")) == article_id(
        Article(path="y", text="u", url="http://x.org/a/"))
    assert normalize_url("HTTPS://WWW.Example.org/A/") == "//example.org/A"


def test_names_fold_spelling_variants() -> None:
    assert clean_name("the Kremlin's") == "Kremlin"
    assert fold("Russian Defense Ministry") == fold("Russian Defence Ministry")
    assert fold("Kim Jong Un") == fold("Kim Jong-un")


def test_names_fold_a_possessive_inside_a_name() -> None:
    # the inner-possessive rule: "Acme's Office of the Inspector General" is the "Acme Office
    # of the Inspector General"; a possessive that ends a name is part of it
    assert fold("Acme's Office of the Inspector General") == fold(
        "Acme Office of the Inspector General")
    assert fold("Acme’s Research Center") == fold("Acme Research Center")
    assert fold("McDowell's") != fold("McDowell")
    assert fold("Tom Hale's") != fold("Tom Hale")
    # the plural of a body's head noun ending a name ("the Rusland defense ministries" of a
    # coordination) is the one body
    assert fold("Rusland defense ministries") == fold("Rusland Defence Ministry")
    assert fold("Ministries of Vale") != fold("Ministry of Vale")  # not at the end


@pytest.mark.parametrize(
    ("source", "kind", "expected"),
    [
        ("dialog.ua", "outlet", "outlet:dialog-ua"),
        ("the Flightradar24 service", "unknown", "outlet:flightradar24"),
        ("bnews.example.kz", "outlet", "outlet:bnews-example-kz"),
        ("the Daily Sentinel newspaper", "outlet", "outlet:daily-sentinel"),
        ("the Kremlin", "organization", "organization:kremlin"),
        ("officials", "unnamed", None),
    ],
)
def test_source_kinds(source: str, kind: str, expected: str | None) -> None:
    text = f"Earlier, {source} said the flight was routine."
    mentions = [("Kremlin", "organization")] if "Kremlin" in source else []
    corpus = _resolve(_extraction(text, [(source, kind)], mentions))
    assert _source_ids(corpus) == [expected]


def test_government_body_or_person_never_becomes_an_outlet() -> None:
    text = "The Pentagon said the drills would go on. Jane Roe said so too."
    corpus = _resolve(_extraction(text, [("The Pentagon", "organization"), ("Jane Roe", "person")],
                                  [("Pentagon", "organization"), ("Jane Roe", "person")]))
    types = {e.id: e.type for e in corpus.entities}
    assert [types[i] for i in _source_ids(corpus) if i] == ["organization", "person"]


def test_person_keeps_stated_affiliation() -> None:
    text = "Open Nuclear Network analyst Jevu Shin said the ties were growing."
    corpus = _resolve(_extraction(
        text, [("Open Nuclear Network analyst Jevu Shin", "person")],
        [("Open Nuclear Network", "organization"), ("Jevu Shin", "person")]))
    person = next(e for e in corpus.entities if e.id == _source_ids(corpus)[0])
    assert person.name == "Jevu Shin"
    affiliation = next(e for e in corpus.entities if e.id == person.affiliation)
    assert affiliation.name == "Open Nuclear Network"


def test_surname_joins_full_name_and_gazetteer_makes_it_canonical() -> None:
    first = "Maria Kowalczyk-Brandt visited the port. Kowalczyk-Brandt said it was calm."
    second = "Putin's spokesman was silent."
    corpus = _resolve(
        _extraction(first, [], [("Maria Kowalczyk-Brandt", "person"),
                                ("Kowalczyk-Brandt", "person")]),
        _extraction(second, [], [("Putin's", "person")]),
    )
    ids = sorted({m.entity_id for a in corpus.articles for m in a.mentions})
    assert ids == ["person:maria-kowalczyk-brandt", "person:vladimir-putin"]


def test_pronoun_source_resolves_to_the_person_named_before() -> None:
    text = "Jane Roe spoke to reporters. She said the vote was fair."
    start = text.index("She")
    ex = Extraction(
        Article(path="x", text=text),
        (Attribution(Span("She", start, start + 3), "person", _span(text, "said"), None, "said",
                     0.75, Span(text, 0, len(text))),),
        (Mention(_span(text, "Jane Roe"), "person"),),
    )
    corpus = _resolve(ex)
    assert _source_ids(corpus) == ["person:jane-roe"]


def test_implicit_source_cites_no_one_but_keeps_its_relay() -> None:
    # "Reuters reported that the agency is expected to ...": the empty source span resolves to
    # no one; the relaying outlet does resolve.
    text = "Reuters reported that the agency is expected to close the bureau."
    cue = _span(text, "is expected")
    ex = Extraction(
        Article(path="x", text=text),
        (Attribution(Span("", cue.start, cue.start), "unnamed", cue, None, "implicit", 0.4,
                     Span(text, 0, len(text)), via=_span(text, "Reuters")),),
        (),
    )
    (ra,) = _resolve(ex).articles[0].attributions
    assert (ra.source_id, ra.via_id) == (None, "outlet:reuters")


def test_document_speaks_for_its_author() -> None:
    text = "The plane landed, said data from Flightradar24."
    corpus = _resolve(_extraction(text, [("data from Flightradar24", "document")],
                                  [("Flightradar24", "organization")]))
    assert _source_ids(corpus) == ["outlet:flightradar24"]


def test_resolve_is_idempotent() -> None:
    text = "Reuters said the talks had stalled, and Lavrov said nothing."
    ex = _extraction(text, [("Reuters", "outlet")], [("Lavrov", "person")])
    assert _resolve(ex) == _resolve(ex)


@pytest.mark.parametrize("module", ["kg.resolve", "kg.extract.lexicon", "kg.names"])
def test_resolving_loads_no_spacy(module: str) -> None:
    """Resolve reads the extract stage's word lists, never its spaCy code: a tool that only
    resolves (or reads the lexicons) starts fast and runs where spaCy is not loaded."""
    import subprocess
    import sys

    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('spacy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the publisher of a page (outlet_of) ------------------------------------------------------


def _page(url: str | None, site: str | None = None, canonical: str | None = None) -> Article:
    return Article(path="p.html", text="Text.", url=url, site=site, canonical=canonical,
                   format="html")


def test_publisher_from_a_registered_domain_keeps_the_hand_made_name() -> None:


    registry = load_registry()
    outlet_id, entity = outlet_of(_page("https://www.theverge.com/2019/x", "Verge"), registry)
    assert (outlet_id, entity) == ("outlet:the-verge", None)


def test_syndicated_copy_belongs_to_the_canonical_outlet() -> None:


    page = _page("https://www.msn.com/en-us/news/x", "MSN", "https://www.cnn.com/2019/x.html")
    assert outlet_of(page, load_registry())[0] == "outlet:cnn"


def test_unknown_site_is_its_host_named_by_the_page() -> None:


    registry = load_registry()
    outlet_id, entity = outlet_of(
        _page("https://blog.unheard-of-site.example/a", "Unheard Of"), registry
    )
    assert outlet_id == "outlet:blog-unheard-of-site-example"
    assert entity is not None and entity.name == "Unheard Of"
    outlet_id, entity = outlet_of(_page("https://www.unheard-of-site.example/a"), registry)
    assert entity is not None and entity.name == "unheard-of-site.example"


def test_a_page_never_takes_the_name_of_another_registered_outlet() -> None:
    """An edition or a copycat calling itself by a hand-registered brand is named by its
    own domain, not shown as a second "Reuters"."""
    registry = load_registry()
    outlet_id, entity = outlet_of(_page("https://reuters-edition.example/a", "Reuters"), registry)
    assert outlet_id == "outlet:reuters-edition-example"
    assert entity is not None and entity.name == "reuters-edition.example"


def test_wire_story_is_based_on_the_wire_and_published_by_the_host() -> None:


    art = dataclasses.replace(
        _page("https://www.sfgate.com/news/article/x.php", "SFGate"), based_on="Associated Press"
    )
    corpus = resolve([Extraction(art, (), ())], load_registry(), load_gazetteer())
    resolved = corpus.articles[0]
    assert (resolved.outlet_id, resolved.based_on_id) == ("outlet:sfgate", "outlet:ap")


# --- hyperlinks -------------------------------------------------------------------------------


def _linked(text: str, links: list[tuple[str, str]], attributions: list[Attribution]) -> Extraction:
    from kg.models import Link

    placed = []
    for url, anchor in links:
        start = text.index(anchor)
        placed.append(Link(url, anchor, start, start + len(anchor)))
    art = Article(path="p.html", text=text, url="https://www.theverge.com/2019/x",
                  links=tuple(placed), format="html")
    sentence = Span(text, 0, len(text))
    hyper = [
        Attribution(source=Span(anchor, s.start or 0, s.end or 0), source_kind="outlet",
                    cue=Span(anchor, s.start or 0, s.end or 0), content=None, kind="hyperlink",
                    confidence=0.7, sentence=sentence)
        for (_, anchor), s in zip(links, placed, strict=True)
    ]
    return Extraction(art, tuple(attributions + hyper), ())


def _said(text: str, source: str, cue: str) -> Attribution:
    s, c = text.index(source), text.index(cue)
    return Attribution(source=Span(source, s, s + len(source)), source_kind="outlet",
                       cue=Span(cue, c, c + len(cue)), content=None, kind="reported",
                       confidence=0.9, sentence=Span(text, 0, len(text)))


def test_link_in_the_sentence_of_the_same_source_is_one_citation() -> None:
    text = "The Wrap reported that the film is off, according to the studio."
    ex = _linked(text, [("https://www.thewrap.com/x", "reported")],
                 [_said(text, "The Wrap", "reported")])
    corpus = resolve([ex], load_registry(), load_gazetteer())
    (ra,) = corpus.articles[0].attributions
    assert (ra.attribution.kind, ra.source_id, ra.link) == (
        "reported", "outlet:the-wrap", "https://www.thewrap.com/x"
    )


def test_coordinated_outlets_are_two_outlets() -> None:
    text = "The Wrap and Deadline reported that the film is off."
    ex = _linked(text, [("https://www.thewrap.com/x", "The Wrap"),
                        ("https://deadline.com/y", "Deadline")], [])
    corpus = resolve([ex], load_registry(), load_gazetteer())
    assert sorted(ra.source_id or "" for ra in corpus.articles[0].attributions) == [
        "outlet:deadline", "outlet:the-wrap"
    ]


def test_share_profile_and_self_links_are_no_citations() -> None:
    text = "Follow us on Twitter, share this, and read more from us about it today."
    ex = _linked(text, [("https://twitter.com/verge", "Twitter"),
                        ("https://twitter.com/intent/tweet?url=x", "share this"),
                        ("https://www.theverge.com/other", "read more")], [])
    art = resolve([ex], load_registry(), load_gazetteer()).articles[0]
    assert all(ra.source_id is None for ra in art.attributions)
    assert [rl.role for rl in art.links] == ["social-profile", "share", "self"]


def test_unknown_domain_becomes_an_outlet_only_when_the_anchor_names_it() -> None:
    text = "As dialog-news-daily.com wrote, and as one blog noted, the plane landed."
    ex = _linked(text, [("https://dialog-news-daily.com/a", "dialog-news-daily.com"),
                        ("https://someblog.example/b", "one blog")], [])
    art = resolve([ex], load_registry(), load_gazetteer()).articles[0]
    assert [rl.outlet_id for rl in art.links] == ["outlet:dialog-news-daily-com", None]


def test_platforms_and_shorteners_are_no_outlets() -> None:
    """A video on a platform or a shortened link is no citation of an outlet named after the
    platform or the shortener, even when the anchor spells its domain."""
    text = "As rumble.com showed in a clip, and as bit.ly/x3 shows, the plane landed."
    ex = _linked(text, [("https://rumble.com/v4abc-plane.html", "rumble.com"),
                        ("https://bit.ly/x3", "bit.ly/x3")], [])
    art = resolve([ex], load_registry(), load_gazetteer()).articles[0]
    assert [rl.outlet_id for rl in art.links] == [None, None]
    assert [rl.role for rl in art.links] == [None, "redirect"]
    assert all(ra.source_id is None for ra in art.attributions)


def test_an_outlet_naming_itself_cites_its_own_reporting() -> None:
    text = "The Verge reported last year that the plant was closed. We asked the company."
    ex = _linked(text, [], [_said(text, "The Verge", "reported")])
    art = resolve([ex], load_registry(), load_gazetteer()).articles[0]
    assert art.outlet_id == "outlet:the-verge"
    assert [ra.source_id for ra in art.attributions] == ["outlet:the-verge"]


def _bare_source(text: str, source: str, mentions: list[tuple[str, str]]) -> Extraction:
    """An extraction whose one attribution's source is the last `source` before "said"."""
    start = text.rindex(source + " said")
    ex = _extraction(text, [], mentions)
    return dataclasses.replace(ex, attributions=(Attribution(
        Span(source, start, start + len(source)), "person", _span(text, "said"), None, "said",
        0.9, Span(text, 0, len(text))),))


def test_untagged_surname_is_the_one_full_name_of_the_article_that_ends_with_it() -> None:
    # the model tagged "Tom Hale" but not the bare "Hale" that speaks
    text = "Senator Tom Hale opened the hearing. Hale said the vote was fair."
    ex = _bare_source(text, "Hale", [("Tom Hale", "person")])
    assert _source_ids(_resolve(ex)) == ["person:tom-hale"]
    # two full names share it, or it is a first name: no one
    text = "Tom Hale and Ann Hale opened the hearing. Hale said the vote was fair."
    ex = _bare_source(text, "Hale", [("Tom Hale", "person"), ("Ann Hale", "person")])
    assert _source_ids(_resolve(ex)) == [None]
    text = "Tom Hale opened the hearing. Tom said the vote was fair."
    ex = _bare_source(text, "Tom", [("Tom Hale", "person")])
    assert _source_ids(_resolve(ex)) == [None]


def _credits(text: str) -> Extraction:
    """Every "[Name]" of `text` credited as the bracket-credit rule does."""
    import re

    ats = []
    for m in re.finditer(r"\[([^\]]+)\]", text):
        line = text.rfind("\n", 0, m.start()) + 1
        ats.append(Attribution(
            source=Span(m.group(1), m.start(1), m.end(1)), source_kind="outlet",
            cue=Span(m.group(), m.start(), m.end()), content=Span(text[line:m.start()], line,
                                                                 m.start()),
            kind="reported", confidence=0.9, sentence=Span(text[line:m.end()], line, m.end()),
            rule="credit.bracket", source_rule="bracketed-name"))
    return Extraction(Article(path="x.txt", text=text), tuple(ats), ())


def test_a_list_crediting_registered_outlets_in_brackets_credits_other_outlets_too() -> None:
    # the bracket-roundup rule fires: two registered outlets credited, so "Acme Gamer" is one
    text = ("The console lags at launch [Reuters]\nThe games look sharp [Bloomberg]\n"
            "Streaming holds up well [Acme Gamer]\nSee it run [Video]\nAll the news [NEWS]")
    assert _source_ids(_resolve(_credits(text))) == [
        "outlet:reuters", "outlet:bloomberg", "outlet:acme-gamer", None, None]
    # ... and does not: one registered outlet makes no list of outlets
    text = "The games look sharp [Bloomberg]\nStreaming holds up well [Acme Gamer]"
    assert _source_ids(_resolve(_credits(text))) == ["outlet:bloomberg", None]


def test_entity_for_answers_follow_the_name_table() -> None:
    """`NameTable.entity_for` keeps what depends on the name alone between calls: a name
    added later still changes the answer, and a lone name stays in its own article."""
    from kg.resolve import NameTable

    table = NameTable(load_registry(), load_gazetteer())
    table.add("Zorbex Quilt", "organization")
    assert table.entity_for("Zorbex Quilt", "other") == table.entity_for("Zorbex Quilt", "other")
    first = table.entity_for("Zorbex Quilt", "other")
    assert first is not None and first.type == "organization"
    table.add("Zorbex Quilt", "place")
    table.add("zorbex quilt", "place")
    again = table.entity_for("Zorbex Quilt", "other")
    assert again is not None and (again.type, again.name) == ("place", "Zorbex Quilt")
    mention = [Mention(Span("Tim Quorx", 0, 9), "person")]
    one = table.for_article(mention, "article:aaaaaaaaaaaa").entity_for("Quorx", "person")
    other = table.for_article([], "article:bbbbbbbbbbbb").entity_for("Quorx", "person")
    assert one is not None and one.id == "person:tim-quorx"
    assert other is not None and other.id == "person:quorx-bbbbbbbb"
    assert table.for_article([], "article:cccccccccccc").entity_for("Quorx", "person") == (
        dataclasses.replace(other, id="person:quorx-cccccccc"))
    # an article's view keeps its answers only while the table stays as it is
    view = table.for_article([], "article:dddddddddddd")
    place = view.entity_for("Zorbex Quilt", "other")
    assert place is not None and place.type == "place"
    assert view.entity_for("Zorbex Quilt", "other") is place
    table.add("Zorbex Quilt", "organization")
    table.add("Zorbex Quilt", "organization")
    organization = view.entity_for("Zorbex Quilt", "other")
    assert organization is not None and organization.type == "organization"


def test_a_journal_a_study_was_published_in_is_no_person() -> None:
    # "Case" is a first name and "ACME" reads as a role before it ("Browns DL Sheldon
    # Richardson"): the journal's name the sieve read whole must not become "Case Notes"
    from kg.speakers import attach_speakers

    text = "The study, published in ACME Case Notes, said sleep helps."
    ex = attach_speakers(_extraction(
        text, [("The study, published in ACME Case Notes", "document")],
        [("Case Notes", "person")]))
    (source_id,) = _source_ids(_resolve(ex))
    assert source_id is not None and source_id.endswith(":acme-case-notes")
    assert not source_id.startswith("person:")


def test_an_outlet_named_with_its_the_is_the_outlet() -> None:
    # the model tagged "Verge" alone; the registry knows the name with its "The"
    from kg.speakers import attach_speakers

    text = "The Verge's review said the phone is fast."
    ex = attach_speakers(_extraction(text, [("The Verge's review", "unknown")],
                                     [("Verge", "organization")]))
    assert _source_ids(_resolve(ex)) == ["outlet:the-verge"]
    # without "The" before it, "Verge" is no outlet ("Verge Capital", a company)
    text = "Verge's review said the phone is fast."
    ex = attach_speakers(_extraction(text, [("Verge's review", "unknown")],
                                     [("Verge", "organization")]))
    (source_id,) = _source_ids(_resolve(ex))
    assert source_id != "outlet:the-verge"
