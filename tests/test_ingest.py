"""Tests for kg.ingest: every format, the seed dump, and every kind of bad input."""

from __future__ import annotations

import gzip
import io
import json
import os
import stat
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kg.errors import ConfigError
from kg.ingest import SUPPORTED_SUFFIXES, iter_inputs, load_url_map, normalise_date
from kg.models import Article, Link, Skipped

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "charter97-2024-05-26.txt"
SHARED = ROOT.parent / "shared" / "corpora"

# A synthetic English article with a few Cyrillic and accented names, for the encoding twins.
CYRILLIC_ARTICLE = (
    "Talks in Minsk end without a deal\n"
    "\n"
    "The opposition politician Светлана Тихановская said on Monday that the talks with "
    "Александр Лукашенко had failed, according to a statement posted online.\n"
    "\n"
    "Analysts in Vilnius said the outcome was expected and that further meetings were unlikely "
    "before the end of the year, Reuters reported.\n"
)
LATIN_ARTICLE = (
    "Café owners protest in Zürich\n"
    "\n"
    "José Müller, who runs a café near the Bahnhofstraße, told reporters that the new rules "
    "would hurt small businesses. François Désirée agreed, according to the local paper.\n"
    "\n"
    "The council said it would review the proposal next month after hearing from residents.\n"
)

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>Harbour Bridge Reopens After Repairs | The Example Gazette</title>
<meta property="og:site_name" content="The Example Gazette">
<meta property="og:title" content="Harbour Bridge Reopens After Repairs">
<link rel="canonical" href="https://gazette.example.com/news/2024/03/bridge-reopens">
<meta property="article:published_time" content="2024-03-14T09:30:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour Bridge Reopens After Repairs</h1>
<p>The harbour bridge reopened to traffic on Thursday after eight months of repairs,
the city council said in a statement published on
<a href="https://council.example.org/statements/bridge">its website</a>.</p>
<p>Engineers replaced {name} cables and resurfaced the deck, according to
<a href="/news/2024/01/bridge-cables">an earlier report</a> by this newspaper.
The work cost about 40 million euros, the council said, which was more than planned.</p>
<p>Residents welcomed the news. "We have waited a long time," said shop owner Maria Jensen,
whose cafe sits at the foot of the bridge, in an interview with
<a href="https://radio.example.net/interview">Radio Example</a>.
Her neighbours agreed with her and said the long detour had cost them customers.</p>
<p>See <a href="javascript:void(0)">this</a>, <a href="mailto:desk@example.com">mail us</a>,
<a href="#top">back to top</a> and <a href="https://radio.example.net/interview">Radio
Example</a> again.</p>
</article>
<footer>Copyright 2024 The Example Gazette. All rights reserved.</footer>
</body></html>
"""


def page(charset: str = "utf-8", name: str = "the main") -> str:
    return PAGE.replace("{charset}", charset).replace("{name}", name)


def run(paths: Iterable[str | Path], **kwargs: int) -> list[Article | Skipped]:
    items = list(iter_inputs(list(paths), **kwargs))
    for item in items:
        assert isinstance(item, Article | Skipped)
        if isinstance(item, Skipped):
            assert "\n" not in item.reason and "\r" not in item.reason
    return items


def only(items: list[Article | Skipped]) -> Article | Skipped:
    assert len(items) == 1, items
    return items[0]


def article(items: list[Article | Skipped]) -> Article:
    item = only(items)
    assert isinstance(item, Article), item
    return item


def skipped(items: list[Article | Skipped]) -> Skipped:
    item = only(items)
    assert isinstance(item, Skipped), item
    return item


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def make_warc(path: Path, records: list[tuple[str, str, int, bytes]], *, gz: bool = True) -> Path:
    """Write (uri, content type, status, body) response records plus one request record."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for uri, content_type, status, body in records:
            request = writer.create_warc_record(
                uri,
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"),
            )
            writer.write_record(request)
            headers = StatusAndHeaders(
                f"{status} {'OK' if status == 200 else 'Not Found'}",
                [("Content-Type", content_type)],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    return path


# --- the seed dump --------------------------------------------------------------------------


def test_seed_dump() -> None:
    item = article(run([SEED]))
    assert item.path == str(SEED)
    assert item.title == "Russian Defense Ministry Plane Makes Mysterious Flight To North Korea"
    assert item.published == "2024-05-26T23:37:00"
    assert item.site == "charter97.org"
    assert item.format == "txt"
    assert item.text.startswith("Experts have put forward several possible versions.")
    assert item.text.endswith("expand military cooperation between the two countries.")
    for junk in ("Sim Sim", "the website", "Charter 97!", "Write your comment", "Follow Charter97"):
        assert junk not in item.text
        assert junk not in (item.title or "")
    # the body is a verbatim slice of the file: offsets computed later point into the file too
    raw = SEED.read_text(encoding="utf-8")
    assert item.text in raw


def test_synthetic_dump_without_repeated_title(tmp_path: Path) -> None:
    body = (
        "The city council approved the new budget on Tuesday, officials said.\n\n"
        "The vote was 12 to 3, according to the council's website."
    )
    text = (
        "Tuesday, March 5, 2024 14:05\n"
        "Main page\n"
        "Example Times\n"
        "\n"
        "Council Approves Budget\n"
        "\n" + body + "\n\n"
        "Share this article\n"
        "Comments (4)\n"
        "© 2024 exampletimes.net All rights reserved\n"
    )
    item = article(run([write(tmp_path / "dump.txt", text)]))
    assert item.text == body
    assert item.title == "Council Approves Budget"
    assert item.published == "2024-03-05T14:05:00"
    assert item.site == "exampletimes.net"


def test_dump_with_crlf_keeps_body_verbatim(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    item = article(run([write(tmp_path / "crlf.txt", text)]))
    assert item.title == "Russian Defense Ministry Plane Makes Mysterious Flight To North Korea"
    assert item.text.startswith("Experts have put forward")
    assert item.text.endswith("between the two countries.")
    assert "\r\n\r\n" in item.text


# --- plain text -----------------------------------------------------------------------------


def test_plain_txt_is_unchanged(tmp_path: Path) -> None:
    text = (
        "Ministers Agree Trade Deal\n\nThe two ministers agreed a trade deal on Friday, "
        "the agency reported.\n\nHe later posted the video on social media.\n"
    )
    item = article(run([write(tmp_path / "plain.txt", text)]))
    assert item.text == text
    assert item.title == "Ministers Agree Trade Deal"
    assert item.published is None and item.site is None


def test_plain_txt_without_title(tmp_path: Path) -> None:
    text = "The two ministers agreed a trade deal on Friday.\n\nNothing else happened.\n"
    item = article(run([write(tmp_path / "plain.txt", text)]))
    assert item.text == text
    assert item.title is None


def test_plain_txt_crlf_unchanged(tmp_path: Path) -> None:
    text = "Headline Here\r\n\r\nBody sentence one, officials said.\r\nSecond line.\r\n"
    item = article(run([write(tmp_path / "crlf.txt", text.encode("utf-8"))]))
    assert item.text == text
    assert item.title == "Headline Here"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-16", "utf-8-sig"])
def test_cyrillic_encodings_decode_like_utf8_twin(tmp_path: Path, encoding: str) -> None:
    twin = article(run([write(tmp_path / "utf8.txt", CYRILLIC_ARTICLE)]))
    other = article(run([write(tmp_path / f"{encoding}.txt", CYRILLIC_ARTICLE.encode(encoding))]))
    assert twin.text == CYRILLIC_ARTICLE
    assert other.text == twin.text
    assert other.title == twin.title


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16-le-bom", "utf-16-be-bom"])
def test_latin_encodings_decode_like_utf8_twin(tmp_path: Path, encoding: str) -> None:
    if encoding.endswith("-bom"):
        codec = encoding[: -len("-bom")]
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        data = bom + LATIN_ARTICLE.encode(codec)
    else:
        data = LATIN_ARTICLE.encode(encoding)
    other = article(run([write(tmp_path / f"{encoding}.txt", data)]))
    assert other.text == LATIN_ARTICLE


# --- HTML -----------------------------------------------------------------------------------


def test_html_page(tmp_path: Path) -> None:
    item = article(run([write(tmp_path / "page.html", page())]))
    assert item.format == "html"
    assert item.title == "Harbour Bridge Reopens After Repairs"
    assert item.site == "The Example Gazette"
    assert item.url == "https://gazette.example.com/news/2024/03/bridge-reopens"
    assert item.published is not None and item.published.startswith("2024-03-14")
    assert "eight months of repairs" in item.text
    assert "Maria Jensen" in item.text
    assert "Home" not in item.text.split()
    assert "<a" not in item.text and "](" not in item.text
    urls = [link.url for link in item.links]
    assert "https://council.example.org/statements/bridge" in urls
    # relative links are made absolute against the page URL
    assert "https://gazette.example.com/news/2024/01/bridge-cables" in urls
    assert not any(u.startswith(("javascript:", "mailto:")) or "#" in u for u in urls)
    for link in item.links:
        assert link.url.startswith(("http://", "https://"))
        if link.start is not None and link.end is not None:
            assert item.text[link.start : link.end] == link.text
    radio = [link for link in item.links if link.url == "https://radio.example.net/interview"]
    assert len(radio) == 2
    starts = [link.start for link in radio]
    assert None not in starts and starts[0] != starts[1]  # successive occurrences


def test_html_meta_charset_honoured(tmp_path: Path) -> None:
    name = "Тихановская"
    data = page(charset="windows-1251", name=name).encode("cp1251")
    item = article(run([write(tmp_path / "legacy.htm", data)]))
    assert name in item.text


def test_html_latin1_meta_charset(tmp_path: Path) -> None:
    data = page(charset="iso-8859-1", name="Désirée's").encode("latin-1")
    item = article(run([write(tmp_path / "latin.html", data)]))
    assert "Désirée's" in item.text


def test_html_without_body_text(tmp_path: Path) -> None:
    data = "<html><head><title>Nothing</title></head><body><script>var x;</script></body></html>"
    item = skipped(run([write(tmp_path / "empty.html", data)]))
    assert item.reason == "no article text found"


def test_html_nested_5000_deep(tmp_path: Path) -> None:
    deep = (
        "<html><body>"
        + "<div>" * 5000
        + "<p>"
        + "Deep text that goes on and on. " * 20
        + "</p>"
        + "</div>" * 5000
        + "</body></html>"
    )
    item = only(run([write(tmp_path / "deep.html", deep)]))
    assert isinstance(item, Article | Skipped)


def test_html_nul_bytes_is_binary(tmp_path: Path) -> None:
    item = skipped(run([write(tmp_path / "bin.html", b"<html>\x00\x01\x02\x00</html>")]))
    assert item.reason == "binary file (NUL bytes)"


# --- JSON and JSON Lines --------------------------------------------------------------------


def test_json_object(tmp_path: Path) -> None:
    record = {
        "url": "https://news.example.org/a",
        "title": "A title",
        "text": "Body text, the agency said.",
        "date": "2024-01-02T03:04:05Z",
        "outlet": {"name": "Example News", "url": "https://news.example.org"},
    }
    item = article(run([write(tmp_path / "one.json", json.dumps(record))]))
    assert item == Article(
        path=str(tmp_path / "one.json"),
        text="Body text, the agency said.",
        url="https://news.example.org/a",
        title="A title",
        published="2024-01-02T03:04:05+00:00",
        site="Example News",
        format="json",
        language="en",
    )


def test_json_array_with_aliases_and_bad_records(tmp_path: Path) -> None:
    records = [
        {"body": "First body.", "published": "3 March 2024", "site": "One"},
        {"content": "<p>Second</p>", "datePublished": "not a date", "publisher": "Two"},
        {"title": "No text here"},
        {"text": 42},
        {"text": "Fine text.", "title": ["not", "a", "string"]},
        "not an object",
        {"text": "Last.", "source": "Three"},
    ]
    path = write(tmp_path / "many.json", json.dumps(records))
    items = run([path])
    assert [i.path for i in items] == [f"{path}:{n}" for n in range(7)]
    first, second, missing, wrong, title, notobj, last = items
    assert isinstance(first, Article) and first.text == "First body."
    assert first.published == "2024-03-03" and first.site == "One"
    assert isinstance(second, Article) and second.text == "<p>Second</p>"
    assert second.published is None and second.site == "Two"
    assert isinstance(missing, Skipped) and "'text'" in missing.reason
    assert isinstance(wrong, Skipped) and "'text'" in wrong.reason and "string" in wrong.reason
    assert isinstance(title, Skipped) and "'title'" in title.reason
    assert isinstance(notobj, Skipped) and "not a JSON object" in notobj.reason
    assert isinstance(last, Article) and last.site == "Three"


def test_json_invalid(tmp_path: Path) -> None:
    item = skipped(run([write(tmp_path / "bad.json", '{"text": "x",}')]))
    assert item.reason.startswith("invalid JSON")


def test_json_scalar(tmp_path: Path) -> None:
    item = skipped(run([write(tmp_path / "num.json", "42")]))
    assert "object or array" in item.reason


def test_json_deeply_nested(tmp_path: Path) -> None:
    item = skipped(run([write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)]))
    assert item.reason.startswith("invalid JSON")


def test_jsonl_with_broken_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "One.", "outlet": "A"}),
        "",
        '{"text": "broken", ',
        json.dumps({"text": "Three.", "url": "https://x.example/3"}),
        json.dumps({"text": None}),
        json.dumps({"text": "Five.", "outlet": 5}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    items = run([path])
    assert [i.path for i in items] == [f"{path}:{n}" for n in (1, 3, 4, 5, 6)]
    assert isinstance(items[0], Article) and items[0].format == "jsonl"
    assert isinstance(items[1], Skipped) and items[1].reason.startswith("invalid JSON")
    assert isinstance(items[2], Article) and items[2].url == "https://x.example/3"
    assert isinstance(items[3], Skipped) and "'text'" in items[3].reason
    assert isinstance(items[4], Skipped) and "'outlet'" in items[4].reason


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    data = b'{"text": "ok"}\n{"text": "\xff\xfe bad"}\n'
    items = run([write(tmp_path / "x.jsonl", data)])
    assert isinstance(items[0], Article)
    assert isinstance(items[1], Skipped) and items[1].reason == "not valid UTF-8"


# --- gzip -----------------------------------------------------------------------------------


def test_gzip_of_each_format(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt.gz", gzip.compress(LATIN_ARTICLE.encode("utf-8")))
    html = write(tmp_path / "b.html.gz", gzip.compress(page().encode("utf-8")))
    jsonl = write(tmp_path / "c.jsonl.gz", gzip.compress(b'{"text": "x"}\n{"text": "y"}\n'))
    items = run([txt, html, jsonl])
    assert [type(i) for i in items] == [Article] * 4
    assert isinstance(items[0], Article) and items[0].text == LATIN_ARTICLE
    assert items[1].path == str(html) and isinstance(items[1], Article)
    assert items[1].format == "html"
    assert [i.path for i in items[2:]] == [f"{jsonl}:1", f"{jsonl}:2"]


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(LATIN_ARTICLE.encode("utf-8") * 50)
    item = skipped(run([write(tmp_path / "cut.txt.gz", data[: len(data) // 2])]))
    assert item.reason == "truncated gzip stream"


def test_truncated_jsonl_gzip_keeps_complete_lines(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"text": f"Record {n} " + "x" * 200}) + "\n" for n in range(200))
    data = gzip.compress(lines.encode("utf-8"))
    path = write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    items = run([path])
    assert all(isinstance(i, Article) for i in items[:-1]) and len(items) > 2
    assert isinstance(items[-1], Skipped) and items[-1].path == str(path)
    assert items[-1].reason.startswith("truncated gzip stream")


def test_not_gzip(tmp_path: Path) -> None:
    item = skipped(run([write(tmp_path / "fake.txt.gz", b"plain text, not gzip")]))
    assert item.reason.startswith("not a gzip file")


def test_gzip_bomb_is_bounded(tmp_path: Path) -> None:
    data = gzip.compress(b"a" * 5_000_000)
    item = skipped(run([write(tmp_path / "bomb.txt.gz", data)], max_bytes=1_000_000))
    assert item.reason == "decompressed size exceeds the 1 MB limit; raise it with --max-mb"


# --- WARC -----------------------------------------------------------------------------------


def test_warc(tmp_path: Path) -> None:
    body = page().encode("utf-8")
    path = make_warc(
        tmp_path / "crawl.warc.gz",
        [
            ("https://gazette.example.com/a", "text/html; charset=utf-8", 200, body),
            ("https://gazette.example.com/img.png", "image/png", 200, b"\x89PNG...."),
            ("https://gazette.example.com/missing", "text/html", 404, body),
            ("https://gazette.example.com/b", "text/html", 200, body),
        ],
    )
    items = run([path])
    assert [i.path for i in items] == [
        f"{path}#https://gazette.example.com/a",
        f"{path}#https://gazette.example.com/b",
    ]
    first = items[0]
    assert isinstance(first, Article) and first.format == "warc"
    assert first.url == "https://gazette.example.com/a"
    assert first.title == "Harbour Bridge Reopens After Repairs"


def test_uncompressed_warc(tmp_path: Path) -> None:
    body = page().encode("utf-8")
    path = make_warc(
        tmp_path / "crawl.warc", [("https://g.example/a", "text/html", 200, body)], gz=False
    )
    assert isinstance(article(run([path])), Article)


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_earlier_records(tmp_path: Path, gz: bool) -> None:
    body = page().encode("utf-8")
    records = [(f"https://g.example/{n}", "text/html", 200, body + b" " * 3000) for n in range(4)]
    full = make_warc(tmp_path / ("full.warc.gz" if gz else "full.warc"), records, gz=gz)
    data = full.read_bytes()
    cut = write(tmp_path / ("cut.warc.gz" if gz else "cut.warc"), data[: int(len(data) * 0.6)])
    items = run([cut])
    assert isinstance(items[-1], Skipped) and items[-1].path == str(cut)
    assert "WARC" in items[-1].reason
    assert 1 <= len(items) - 1 < 4
    assert all(isinstance(i, Article) for i in items[:-1])


def test_garbage_warc(tmp_path: Path) -> None:
    item = skipped(run([write(tmp_path / "junk.warc", b"this is not a warc file\n" * 10)]))
    assert "WARC" in item.reason


# --- bad inputs -----------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    item = skipped(run([tmp_path / "nope.txt"]))
    assert item == Skipped(str(tmp_path / "nope.txt"), "no such file or directory")


def test_empty_file(tmp_path: Path) -> None:
    assert skipped(run([write(tmp_path / "empty.txt", b"")])).reason == "empty file"


def test_whitespace_file(tmp_path: Path) -> None:
    assert "whitespace" in skipped(run([write(tmp_path / "ws.txt", "  \n\n \t\n")])).reason


def test_binary_txt(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10
    assert skipped(run([write(tmp_path / "bin.txt", data)])).reason == "binary file (NUL bytes)"


def test_control_characters_txt(tmp_path: Path) -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20]) * 20
    assert skipped(run([write(tmp_path / "ctl.txt", data)])).reason.startswith("binary file")


def test_undecodable_txt_is_skipped_or_decoded(tmp_path: Path) -> None:
    # random high bytes: either some legacy codec fits, or the reason says none does
    data = bytes((n * 37 + 128) % 256 for n in range(300) if (n * 37 + 128) % 256 > 127)
    item = only(run([write(tmp_path / "odd.txt", data)]))
    if isinstance(item, Skipped):
        assert item.reason in (
            "not valid UTF-8 and no known encoding fits",
            "binary file (mostly non-text bytes)",
        )


def test_too_large_checked_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "word " * 1000)
    item = skipped(run([path], max_bytes=100))
    assert item.reason == "larger than the 100 byte limit; raise it with --max-mb"
    assert isinstance(article(run([path], max_bytes=2_000_000)), Article)


def test_too_large_default_message(tmp_path: Path) -> None:
    path = tmp_path / "sparse.txt"
    with open(path, "wb") as handle:  # a sparse file: large on paper, no disk or memory used
        handle.truncate(50_000_001)
    assert skipped(run([path])).reason == "larger than the 50 MB limit; raise it with --max-mb"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads all")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", "Some text.")
    path.chmod(0)
    try:
        assert skipped(run([path])).reason == "permission denied"
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", "Some text.")
    real_open = open

    def deny(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", deny)
    assert skipped(run([path])).reason == "permission denied"


def test_unsupported_suffix_named_explicitly(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.xyz", "text")
    item = skipped(run([path]))
    assert item.reason == (
        "unsupported file type '.xyz' (expected .txt, .html, .htm, .json, .jsonl, .warc, "
        ".warc.gz, or .gz of these)"
    )


def test_symlink_to_itself(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert skipped(run([loop])).reason == "symlink loop"
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "self.txt").symlink_to(folder / "self.txt")
    items = run([folder])
    assert items == [Skipped(str(folder / "self.txt"), "symlink loop")]


def test_directory_symlink_loop_terminates(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "sub" / "a.txt", "Article a, they said.")
    (root / "sub" / "back").symlink_to(root)
    items = run([root])
    assert [type(i) for i in items] == [Article, Skipped]
    assert items[1] == Skipped(str(root / "sub" / "back"), "symlink loop")


def test_broken_symlink_in_folder(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "gone.bin").symlink_to(tmp_path / "missing.bin")  # unknown suffix: ignored
    items = run([tmp_path])
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert "broken symlink" in items[0].reason


def test_fifo_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert skipped(run([fifo])).reason == "not a regular file"


def test_odd_file_names(tmp_path: Path) -> None:
    names = ["with space.txt", "ünïcødé 新闻.txt", "new\nline.txt"]
    for name in names:
        write(tmp_path / name, "A short article, the agency said.\n")
    write(tmp_path / "bad\nname.json", "{oops")
    items = run([tmp_path])
    assert sorted(i.path for i in items) == sorted(
        str(tmp_path / n) for n in [*names, "bad\nname.json"]
    )
    bad = [i for i in items if isinstance(i, Skipped)]
    assert len(bad) == 1 and "\n" not in bad[0].reason


# --- folders and order ----------------------------------------------------------------------


def test_folder_walk_order_hidden_and_unknown(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second file, he said.")
    write(tmp_path / "a" / "z.txt", "Nested file, she said.")
    write(tmp_path / "a" / "m.json", json.dumps({"text": "Json file."}))
    write(tmp_path / "c.jsonl", '{"text": "L1"}\n{"text": "L2"}\n')
    write(tmp_path / ".hidden.txt", "Hidden.")
    write(tmp_path / ".git" / "x.txt", "Hidden dir.")
    write(tmp_path / "image.png", b"\x89PNG")
    write(tmp_path / "README", "no suffix")
    items = run([tmp_path])
    # Nothing under the folder vanishes: what is not read is reported with its reason.
    assert [(i.path, type(i).__name__) for i in items] == [
        (str(tmp_path / ".git"), "Skipped"),
        (str(tmp_path / ".hidden.txt"), "Skipped"),
        (str(tmp_path / "README"), "Skipped"),
        (str(tmp_path / "a" / "m.json"), "Article"),
        (str(tmp_path / "a" / "z.txt"), "Article"),
        (str(tmp_path / "b.txt"), "Article"),
        (f"{tmp_path / 'c.jsonl'}:1", "Article"),
        (f"{tmp_path / 'c.jsonl'}:2", "Article"),
        (str(tmp_path / "image.png"), "Skipped"),
    ]
    reasons = {i.path: i.reason for i in items if isinstance(i, Skipped)}
    assert reasons[str(tmp_path / "image.png")].startswith("unsupported file type '.png'")
    assert reasons[str(tmp_path / "README")].startswith("unsupported file type (no suffix)")
    assert "hidden" in reasons[str(tmp_path / ".git")]
    assert run([tmp_path]) == items  # deterministic


def test_txt_with_markup_or_many_documents_is_reported(tmp_path: Path) -> None:
    docs = "".join(
        f"<DOC>\n<DOCNO> X-{n} </DOCNO>\n<TEXT>\nStory {n}, the minister said.\n</TEXT>\n</DOC>\n"
        for n in range(3)
    )
    write(tmp_path / "collection.txt", docs)
    page = "<html><body>" + "".join(f"<p class='x'>Line {n}.</p>" for n in range(30)) + "</body>"
    write(tmp_path / "page.txt", page)
    items = run([tmp_path])
    assert all(isinstance(i, Skipped) for i in items)
    reasons = {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}
    assert reasons["collection.txt"].startswith("holds 3 documents")
    assert reasons["page.txt"].startswith("markup in a .txt file")


def test_inputs_in_given_order(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "A, he said.")
    b = write(tmp_path / "b.txt", "B, she said.")
    assert [i.path for i in run([b, a, str(tmp_path / "none.txt")])] == [
        str(b),
        str(a),
        str(tmp_path / "none.txt"),
    ]


def test_path_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "d" / "x.txt", "X, he said.")
    monkeypatch.chdir(tmp_path)
    assert [i.path for i in run(["./d"])] == [os.path.join("./d", "x.txt")]


def test_duplicate_directory_through_symlink_read_once(tmp_path: Path) -> None:
    write(tmp_path / "real" / "x.txt", "X, he said.")
    (tmp_path / "zlink").symlink_to(tmp_path / "real")
    assert [i.path for i in run([tmp_path])] == [str(tmp_path / "real" / "x.txt")]


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-26", "2024-05-26"),
        ("2024-05-26T23:37:00Z", "2024-05-26T23:37:00+00:00"),
        ("2024-05-26T23:37:00.123+03:00", "2024-05-26T23:37:00+03:00"),
        ("2024-05-26 23:37", "2024-05-26T23:37:00"),
        ("26 May 2024, Sunday, 23:37", "2024-05-26T23:37:00"),
        ("May 26, 2024", "2024-05-26"),
        ("Sunday, 26 May 2024 11:37 pm", "2024-05-26T23:37:00"),
        ("26.05.2024 08:05", "2024-05-26T08:05:00"),
        ("Sun, 26 May 2024 23:37:00 GMT", "2024-05-26T23:37:00+00:00"),
        ("26 May 2024 23:37 +0300", "2024-05-26T23:37:00+03:00"),
        ("30 February 2024", None),
        ("yesterday", None),
        ("The meeting on 26 May 2024 was short.", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_date(value: str | None, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_supported_suffixes() -> None:
    assert ".txt" in SUPPORTED_SUFFIXES and ".warc.gz" in SUPPORTED_SUFFIXES


def test_link_record() -> None:
    assert Link("https://x", "x").start is None


# --- the shared corpora (skipped when absent) -----------------------------------------------


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "scrapinghub" / "news-181.warc.gz").exists(), reason="no corpus")
def test_scrapinghub_warc() -> None:
    items = run([SHARED / "scrapinghub" / "news-181.warc.gz"])
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 181
    assert all(a.url and a.path.endswith("#" + a.url) for a in articles)
    for a in articles:
        for link in a.links:
            if link.start is not None and link.end is not None:
                assert a.text[link.start : link.end] == link.text


# --- publishers of saved pages and --url-map --------------------------------------------------

SAVED_PAGE = """<!-- saved from url=(0040)https://paper.example/2024/05/story.html -->
<html><head><title>A council votes on the budget | The Example Paper</title>
<meta property="og:site_name" content="Copyright 2014"></head>
<body><article><p>The council voted on Tuesday to pass the budget for next year, after a long
debate about the cost of the new bridge and the school roof.</p><p>The mayor said the vote was
a good day for the town and thanked the members of the council for their work.</p>
</article></body></html>"""


def test_saved_page_gets_its_address_and_site_name(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(SAVED_PAGE, encoding="utf-8")
    (article,) = list(iter_inputs([path]))
    assert isinstance(article, Article)
    assert article.url == "https://paper.example/2024/05/story.html"
    assert article.site == "The Example Paper"  # never "Copyright 2014"


def test_url_map_gives_saved_pages_their_address(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text(SAVED_PAGE.split("\n", 1)[1], encoding="utf-8")
    csv_path = tmp_path / "urls.csv"
    csv_path.write_text("path,url\npages/a.html,https://mapped.example/a\n", encoding="utf-8")
    (article,) = list(iter_inputs([folder], url_map=load_url_map(csv_path)))
    assert isinstance(article, Article) and article.url == "https://mapped.example/a"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("a.html\n", "expected two columns"), ("a.html,ftp://x.example/\n", r"not an http\(s\) URL")],
)
def test_bad_url_map_is_one_clear_error(tmp_path: Path, content: str, fragment: str) -> None:
    csv_path = tmp_path / "urls.csv"
    csv_path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        load_url_map(csv_path)


# --- page furniture -------------------------------------------------------------------------


def test_strip_furniture_drops_widgets_keeps_prose() -> None:
    from kg.ingest import strip_furniture

    text = (
        "Council passes budget\n"
        "The council voted on Tuesday to pass the budget.\n"
        "Thanks for signing up!\n"
        "Keep an eye on your inbox for the latest news.\n"
        "2019-11-19T08:57:40+01:00\n"
        "Share this story\n"
        "An even better deal is if you sign up for the\n"
        "Disney bundle, which costs less.\n"
        "Why did they subscribe to our newsletter, she asked, when nobody reads it anyway?\n"
    )
    kept = strip_furniture(text, "Council passes budget")
    assert kept.split("\n") == [
        "The council voted on Tuesday to pass the budget.",
        "An even better deal is if you sign up for the",
        "Disney bundle, which costs less.",
        "Why did they subscribe to our newsletter, she asked, when nobody reads it anyway?",
        "",
    ]


def test_words_around_links_stay_apart(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text(
        "<html><head><title>Laptop review</title></head><body><article>"
        "<p>Just months after the last <a href='https://a.example/x'>MacBook Pro</a> was "
        "released, Apple unveiled a new one, and the reviewers at "
        "<a href='https://b.example/'>Example Tech</a>'s lab liked it a lot.</p>"
        "<p>The keyboard is better than the old one, according to every test we ran.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (article,) = list(iter_inputs([path]))
    assert isinstance(article, Article)
    assert "the last MacBook Pro was released" in article.text
    assert "Example Tech's lab" in article.text
    assert [link.text for link in article.links] == ["MacBook Pro", "Example Tech"]


# --- hostile inputs (issue 14): no input raises past its own skip, none escapes the roots ---

GOOD_TEXT = ("Port of Gdansk sets a cargo record\n\nReuters reported that the port handled a "
             "record tonnage in May, according to a statement from the port authority.\n")


def test_a_lone_surrogate_in_any_json_field_skips_that_article(tmp_path: Path) -> None:
    for name in ("text", "title", "url", "outlet"):
        record = {"title": "Talks resume", "url": "https://x.example/a", "outlet": "Reuters",
                  "text": "Reuters reported that the talks resumed on Monday in Geneva."}
        raw = json.dumps(record).replace(json.dumps(record[name]),
                                         json.dumps(record[name])[:-1] + '\\ud800"')
        write(tmp_path / f"bad-{name}.json", raw)
    write(tmp_path / "good.txt", GOOD_TEXT)
    items = list(iter_inputs([tmp_path]))
    reasons = {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}
    assert reasons == {
        f"bad-{name}.json": f"field '{name if name != 'outlet' else 'outlet'}' is not valid "
        "Unicode (a lone surrogate, \\ud800)"
        for name in ("text", "title", "url", "outlet")
    }
    assert [Path(i.path).name for i in items if isinstance(i, Article)] == ["good.txt"]


def test_file_names_that_are_not_utf8_are_read_and_shown_escaped(tmp_path: Path) -> None:
    base = os.fsencode(tmp_path)
    os.mkdir(base + b"/\xcd\xee\xe2\xee\xf1\xf2\xe8")  # "Новости" in Windows-1251
    for name in (b"/caf\xe9.txt", b"/\xcd\xee\xe2\xee\xf1\xf2\xe8/story.txt"):
        with open(base + name, "wb") as handle:
            handle.write(GOOD_TEXT.encode())
    items = list(iter_inputs([tmp_path]))
    assert all(isinstance(i, Article) for i in items), items
    paths = sorted(i.path for i in items)
    assert paths == [f"{tmp_path}/\\xcd\\xee\\xe2\\xee\\xf1\\xf2\\xe8/story.txt",
                     f"{tmp_path}/caf\\xe9.txt"]
    for path in paths:
        path.encode("utf-8")  # fit for any output


def test_a_tree_a_thousand_folders_deep_is_walked(tmp_path: Path) -> None:
    deep = str(tmp_path)
    for _ in range(1000):  # one by one: makedirs recurses once per level
        deep += "/d"
        os.mkdir(deep)
    Path(deep, "bottom.txt").write_text(GOOD_TEXT)
    try:
        items = list(iter_inputs([tmp_path]))
    finally:  # shutil.rmtree (pytest's clean-up) recurses once per level
        subprocess.run(["rm", "-rf", "--", str(tmp_path / "d")], check=True)
    assert [Path(i.path).name for i in items] == ["bottom.txt"]
    assert isinstance(items[0], Article)


def test_symlinks_out_of_the_input_folder_are_reported_not_followed(tmp_path: Path) -> None:
    inp, outside = tmp_path / "in", tmp_path / "outside"
    write(outside / "secret.txt", "Secret SECRETMARKER\n\nReuters reported SECRETMARKER.\n")
    (outside / "secret.txt").chmod(0o600)
    write(inp / "good.txt", GOOD_TEXT)
    (inp / "inner").mkdir()
    os.symlink(outside / "secret.txt", inp / "link-to-secret.txt")
    os.symlink(outside, inp / "link-to-outside")
    os.symlink(inp / "good.txt", inp / "inner" / "link-inside.txt")  # inside: followed
    items = list(iter_inputs([inp]))
    reasons = {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}
    expected = ("symlink pointing outside the input folders; not followed "
                "(--follow-symlinks reads it)")
    assert reasons == {"link-to-outside": expected, "link-to-secret.txt": expected}
    read = [i for i in items if isinstance(i, Article)]
    assert sorted(Path(i.path).name for i in read) == ["good.txt", "link-inside.txt"]
    assert not any("SECRETMARKER" in i.text for i in read)
    followed = [i for i in iter_inputs([inp], follow_symlinks=True) if isinstance(i, Article)]
    assert sum("SECRETMARKER" in i.text for i in followed) == 2  # by the file and the folder


def test_kg_output_folders_and_excluded_folders_are_not_read(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", GOOD_TEXT)
    write(tmp_path / "out" / ".kg.lock", "")  # an earlier build's OUT inside the input
    write(tmp_path / "out" / "report.json", '{"articles": 1}')
    write(tmp_path / "cache" / "page.html", "<html><body><p>" + GOOD_TEXT + "</p></body></html>")
    items = list(iter_inputs([tmp_path], exclude=[tmp_path / "cache"]))
    assert [Path(i.path).name for i in items] == ["good.txt"]


def test_articles_over_the_character_and_link_budgets_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "long.txt", GOOD_TEXT + "More words here. " * 100)
    links = " ".join(f'<a href="https://s{i}.example/">source {i}</a>' for i in range(30))
    write(tmp_path / "links.html", "<html><body><article><h1>Links</h1><p>Officials said the "
          f"reports came from {links} and more sources in the region.</p></article></body>"
          "</html>")
    items = list(iter_inputs([tmp_path], max_chars=1000, max_links=20))
    reasons = {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}
    assert reasons["long.txt"].endswith("characters of text, more than the 1,000 limit; raise "
                                        "it with --max-chars")
    assert reasons["links.html"] == ("30 links in the text, more than the 20 limit; raise it "
                                     "with --max-links")
    assert all(isinstance(i, Article) for i in iter_inputs([tmp_path]))


def test_a_warc_header_line_over_its_budget_ends_the_file_with_a_reason(tmp_path: Path) -> None:
    good = make_warc(tmp_path / "a.warc", [
        ("https://a.example/", "text/html", 200,
         b"<html><body><article><h1>Port record</h1><p>" + GOOD_TEXT.encode() * 3
         + b"</p></article></body></html>")], gz=False)
    data = good.read_bytes() + (b"WARC/1.0\r\nWARC-Type: response\r\nX-Padding: "
                                + b"a" * 200_000 + b"\r\n\r\n")
    good.write_bytes(data)
    items = list(iter_inputs([good]))
    assert isinstance(items[0], Article)
    assert items[-1] == Skipped(str(good), "a header line longer than 64 KiB in WARC record 3: "
                                           "not read further")


PORT_BODY = ("<p>Reuters reported that the port handled a record tonnage in May, according to a "
             "statement from the port authority.</p>") * 3


def _page(head: str = "", before: str = "", prefix: str = "") -> bytes:
    return (f"{prefix}<html><head>{head}<title>Port record</title></head><body><article>"
            f"<h1>Port record</h1>{before}{PORT_BODY}</article></body></html>").encode()


def test_a_date_is_read_as_the_page_states_it_never_invented(tmp_path: Path) -> None:
    future = _page('<meta property="article:published_time" content="2099-05-17T10:00:00Z">')
    month = _page(before="<p>Published October 2026</p>")
    write(tmp_path / "future.html", future)
    write(tmp_path / "month.html", month)
    dates = {Path(i.path).name: getattr(i, "published", "?") for i in iter_inputs([tmp_path])}
    # a date after the day of the build is kept (no clock); a month alone gives no day
    assert dates == {"future.html": "2099-05-17", "month.html": None}


def test_pages_with_unknown_charset_labels_are_read(tmp_path: Path) -> None:
    write(tmp_path / "meta.html", _page('<meta charset="x-no-such-charset">'))
    write(tmp_path / "xml.html", _page(prefix='<?xml version="1.0" encoding="x-unknown"?>'))
    write(tmp_path / "http-equiv.html", _page(
        '<meta http-equiv="Content-Type" content="text/html; charset=bogus">'))
    make_warc(tmp_path / "a.warc.gz", [("https://a.example/", "text/html; charset=x-foo", 200,
                                        _page())])
    items = list(iter_inputs([tmp_path]))
    assert len(items) == 4 and all(isinstance(i, Article) for i in items), items
    assert all("Reuters reported" in i.text for i in items if isinstance(i, Article))


def test_bidi_controls_cannot_hide_a_name(tmp_path: Path) -> None:
    from kg.registry import load_registry
    from kg.resolve import outlet_of

    record = {"title": "Talks\u202e resume", "outlet": "Reu\u200eters",
              "text": "R\u2067euters\u2069 reported that the talks resumed on Monday in Geneva, "
                      "according to a statement."}
    write(tmp_path / "a.json", json.dumps(record))
    (item,) = iter_inputs([tmp_path / "a.json"])
    assert isinstance(item, Article)
    assert item.site == "Reuters" and item.title == "Talks resume"
    assert item.text.startswith("Reuters reported")
    assert outlet_of(item, load_registry())[0] == "outlet:reuters"


def test_link_offsets_follow_the_removed_bidi_controls() -> None:
    from kg.ingest import _without_bidi

    text = "The \u200fport\u200f authority said, according to Reu\u200eters, that it grew."
    start = text.index("Reu")
    article = Article("a.html", text, links=(Link("https://r.example/", "Reu\u200eters", start,
                                                  start + len("Reu\u200eters")),))
    clean = _without_bidi(article)
    (link,) = clean.links
    assert clean.text == "The port authority said, according to Reuters, that it grew."
    assert link.start is not None and link.end is not None
    assert clean.text[link.start:link.end] == link.text == "Reuters"


def test_a_jsonl_file_of_many_bad_lines_lists_the_first_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    good = json.dumps({"title": "Talks resume", "text": "Reuters reported that the talks "
                       "resumed on Monday in Geneva, according to a statement."})
    write(tmp_path / "a.jsonl", "x\n" * 5000 + "{broken\n" + good + "\n" + "[1]\n" * 3)
    items = list(iter_inputs([tmp_path / "a.jsonl"]))
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [i.path for i in skipped[:2]] == [f"{tmp_path}/a.jsonl:1", f"{tmp_path}/a.jsonl:2"]
    assert len(skipped) == 102 and sum(isinstance(i, Article) for i in items) == 1
    assert {i.reason for i in skipped[100:]} == {
        "1 more unreadable lines: invalid JSON (Expecting property name enclosed in double "
        "quotes)",
        "4,903 more unreadable lines: not a JSON object",
    }


def test_not_text_class_is_the_unicode_categories_it_names() -> None:
    """`_looks_binary` counts with one regex; it must count exactly the control (but for
    whitespace), surrogate and private-use characters and U+FFFD, for every code point."""
    import sys
    import unicodedata

    from kg.ingest import _NOT_TEXT

    wrong = [
        hex(cp) for cp in range(sys.maxunicode + 1)
        if bool(_NOT_TEXT.fullmatch(chr(cp))) != (
            chr(cp) == "\ufffd"
            or (unicodedata.category(chr(cp)) in ("Cc", "Cs", "Co") and chr(cp) not in "\t\n\r\f\v")
        )
    ]
    assert wrong == []
