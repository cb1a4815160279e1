"""Tests for kg.registry: the outlet registry, the gazetteer and slugify."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ConfigError
from kg.models import MENTION_TYPES, OUTLET_KINDS
from kg.registry import (
    Gazetteer,
    GazetteerEntry,
    Registry,
    alias_conflicts,
    load_gazetteer,
    load_registry,
    normalize_domain,
    registered_domain,
    slugify,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _raw(filename: str) -> Any:
    text = resources.files("kg").joinpath("data", filename).read_text(encoding="utf-8")
    return json.loads(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


# --- package data: outlets.json -------------------------------------------------------------


def test_outlets_json_is_a_list_of_complete_entries() -> None:
    data = _raw("outlets.json")
    assert isinstance(data, list)
    for entry in data:
        assert {"id", "name", "kind", "country", "url", "aliases", "domains"} <= set(entry), entry
        assert isinstance(entry["name"], str) and entry["name"].strip() == entry["name"]
        assert entry["kind"] in OUTLET_KINDS
        assert entry["country"] is None or re.fullmatch(r"[A-Z]{2}", entry["country"])
        assert entry["url"] is None or re.fullmatch(r"https?://\S+", entry["url"])
        assert all(isinstance(a, str) and a.strip() == a and a for a in entry["aliases"])
        for domain in entry["domains"]:
            assert domain == domain.lower() and not domain.startswith("www.")
            assert "/" not in domain and ":" not in domain and "." in domain


def test_registry_size(registry: Registry) -> None:
    assert len(registry.outlets) >= 330
    kinds = Counter(o.kind for o in registry.outlets)
    assert set(kinds) == set(OUTLET_KINDS)
    assert kinds["wire_agency"] >= 40 and kinds["data_service"] >= 10


def test_ids_unique_and_slug_shaped(registry: Registry) -> None:
    ids = [o.id for o in registry.outlets]
    assert len(ids) == len(set(ids))
    assert all(SLUG_RE.match(i) for i in ids), [i for i in ids if not SLUG_RE.match(i)]


def test_no_alias_or_domain_shared_between_outlets(registry: Registry) -> None:
    assert alias_conflicts(registry) == []
    # Also without accents, which the fallback index uses.
    owners: dict[str, str] = {}
    for outlet in registry.outlets:
        for text in {_fold(t) for t in (outlet.name, *outlet.aliases)}:
            assert owners.setdefault(text, outlet.id) == outlet.id, (text, outlet.id)


def test_no_ambiguous_bare_aliases(registry: Registry) -> None:
    banned = {"times", "post", "mail", "independent", "sun", "star", "mirror", "nation", "express"}
    for outlet in registry.outlets:
        for alias in outlet.aliases:
            assert alias.casefold() not in banned, (outlet.id, alias)
    for word in ("Times", "Post", "Mail", "Independent", "Sun", "Star", "Mirror", "Express"):
        assert registry.lookup_name(word) is None, word


def test_display_aliases_name_an_outlet_but_never_find_it(tmp_path: Path) -> None:
    from kg.resolve import registry_entity

    path = _write(tmp_path, [{"id": "harbour-post", "name": "Harbour Post",
                              "aliases": ["The Harbour Post"], "display_aliases": ["Post"],
                              "domains": ["harbourpost.example"]}])
    registry = load_registry(path)
    outlet = registry.by_id("harbour-post")
    assert outlet is not None and outlet.display_aliases == ("Post",)
    assert registry.lookup_name("Post") is None
    assert registry.lookup_name("The Harbour Post") == outlet
    # the graph names it by every name it goes by
    assert "Post" in registry_entity(registry, "outlet:harbour-post").aliases
    express = registry.by_id("daily-express")
    assert express is not None and "Express" in express.display_aliases


REQUIRED: dict[str, tuple[str, str]] = {
    # name as looked up → (id, kind)
    "Charter97": ("charter97", "outlet"),
    "Charter 97": ("charter97", "outlet"),
    "dialog.ua": ("dialog-ua", "outlet"),
    "Flightradar24": ("flightradar24", "data_service"),
    "NK News": ("nk-news", "outlet"),
    "Bloomberg": ("bloomberg", "wire_agency"),
    "Reuters": ("reuters", "wire_agency"),
    "AP": ("ap", "wire_agency"),
    "Associated Press": ("ap", "wire_agency"),
    "AFP": ("afp", "wire_agency"),
    "Agence France-Presse": ("afp", "wire_agency"),
    "TASS": ("tass", "wire_agency"),
    "RIA Novosti": ("ria-novosti", "wire_agency"),
    "Interfax": ("interfax", "wire_agency"),
    "Interfax-Ukraine": ("interfax-ukraine", "wire_agency"),
    "Xinhua": ("xinhua", "wire_agency"),
    "Yonhap": ("yonhap", "wire_agency"),
    "KCNA": ("kcna", "wire_agency"),
    "Kyodo": ("kyodo", "wire_agency"),
    "ANSA": ("ansa", "wire_agency"),
    "dpa": ("dpa", "wire_agency"),
    "EFE": ("efe", "wire_agency"),
    "PAP": ("pap", "wire_agency"),
    "Ukrinform": ("ukrinform", "wire_agency"),
    "UNIAN": ("unian", "wire_agency"),
    "BelTA": ("belta", "wire_agency"),
    "Anadolu": ("anadolu", "wire_agency"),
    "PTI": ("pti", "wire_agency"),
    "RT": ("rt", "state_media"),
    "Sputnik": ("sputnik", "state_media"),
    "RBC": ("rbc", "outlet"),
    "Kommersant": ("kommersant", "outlet"),
    "Vedomosti": ("vedomosti", "outlet"),
    "Izvestia": ("izvestia", "outlet"),
    "Meduza": ("meduza", "outlet"),
    "Novaya Gazeta": ("novaya-gazeta", "outlet"),
    "TV Rain": ("tv-rain", "broadcaster"),
    "Dozhd": ("tv-rain", "broadcaster"),
    "Channel One": ("channel-one-russia", "state_media"),
    "Rossiya 24": ("rossiya-24", "state_media"),
    "NTV": ("ntv", "broadcaster"),
    "Lenta.ru": ("lenta-ru", "outlet"),
    "Gazeta.ru": ("gazeta-ru", "outlet"),
    "Fontanka": ("fontanka", "outlet"),
    "Mediazona": ("mediazona", "outlet"),
    "The Insider": ("the-insider", "outlet"),
    "Ukrainska Pravda": ("ukrainska-pravda", "outlet"),
    "Kyiv Independent": ("kyiv-independent", "outlet"),
    "Kyiv Post": ("kyiv-post", "outlet"),
    "Hromadske": ("hromadske", "broadcaster"),
    "Suspilne": ("suspilne", "broadcaster"),
    "RBC-Ukraine": ("rbc-ukraine", "outlet"),
    "Liga.net": ("liga-net", "outlet"),
    "Censor.net": ("censor-net", "outlet"),
    "Zerkalo Nedeli": ("zn-ua", "outlet"),
    "ZN.ua": ("zn-ua", "outlet"),
    "Strana.ua": ("strana-ua", "outlet"),
    "NV": ("nv", "outlet"),
    "TSN": ("tsn", "broadcaster"),
    "Espreso": ("espreso", "broadcaster"),
    "Nasha Niva": ("nasha-niva", "outlet"),
    "Zerkalo.io": ("zerkalo-io", "outlet"),
    "Belsat": ("belsat", "broadcaster"),
    "Euroradio": ("euroradio", "broadcaster"),
    "Radio Svaboda": ("radio-svaboda", "broadcaster"),
    "Onliner": ("onliner", "outlet"),
    "TUT.by": ("tut-by", "outlet"),
    "BBC": ("bbc", "broadcaster"),
    "The Guardian": ("guardian", "outlet"),
    "The Times": ("the-times", "outlet"),
    "The Telegraph": ("telegraph", "outlet"),
    "Financial Times": ("financial-times", "outlet"),
    "FT": ("financial-times", "outlet"),
    "The Economist": ("economist", "outlet"),
    "Le Monde": ("le-monde", "outlet"),
    "Le Figaro": ("le-figaro", "outlet"),
    "Der Spiegel": ("spiegel", "outlet"),
    "FAZ": ("faz", "outlet"),
    "Süddeutsche Zeitung": ("sueddeutsche", "outlet"),
    "Die Zeit": ("zeit", "outlet"),
    "Bild": ("bild", "outlet"),
    "El País": ("el-pais", "outlet"),
    "Corriere della Sera": ("corriere-della-sera", "outlet"),
    "La Repubblica": ("la-repubblica", "outlet"),
    "NRC": ("nrc", "outlet"),
    "Gazeta Wyborcza": ("gazeta-wyborcza", "outlet"),
    "DW": ("dw", "broadcaster"),
    "Deutsche Welle": ("dw", "broadcaster"),
    "France 24": ("france-24", "broadcaster"),
    "Euronews": ("euronews", "broadcaster"),
    "RFE/RL": ("rferl", "broadcaster"),
    "Radio Free Europe/Radio Liberty": ("rferl", "broadcaster"),
    "Politico Europe": ("politico-europe", "outlet"),
    "The New York Times": ("nyt", "outlet"),
    "NYT": ("nyt", "outlet"),
    "Washington Post": ("washington-post", "outlet"),
    "WSJ": ("wsj", "outlet"),
    "CNN": ("cnn", "broadcaster"),
    "Fox News": ("fox-news", "broadcaster"),
    "NBC News": ("nbc-news", "broadcaster"),
    "CBS News": ("cbs-news", "broadcaster"),
    "ABC News": ("abc-news", "broadcaster"),
    "NPR": ("npr", "broadcaster"),
    "Politico": ("politico", "outlet"),
    "Axios": ("axios", "outlet"),
    "The Hill": ("the-hill", "outlet"),
    "Breitbart": ("breitbart", "outlet"),
    "HuffPost": ("huffpost", "outlet"),
    "Newsweek": ("newsweek", "outlet"),
    "Time": ("time", "outlet"),
    "USA Today": ("usa-today", "outlet"),
    "LA Times": ("la-times", "outlet"),
    "Voice of America": ("voa", "broadcaster"),
    "CNBC": ("cnbc", "broadcaster"),
    "MSNBC": ("msnbc", "broadcaster"),
    "NHK": ("nhk", "broadcaster"),
    "Asahi Shimbun": ("asahi-shimbun", "outlet"),
    "Yomiuri": ("yomiuri-shimbun", "outlet"),
    "Nikkei": ("nikkei", "outlet"),
    "Japan Times": ("japan-times", "outlet"),
    "Korea Herald": ("korea-herald", "outlet"),
    "Chosun Ilbo": ("chosun-ilbo", "outlet"),
    "JoongAng Ilbo": ("joongang-ilbo", "outlet"),
    "Hankyoreh": ("hankyoreh", "outlet"),
    "South China Morning Post": ("scmp", "outlet"),
    "Global Times": ("global-times", "state_media"),
    "China Daily": ("china-daily", "state_media"),
    "People's Daily": ("peoples-daily", "state_media"),
    "CGTN": ("cgtn", "state_media"),
    "CCTV": ("cctv", "state_media"),
    "Times of India": ("times-of-india", "outlet"),
    "Hindustan Times": ("hindustan-times", "outlet"),
    "The Hindu": ("the-hindu", "outlet"),
    "NDTV": ("ndtv", "broadcaster"),
    "Dawn": ("dawn", "outlet"),
    "Al Jazeera": ("al-jazeera", "broadcaster"),
    "Al Arabiya": ("al-arabiya", "broadcaster"),
    "Haaretz": ("haaretz", "outlet"),
    "Times of Israel": ("times-of-israel", "outlet"),
    "Jerusalem Post": ("jerusalem-post", "outlet"),
    "ABC Australia": ("abc-australia", "broadcaster"),
    "Sydney Morning Herald": ("smh", "outlet"),
    "CBC": ("cbc", "broadcaster"),
    "Globe and Mail": ("globe-and-mail", "outlet"),
    "MarineTraffic": ("marinetraffic", "data_service"),
    "ADS-B Exchange": ("adsb-exchange", "data_service"),
    "Planet Labs": ("planet-labs", "data_service"),
    "Maxar": ("maxar", "data_service"),
    "Bellingcat": ("bellingcat", "outlet"),
    "Oryx": ("oryx", "data_service"),
}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_outlets_present_with_kind(registry: Registry, name: str) -> None:
    outlet_id, kind = REQUIRED[name]
    outlet = registry.lookup_name(name)
    assert outlet is not None, name
    assert (outlet.id, outlet.kind) == (outlet_id, kind)


def test_seed_outlets_have_expected_records(registry: Registry) -> None:
    charter = registry.by_id("charter97")
    assert charter is not None and "charter97.org" in charter.domains
    assert "Charter 97" in charter.aliases
    dialog = registry.by_id("dialog-ua")
    assert dialog is not None and dialog.name == "dialog.ua" and dialog.domains == ("dialog.ua",)
    fr24 = registry.by_id("flightradar24")
    assert fr24 is not None and "flightradar24.com" in fr24.domains
    nk = registry.by_id("nk-news")
    assert nk is not None and "nknews.org" in nk.domains
    reuters = registry.by_id("reuters")
    assert reuters is not None and reuters.country == "GB" and reuters.url
    assert "Thomson Reuters" in reuters.aliases


@pytest.mark.parametrize(
    "name",
    [
        "Institute for the Study of War",
        "ISW",
        "Kremlin",
        "Pentagon",
        "NATO",
        "Open Nuclear Network",
    ],
)
def test_non_outlets_are_kept_out(registry: Registry, name: str) -> None:
    assert registry.lookup_name(name) is None


def test_no_platform_or_shortener_is_an_outlet(registry: Registry) -> None:
    """Lists name platforms (Rumble, OK.ru) and shorteners (bit.ly) as sites; kg never makes
    them outlets, so a link to one video or redirect is no citation of 'Rumble'."""
    from kg.links import is_platform

    for outlet in registry.outlets:
        for domain in outlet.domains:
            assert not is_platform(domain), (outlet.id, domain)


# --- name lookup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Reuters", "reuters"),
        ("reuters", "reuters"),
        ("REUTERS", "reuters"),
        ("Reuters news agency", "reuters"),
        ("the Reuters news agency", "reuters"),
        ("Reuters'", "reuters"),
        ("the Flightradar24 service", "flightradar24"),
        ("Flightradar24’s", "flightradar24"),
        ("Bloomberg's", "bloomberg"),
        ("As Bloomberg", None),
        ("NK News,", "nk-news"),
        ("“NK News”", "nk-news"),
        ("(dialog.ua)", "dialog-ua"),
        ("the dialog.ua website", "dialog-ua"),
        ("Charter 97!", "charter97"),
        ("The Washington Post", "washington-post"),
        ("the Washington Post's", "washington-post"),
        ("Washington Post", "washington-post"),
        ("the Times", "the-times"),
        ("The Economist", "economist"),
        ("Kommersant newspaper", "kommersant"),
        ("TV Rain channel", "tv-rain"),
        ("Belsat TV", "belsat"),
        ("the Ukrinform news agency", "ukrinform"),
        ("Sueddeutsche Zeitung", "sueddeutsche"),
        ("Suddeutsche Zeitung", "sueddeutsche"),
        ("RTE", "rte"),
        ("F.A.Z.", "faz"),
        ("Radio Svoboda", "radio-svoboda"),
        ("Radio Svaboda", "radio-svaboda"),
        ("Reuter", None),
        ("Reuters2", None),
        ("NK", None),
        ("News", None),
        ("the", None),
        ("", None),
        ("   ", None),
        ("Times", None),
        ("Economist", None),
        ("Hill", None),
        ("agency", None),
    ],
)
def test_lookup_name(registry: Registry, query: str, expected: str | None) -> None:
    outlet = registry.lookup_name(query)
    assert (outlet.id if outlet else None) == expected


def test_every_name_and_alias_finds_its_own_entry(registry: Registry) -> None:
    for outlet in registry.outlets:
        for text in (outlet.name, *outlet.aliases):
            hit = registry.lookup_name(text)
            assert hit is not None and hit.id == outlet.id, (text, outlet.id, hit)


# --- domain lookup --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("https://www.nknews.org/2024/x", "nk-news"),
        ("nknews.org", "nk-news"),
        ("NKNews.org", "nk-news"),
        ("m.dialog.ua", "dialog-ua"),
        ("https://m.dialog.ua/news/1.html?x=1#y", "dialog-ua"),
        ("http://WWW.Reuters.com:8080/world/", "reuters"),
        ("https://charter97.org/en/news/2024/5/26/", "charter97"),
        ("https://www.flightradar24.com/data/aircraft/ra-86559", "flightradar24"),
        ("https://en.yna.co.kr/view/AEN2024", "yonhap"),
        ("monitoring.bbc.co.uk", "bbc-monitoring"),
        ("https://www.bbc.co.uk/news", "bbc"),
        ("economictimes.indiatimes.com/news", "economic-times"),
        ("indiatimes.com", None),
        ("news.sky.com", "sky-news"),
        ("sky.com", None),
        ("notreuters.com", None),
        ("reuters.com.evil.example", None),
        ("", None),
        ("not a url", None),
        ("https://", None),
    ],
)
def test_lookup_domain(registry: Registry, query: str, expected: str | None) -> None:
    outlet = registry.lookup_domain(query)
    assert (outlet.id if outlet else None) == expected


def test_every_domain_finds_its_entry(registry: Registry) -> None:
    for outlet in registry.outlets:
        for domain in outlet.domains:
            hit = registry.lookup_domain(f"https://www.{domain}/some/path")
            assert hit is not None and hit.id == outlet.id, (domain, outlet.id)


def test_normalize_domain() -> None:
    assert normalize_domain("https://WWW.NKNews.org:443/2024/x") == "nknews.org"
    assert normalize_domain("www2.example.org") == "example.org"
    assert normalize_domain("example.org.") == "example.org"
    assert normalize_domain("") == ""


def test_by_id(registry: Registry) -> None:
    reuters = registry.by_id("reuters")
    assert reuters is not None and reuters.name == "Reuters"
    assert registry.by_id("no-such-outlet") is None


def test_package_registry_is_cached() -> None:
    assert load_registry() is load_registry()
    assert load_gazetteer() is load_gazetteer()


def test_registry_is_immutable(registry: Registry) -> None:
    with pytest.raises(AttributeError):
        registry.outlets = ()  # type: ignore[misc]


# --- user files -----------------------------------------------------------------------------


def _write(tmp_path: Path, data: Any, name: str = "mine.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_user_file_adds_entries(tmp_path: Path, registry: Registry) -> None:
    path = _write(
        tmp_path,
        [
            {
                "id": "local-gazette",
                "name": "Local Gazette",
                "kind": "outlet",
                "country": "GB",
                "url": "https://gazette.example/",
                "aliases": ["The Gazette of Somewhere"],
                "domains": ["gazette.example"],
            },
            {"id": "minimal", "name": "Minimal Outlet"},
        ],
    )
    extended = load_registry(path)
    assert len(extended.outlets) == len(registry.outlets) + 2
    gazette = extended.lookup_name("the Local Gazette newspaper")
    assert gazette is not None and gazette.id == "local-gazette"
    assert extended.lookup_domain("https://news.gazette.example/a") == gazette
    minimal = extended.by_id("minimal")
    assert minimal is not None and minimal.kind == "outlet" and minimal.domains == ()
    assert extended.lookup_name("Reuters") == registry.lookup_name("Reuters")
    # The package registry itself is untouched.
    assert load_registry().by_id("local-gazette") is None


def test_user_file_overrides_by_id(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "outlets": [
                {
                    "id": "reuters",
                    "name": "Reuters (custom)",
                    "kind": "wire_agency",
                    "domains": ["reuters.example"],
                    "aliases": ["Custom Reuters"],
                }
            ]
        },
        "override.json",
    )
    extended = load_registry(str(path))
    assert len(extended.outlets) == len(load_registry().outlets)
    reuters = extended.by_id("reuters")
    assert reuters is not None and reuters.name == "Reuters (custom)"
    assert extended.lookup_name("Custom Reuters") == reuters
    assert extended.lookup_domain("reuters.example") == reuters
    assert extended.lookup_domain("reuters.com") is None
    ids = [o.id for o in extended.outlets]
    assert ids == [o.id for o in load_registry().outlets]  # same place, same order


def test_user_alias_wins_over_package_alias(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "my-ap", "name": "AP", "domains": ["apnews.com"]}])
    extended = load_registry(path)
    assert extended.lookup_name("AP") == extended.by_id("my-ap")
    assert extended.lookup_domain("apnews.com") == extended.by_id("my-ap")


def test_user_file_fields_starting_with_underscore_are_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "x1", "name": "X One", "_comment": "mine"}])
    assert load_registry(path).by_id("x1") is not None


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"foo": 1}', "expected a list"),
        ('"just a string"', "expected a list"),
        (
            '[{"id": "foo", "name": "Foo", "kind": "blog"}]',
            "entry 0 ('foo'): 'kind' must be one of",
        ),
        ('[{"id": "ok", "name": "OK"}, {"id": "foo"}]', "entry 1 ('foo'): 'name' is missing"),
        ('[{"id": "foo", "name": "  "}]', "'name' is missing or empty"),
        ('[{"name": "Foo"}]', "entry 0: 'id' is missing"),
        ('[{"id": "Foo Bar", "name": "Foo"}]', "lowercase slug"),
        ('[{"id": "foo", "name": "Foo", "country": "gbr"}]', "'country' must be"),
        ('[{"id": "foo", "name": "Foo", "url": "reuters.com"}]', "'url' must be"),
        ('[{"id": "foo", "name": "Foo", "aliases": "Foo Inc"}]', "'aliases' must be a list"),
        ('[{"id": "foo", "name": "Foo", "domains": ["foo.com/news"]}]', "must be a host name"),
        ('[{"id": "foo", "name": "Foo", "domains": ["localhost"]}]', "must be a host name"),
        ('[{"id": "foo", "name": "Foo", "colour": "red"}]', "unknown field 'colour'"),
        ('[{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]', "already used by entry 0"),
        ("[42]", "entry 0: must be a JSON object"),
    ],
)
def test_bad_user_file(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_registry(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert fragment in message, message
    assert "\n" not in message
    assert " — " in message  # every message says how to fix it


def test_kind_error_message_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "outlets.json"
    entries = [{"id": f"o{i}", "name": f"O {i}"} for i in range(3)]
    entries.append({"id": "foo", "name": "Foo", "kind": "blog"})
    path.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_registry(path)
    assert str(info.value) == (
        f"{path}: entry 3 ('foo'): 'kind' must be one of outlet, wire_agency, broadcaster, "
        "state_media, data_service — fix the entry or remove it"
    )


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not found — check the path"):
        load_registry(tmp_path / "nope.json")
    with pytest.raises(ConfigError, match=r"is a directory"):
        load_registry(tmp_path)


def test_non_utf8_user_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"id": "x", "name": "Caf\u00e9"}]'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"not UTF-8"):
        load_registry(path)


# --- gazetteer ------------------------------------------------------------------------------


def test_gazetteer_json_is_valid() -> None:
    data = _raw("gazetteer.json")
    assert isinstance(data, list) and len(data) >= 300
    for entry in data:
        assert set(entry) == {"id", "type", "name", "aliases"}, entry
        assert entry["type"] in MENTION_TYPES
        assert entry["id"] == f"{entry['type']}:{slugify(entry['name'])}", entry
        assert all(isinstance(a, str) and a and a.strip() == a for a in entry["aliases"])


def test_gazetteer_ids_unique_and_types_broad(gazetteer: Gazetteer) -> None:
    ids = [e.id for e in gazetteer.entries]
    assert len(ids) == len(set(ids))
    types = Counter(e.type for e in gazetteer.entries)
    assert all(types[t] >= 50 for t in MENTION_TYPES), types


def test_gazetteer_aliases_not_shared(gazetteer: Gazetteer) -> None:
    owners: dict[str, str] = {}
    for entry in gazetteer.entries:
        for text in {_fold(t) for t in (entry.name, *entry.aliases)}:
            assert owners.setdefault(text, entry.id) == entry.id, (text, owners[text], entry.id)


def test_gazetteer_holds_no_outlets(gazetteer: Gazetteer, registry: Registry) -> None:
    for entry in gazetteer.entries:
        for text in (entry.name, *entry.aliases):
            assert registry.lookup_name(text) is None, (text, entry.id)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Putin", "person:vladimir-putin"),
        ("Putin's", "person:vladimir-putin"),
        ("Vladimir Putin", "person:vladimir-putin"),
        ("Shoigu", "person:sergei-shoigu"),
        ("Shoigu’s", "person:sergei-shoigu"),
        ("Lavrov", "person:sergei-lavrov"),
        ("Kim Jong-un", "person:kim-jong-un"),
        ("Kim Jong-un's", "person:kim-jong-un"),
        ("Kim Jong Un", "person:kim-jong-un"),
        ("Zelenskyy", "person:volodymyr-zelensky"),
        ("Zelenskiy", "person:volodymyr-zelensky"),
        ("Lukashenka", "person:alexander-lukashenko"),
        ("Erdogan", "person:recep-tayyip-erdogan"),
        ("Russian Defense Ministry", "organization:russian-defence-ministry"),
        ("Russian Defence Ministry", "organization:russian-defence-ministry"),
        ("Russian defence ministry", "organization:russian-defence-ministry"),
        ("the Russian Ministry of Defence", "organization:russian-defence-ministry"),
        ("Ministry of Defence of Russia", "organization:russian-defence-ministry"),
        ("UN Security Council", "organization:united-nations-security-council"),
        ("Open Nuclear Network", "organization:open-nuclear-network"),
        ("ISW", "organization:institute-for-the-study-of-war"),
        ("the Kremlin", "organization:kremlin"),
        ("Pyongyang", "place:pyongyang"),
        ("Vostochny Cosmodrome", "place:vostochny-cosmodrome"),
        ("Kiev", "place:kyiv"),
        ("Donbass", "place:donbas"),
        ("Zaporizhzhia NPP", "place:zaporizhzhia-nuclear-power-plant"),
        ("Il-62M", "other:ilyushin-il-62"),
        ("Marshall Shaposhnikov", "other:marshal-shaposhnikov"),
        ("Marshal Shaposhnikov", "other:marshal-shaposhnikov"),
        ("HIMARS", "other:himars"),
        ("Kinzhal", "other:kinzhal"),
        ("U.S.", "place:united-states"),
        ("turkey", None),
        ("Putinism", None),
        ("Put", None),
        ("", None),
    ],
)
def test_gazetteer_lookup(gazetteer: Gazetteer, query: str, expected: str | None) -> None:
    entry = gazetteer.lookup(query)
    assert (entry.id if entry else None) == expected


def test_gazetteer_entry_fields(gazetteer: Gazetteer) -> None:
    putin = gazetteer.lookup("Putin")
    assert putin == GazetteerEntry(
        id="person:vladimir-putin",
        type="person",
        name="Vladimir Putin",
        aliases=putin.aliases if putin else (),
    )
    assert putin is not None and "Putin" in putin.aliases
    assert gazetteer.by_id("person:vladimir-putin") is putin


def test_every_gazetteer_form_finds_its_entry(gazetteer: Gazetteer) -> None:
    for entry in gazetteer.entries:
        for text in (entry.name, *entry.aliases):
            hit = gazetteer.lookup(text)
            assert hit is not None and hit.id == entry.id, (text, entry.id, hit)


def test_surface_forms(gazetteer: Gazetteer) -> None:
    forms = gazetteer.surface_forms()
    assert forms == sorted(forms, key=lambda pair: (pair[0], pair[1].id))
    assert len(forms) == sum(1 + len(e.aliases) for e in gazetteer.entries)
    texts = {text: entry.id for text, entry in forms}
    assert texts["Shoigu"] == "person:sergei-shoigu"
    assert texts["Russian Defense Ministry"] == "organization:russian-defence-ministry"


# --- slugify --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reuters", "reuters"),
        ("Süddeutsche Zeitung", "suddeutsche-zeitung"),
        ("El País", "el-pais"),
        ("Łódź Straße", "lodz-strasse"),
        ("Владимир Путин", "vladimir-putin"),
        ("Сергей Шойгу", "sergey-shoygu"),
        ("Наша Ніва", "nasha-niva"),
        ("Kim Jong-un's", "kim-jong-un-s"),
        ("  --Hello,   World!--  ", "hello-world"),
        ("Il-62M", "il-62m"),
        ("RA-86559", "ra-86559"),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    assert slugify(text) == expected


@pytest.mark.parametrize("text", ["", "!!!", "—", "日本", "   "])
def test_slugify_never_empty(text: str) -> None:
    slug = slugify(text)
    assert re.fullmatch(r"x-[0-9a-f]{10}", slug)
    assert slugify(text) == slug  # stable


def test_slugify_distinguishes_unsluggable_inputs() -> None:
    assert slugify("!!!") != slugify("???")


# --- the registry from open data ------------------------------------------------------------

OUTLET_DATA = Path(__file__).resolve().parents[2] / "shared" / "outlet-data"
ISSUE_OUTLETS = {  # named in the issue that asked for them: name → domain
    "Deadline": "deadline.com",
    "The Wrap": "thewrap.com",
    "The Hollywood Reporter": "hollywoodreporter.com",
    "Variety": "variety.com",
    "TMZ": "tmz.com",
    "Fast Company": "fastcompany.com",
    "ThinkProgress": "thinkprogress.org",
    "SFGate": "sfgate.com",
    "Hawaii News Now": "hawaiinewsnow.com",
    "The Verge": "theverge.com",
    "Associated Press": "apnews.com",
    "Reuters": "reuters.com",
    "BBC": "bbc.co.uk",
    "The New York Times": "nytimes.com",
}


def test_registry_has_5000_outlets_with_domains_and_provenance(registry: Registry) -> None:
    outlets = list(registry.all_outlets())
    assert len(outlets) == len(registry) >= 5000
    assert len({o.id for o in outlets}) == len(outlets)
    assert all(o.domains for o in outlets if not o.curated)
    assert all(o.provenance for o in outlets)
    assert sum(1 for o in outlets if o.country) >= 4500
    assert sum(1 for o in outlets if o.languages) >= 2000
    assert sum(1 for o in outlets if o.state_control) >= 800


@pytest.mark.parametrize("name", sorted(ISSUE_OUTLETS))
def test_issue_outlets_resolve_by_name_and_domain(registry: Registry, name: str) -> None:
    by_name = registry.lookup_name(name)
    assert by_name is not None and by_name.curated
    assert registry.lookup_domain("https://www." + ISSUE_OUTLETS[name] + "/2019/x") == by_name


def test_a_coordination_of_two_outlets_is_no_outlet(registry: Registry) -> None:
    assert registry.lookup_name("The Wrap and Deadline") is None
    assert registry.lookup_name("The Wrap") != registry.lookup_name("Deadline")


def test_state_control_is_separate_from_kind(registry: Registry) -> None:
    belta = registry.lookup_name("BelTA")
    assert belta is not None
    assert (belta.kind, belta.state_control) == ("wire_agency", "SC")
    assert belta.name == "BelTA" and belta.curated  # hand-made fields are kept as they were
    assert "state-media-profiles" in belta.provenance


def test_list_labels_carry_their_source_and_date(registry: Registry) -> None:
    labelled = [o for o in registry.all_outlets() if o.labels]
    assert len(labelled) > 5000
    names = {label.name for o in labelled for label in o.labels}
    assert {"Portal Kombat (Viginum)", "RT mirror", "EUvsDisinfo database"} <= names
    assert any(n.startswith("low-credibility (cred-1)") for n in names)
    for o in labelled[:500]:
        for label in o.labels:
            assert label.source and label.date and re.fullmatch(r"\d{4}-\d\d-\d\d", label.date)


def test_open_data_names_match_only_when_distinctive(registry: Registry) -> None:
    # A Wikidata newspaper with a distinctive name is found by it...
    gazette = registry.lookup_name("Arkansas Democrat-Gazette")
    assert gazette is not None and not gazette.curated
    # ...but common one-word names and names shared by several papers are not.
    for name in ("Today", "Metro", "The Star", "Daily News", "The Post"):
        hit = registry.lookup_name(name)
        assert hit is None or hit.curated, (name, hit)


def test_open_data_never_changes_a_hand_made_entry(registry: Registry) -> None:
    for raw in _raw("outlets.json"):
        outlet = registry.by_id(raw["id"])
        assert outlet is not None and outlet.curated
        assert (outlet.name, list(outlet.aliases), list(outlet.domains), outlet.kind) == (
            raw["name"], raw["aliases"], raw["domains"], raw["kind"],
        )


def test_lookup_domain_stops_at_the_registrable_domain(registry: Registry) -> None:
    assert registry.lookup_domain("https://www.bbc.co.uk/news") is not None
    assert registry.lookup_domain("https://nothing-here.co.uk/") is None
    assert registered_domain("https://edition.cnn.com/x") == "cnn.com"
    assert registered_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("someone.blogspot.com") == "someone.blogspot.com"
    assert registered_domain("http://127.0.0.1:8080/") == "127.0.0.1"
    assert registered_domain("") == ""


def test_registered_domain_uses_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from kg import registry as module

    module._public_suffixes.cache_clear()
    module.registered_domain.cache_clear()
    assert registered_domain("https://a.b.example.co.jp/") == "example.co.jp"


def test_user_file_can_set_state_control_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps([{
        "id": "my-paper", "name": "My Paper", "state_control": "CaPr", "languages": ["uk"],
        "labels": [{"name": "My watch list", "source": "our newsroom", "date": "2026-01-02"}],
        "domains": ["mypaper.example"],
    }]), encoding="utf-8")
    outlet = load_registry(path).lookup_domain("mypaper.example")
    assert outlet is not None
    assert (outlet.state_control, outlet.languages) == ("CaPr", ("uk",))
    assert outlet.labels[0].name == "My watch list" and outlet.provenance == (str(path),)
    path.write_text(json.dumps([{"id": "x", "name": "X", "state_control": "bad"}]))
    with pytest.raises(ConfigError, match="state_control"):
        load_registry(path)


def test_licence_notices_ship_with_the_package() -> None:
    folder = resources.files("kg").joinpath("data", "licences")
    names = {entry.name for entry in folder.iterdir()}
    assert {"README.md", "state-media-profiles.LICENSE", "disinfo-laundromat.LICENSE",
            "cred-1.LICENSE", "cred-1.ATTRIBUTION.md"} <= names
    meta = _raw("outlet-sources.json")
    assert set(meta["sources"]) == {"state-media-profiles", "disinfo-laundromat", "cred-1",
                                    "wikidata-newspapers"}


def test_shipped_data_files_stay_small() -> None:
    folder = resources.files("kg").joinpath("data")
    for entry in folder.iterdir():
        if entry.is_file():
            assert len(entry.read_bytes()) < 2_000_000, entry.name


@pytest.mark.corpus
def test_registry_rebuilds_byte_for_byte_from_the_open_data() -> None:
    if not OUTLET_DATA.is_dir():
        pytest.skip(f"{OUTLET_DATA} is absent: the registry cannot be rebuilt here")
    pytest.importorskip("pycountry")
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_registry.py"
    spec = importlib.util.spec_from_file_location("build_registry", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_registry"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["build_registry"]
    tsv, meta = module.build(OUTLET_DATA)
    data = resources.files("kg").joinpath("data")
    assert tsv == data.joinpath("outlets-open.tsv").read_text(encoding="utf-8")
    assert meta == data.joinpath("outlet-sources.json").read_text(encoding="utf-8")
