"""Property tests: whatever a file holds, ingest yields only Article/Skipped, never raises."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import iter_inputs
from kg.models import Article, Skipped

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SUFFIXES = [".txt", ".html", ".htm", ".json", ".jsonl", ".warc", ".warc.gz", ".txt.gz", ".jsonl.gz"]


def check(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(iter_inputs([path], max_bytes=200_000))
        assert items, "every input yields at least one record"
        for item in items:
            assert isinstance(item, Article | Skipped)
            if isinstance(item, Skipped):
                assert item.reason and "\n" not in item.reason and "\r" not in item.reason
            else:
                assert isinstance(item.text, str) and item.text.strip()
                for link in item.links:
                    if link.start is not None and link.end is not None:
                        assert item.text[link.start : link.end] == link.text


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes(data: bytes, suffix: str) -> None:
    check(data, suffix)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".jsonl"]))
def test_arbitrary_bytes_gzipped(data: bytes, suffix: str) -> None:
    check(gzip.compress(data), suffix + ".gz")


@FUZZ
@given(text=st.text(max_size=1500), suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl"]))
def test_arbitrary_text(text: str, suffix: str) -> None:
    check(text.encode("utf-8", "surrogatepass"), suffix)


TEMPLATE = {"Write your comment 3", "Follow example.org social media accounts", "Read more"}
LINES = st.lists(
    st.sampled_from(
        [
            "26 May 2024, Sunday, 23:37",
            "the website",
            "Write your comment 3",
            "Follow example.org social media accounts",
            "A Headline Without A Period",
            "A sentence of the body that ends with a period, officials said.",
            "",
            "   ",
            "© 2024 Example",
            "Read more",
        ]
    ),
    max_size=25,
)


@FUZZ
@given(lines=LINES, newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_dump_like_text(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dump.txt"
        path.write_bytes(text.encode("utf-8"))
        for item in iter_inputs([path]):
            assert isinstance(item, Article | Skipped)
            if isinstance(item, Article):
                # the text is always a verbatim slice of the file, so offsets stay meaningful
                assert item.text in text
                if item.text != text:  # a dump: its body neither starts nor ends with template
                    body_lines = [line for line in item.text.splitlines() if line.strip()]
                    for edge in (body_lines[0], body_lines[-1]):
                        assert edge not in TEMPLATE


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "body", "title", "url", "date", "outlet", "site", "x"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@FUZZ
@given(value=JSON_VALUES, as_lines=st.booleans())
def test_json_shapes(value: object, as_lines: bool) -> None:
    if as_lines:
        values = value if isinstance(value, list) else [value]
        check("\n".join(json.dumps(v) for v in values).encode(), ".jsonl")
    else:
        check(json.dumps(value).encode(), ".json")


@FUZZ
@given(
    tags=st.lists(st.sampled_from(["div", "p", "a", "span", "article", "table", "b"]), max_size=40),
    words=st.text(max_size=200),
    href=st.sampled_from(
        ["/x", "#top", "javascript:void(0)", "mailto:a@b", "http://a.example/", ""]
    ),
)
def test_html_soup(tags: list[str], words: str, href: str) -> None:
    opening = "".join(f'<{t} href="{href}">' if t == "a" else f"<{t}>" for t in tags)
    closing = "".join(f"</{t}>" for t in reversed(tags))
    html = f"<html><head><title>T</title></head><body>{opening}{words}{closing}</body></html>"
    check(html.encode("utf-8", "surrogatepass"), ".html")
