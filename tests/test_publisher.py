"""Tests for kg.publisher: a page's own address and its site's name, and wire stories."""

from __future__ import annotations

import pytest

from kg.publisher import PageMeta, page_meta, site_name, wire_of

BODY = "<body><p>Nothing here.</p></body></html>"


def page(head: str, prefix: str = "") -> str:
    return f"{prefix}<html><head>{head}</head>{BODY}"


def test_address_from_saved_from_comment_first() -> None:
    html = page(
        '<link rel="canonical" href="https://example.org/a">',
        prefix="<!-- saved from url=(0027)https://news.example/story -->\n",
    )
    meta = page_meta(html)
    assert meta.url == "https://news.example/story"
    assert meta.canonical == "https://example.org/a"


def test_address_from_singlefile_header() -> None:
    header = (
        "<!--\n Page saved with SingleFile \n url: https://paper.example/2024/x \n"
        " saved date: Mon Jan 01 2024\n-->"
    )
    assert page_meta(page("<title>T</title>", prefix=header)).url == "https://paper.example/2024/x"


def test_address_from_canonical_then_og_url_then_json_ld() -> None:
    both = page('<meta property="og:url" content="https://b.example/x">'
                '<link href="/a" rel="canonical">')
    assert page_meta(both).url == "https://b.example/a"  # relative canonical, og:url as base
    og = page('<meta content="https://b.example/x" property="og:url">')
    assert page_meta(og).url == "https://b.example/x"
    ld = page('<script type="application/ld+json">{"@type": "NewsArticle", '
              '"url": "https://c.example/y", "publisher": {"name": "C Times"}}</script>')
    meta = page_meta(ld)
    assert meta.url == "https://c.example/y"
    assert ("jsonld", "C Times") in meta.site_names


def test_site_names_from_json_ld_organizations_and_web_app_tags() -> None:
    html = page(
        '<meta name="apple-mobile-web-app-title" content="Ledger">'
        '<meta name="twitter:app:name:googleplay" content="HLedger">'  # a store app: not read
        '<meta name="description" content="Harbour Ledger\'s weekly picks.">'
        '<script type="application/ld+json">{"@graph": ['
        '{"@type": "NewsArticle", "publisher": {"name": "Harbour Ledger Coastal"},'
        ' "author": {"name": "Harbour Ledger Staff"}},'
        '{"@type": "NewsMediaOrganization", "name": "Harbour Ledger"}]}</script>'
    )
    meta = page_meta(html)
    assert meta.site_names == (
        ("jsonld", "Harbour Ledger Coastal"), ("jsonld", "Harbour Ledger"), ("app", "Ledger"),
    )
    assert meta.self_texts == ("Harbour Ledger's weekly picks.", "Harbour Ledger Staff")


def test_no_address_from_script_or_mail_links() -> None:
    assert page_meta(page('<link rel="canonical" href="javascript:alert(1)">')).url is None
    assert page_meta("not html at all").url is None
    assert page_meta(page('<script type="application/ld+json">{broken</script>')).url is None


def meta_of(*names: tuple[str, str]) -> PageMeta:
    return PageMeta(site_names=names)


def test_site_name_agrees_with_the_host() -> None:
    assert site_name(meta_of(("og", "Live Science")), "www.livescience.com") == "Live Science"
    # the domain alone yields to a real name
    assert site_name(
        meta_of(("og", "livescience.com"), ("jsonld", "Live Science")), "livescience.com"
    ) == "Live Science"
    assert site_name(meta_of(("og", "Healthline Media")), "healthline.com") == "Healthline"
    assert site_name(meta_of(("jsonld", "CBS Detroit")), "detroit.cbslocal.com") == "CBS Detroit"
    assert site_name(
        meta_of(("og", "Autoracing | F1 | Indy | MotoGP")), "autoracing.com.br"
    ) == "Autoracing"


def test_the_name_the_host_spells_comes_before_an_edition() -> None:
    meta = meta_of(("og", "Harbour Ledger Coastal"), ("jsonld", "Harbour Ledger"))
    assert site_name(meta, "www.harbourledger.com") == "Harbour Ledger"
    assert site_name(meta_of(("og", "Harbour Ledger Coastal")), "harbourledger.com") == (
        "Harbour Ledger Coastal"
    )


def test_host_key_leaves_out_the_public_suffix() -> None:
    # initials agree once the public suffix (rj.gov.br) is left out of the host
    assert site_name(meta_of(("jsonld", "Porto Verde Gazette")), "pvg.rj.gov.br") == (
        "Porto Verde Gazette"
    )


def test_the_host_name_as_the_page_writes_it() -> None:
    """No tag names the site (its og:site_name is a slogan), but the page's own description
    writes out the name the host spells, with a word domains add ("mag")."""
    meta = PageMeta(
        site_names=(("og", "Expert advice for weekend sailors"),),
        self_texts=("Each month Coastal Sailor's editors pick the best anchorages.",),
    )
    assert site_name(meta, "coastalsailormag.com") == "Coastal Sailor"
    assert site_name(meta, "othersite.com") is None
    # the name inside a longer run of capitalised words; a near miss ("Sailors") is not it
    meta = PageMeta(self_texts=("Friends of Coastal Sailor Club",))
    assert site_name(meta, "coastalsailormag.com") == "Coastal Sailor"
    near_miss = PageMeta(self_texts=("The Coastal Sailors Union",))
    assert site_name(near_miss, "coastalsailor.com") is None


@pytest.mark.parametrize(
    "name",
    [
        "Copyright 2014",
        "© 2019 Example Media. All rights reserved.",
        "https://www.hawaiinewsnow.com",
        "November 19, 2019",
        "Expert how-to for English Riders",  # a slogan
    ],
)
def test_never_a_copyright_line_url_date_or_slogan(name: str) -> None:
    assert site_name(meta_of(("og", name)), "practicalhorsemanmag.com") is None
    assert site_name(meta_of(("og", name)), None) is None


def test_never_the_headline() -> None:
    headline = "Man found living in a duvet after medical mystery solved"
    meta = meta_of(("title-last", headline))
    assert site_name(meta, None, headline) is None


def test_site_name_without_agreement_only_from_og_or_title_end() -> None:
    # og:site_name may differ from the host ("Kabar tentang Dunia Islam" on kabarislamia.com)
    assert site_name(meta_of(("og", "Kabar tentang Dunia Islam")), "kabarislamia.com") == (
        "Kabar tentang Dunia Islam"
    )
    # a JSON-LD publisher is often the parent company: only when it agrees with the host
    assert site_name(meta_of(("jsonld", "Active Interest Media")), "horse.example") is None
    assert site_name(meta_of(("title-last", "Vortex Cannon Entertainment")), "vortex.org") == (
        "Vortex Cannon Entertainment"
    )


@pytest.mark.parametrize(
    ("text", "byline", "wire"),
    [
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", None, "Associated Press"),
        ("LONDON (Reuters) - Shares fell.", None, "Reuters"),
        ("The council met on Monday.", "By The Associated Press", "Associated Press"),
        ("The council met on Monday.", "Jane Doe", None),
        ("He said (AP) was not involved, far into the story.", None, None),
    ],
)
def test_wire_of(text: str, byline: str | None, wire: str | None) -> None:
    if wire is None and "(AP)" in text:
        text = "x" * 400 + text
    assert wire_of(text, byline) == wire
