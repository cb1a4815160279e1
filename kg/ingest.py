"""Ingest: turn input paths into `Article` records (and `Skipped` records for what cannot be read).

One reader per format (`read_txt`, `read_html`, `read_json`, `read_jsonl`, `read_warc`), each a
generator over the records of one file. `iter_inputs` walks the paths, bounds what it reads and
turns every failure into a `Skipped`: one bad file or record never stops a run.

Paths: `Article.path` is the path as given or walked; a record inside a container is named
`"file.jsonl:LINE"` (1-based line), `"file.json:INDEX"` (0-based array index) or
`"file.warc.gz#URI"`.

`site`: for a text dump it is the outlet named by the dump's signature, lowercased when it is a
domain ("Follow Charter97.org social media accounts" gives `"charter97.org"`); for HTML it is
trafilatura's site name (og:site_name and friends); for JSON it is the `outlet` field's value
(or its `name`).
"""

from __future__ import annotations

import codecs
import copy
import dataclasses
import errno
import json
import logging
import os
import re
import stat
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from kg.errors import ConfigError, InputError
from kg.language import language_of
from kg.models import Article, Link, Skipped
from kg.publisher import page_meta, site_name, wire_of

__all__ = [
    "SUPPORTED_SUFFIXES",
    "InputFile",
    "UrlMap",
    "count_files",
    "iter_files",
    "iter_inputs",
    "load_url_map",
    "normalise_date",
    "read_html",
    "read_input_file",
    "read_json",
    "read_jsonl",
    "read_txt",
    "read_warc",
]

logger = logging.getLogger(__name__)

# Suffixes read; a ".gz" of any of these is read too (".warc.gz" is native to WARC).
SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt",
    ".html",
    ".htm",
    ".json",
    ".jsonl",
    ".warc",
    ".warc.gz",
)
_KIND_BY_SUFFIX = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".warc": "warc",
}
_EXPECTED = ".txt, .html, .htm, .json, .jsonl, .warc, .warc.gz, or .gz of these"

_CHUNK = 1 << 20

# Budgets per input (`kg build --max-mb`, `--max-chars`, `--max-links`): an input over one is
# skipped with the reason, so that no single file can take the memory or time of the build.
MAX_BYTES = 50_000_000  # bytes per file, and per decompressed file or WARC record
MAX_CHARS = 1_000_000  # characters of article text (a long feature is ~100,000)
MAX_LINKS = 2_000  # links in an article's text (a news article has tens)
# A WARC or HTTP header line longer than this, or a record's header block longer than
# MAX_HEADER_BLOCK, ends the file (warcio reads header lines whole, however long).
MAX_HEADER_LINE = 65_536
MAX_HEADER_BLOCK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    """A file to read, as listed by `iter_files` (its `stat` taken when it was listed)."""

    path: str
    stat: os.stat_result


@dataclass(frozen=True)
class Limits:
    """The budgets of one build (see MAX_BYTES and the others)."""

    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_CHARS
    max_links: int = MAX_LINKS


# --- small helpers ------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Reasons end up on one line of a report or a terminal: escape line breaks."""
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\x00", "\\x00")


def _skip(path: str, reason: str) -> Skipped:
    reason = _one_line(reason)
    logger.info("skipped %r: %s", path, reason)
    return Skipped(path, reason)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else ""


def _limit_text(max_bytes: int) -> str:
    if max_bytes >= 1_000_000 and max_bytes % 1_000_000 == 0:
        return f"{max_bytes // 1_000_000} MB"
    if max_bytes >= 1_000_000:
        return f"{max_bytes / 1_000_000:.1f} MB"
    return f"{max_bytes} byte"


def _too_large(max_bytes: int) -> str:
    return f"larger than the {_limit_text(max_bytes)} limit; raise it with --max-mb"


def _too_large_decompressed(max_bytes: int) -> str:
    return f"decompressed size exceeds the {_limit_text(max_bytes)} limit; raise it with --max-mb"


def _os_reason(err: OSError) -> str:
    """Name an OS error in words users know, without the path (the Skipped carries it)."""
    if err.errno == errno.ENOENT:
        return "no such file or directory"
    if err.errno == errno.ELOOP:
        return "symlink loop"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.EISDIR:
        return "is a directory"
    return err.strerror or type(err).__name__


def _kind_of(name: str) -> tuple[str | None, bool]:
    """The format a file name asks for, and whether it is gzip-compressed."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for suffix, kind in _KIND_BY_SUFFIX.items():
        if lower.endswith(suffix):
            return kind, gz
    return None, gz


def _suffix_for_message(name: str) -> str:
    suffixes = Path(name).suffixes
    if not suffixes:
        return ""
    return suffixes[-1] if suffixes[-1].lower() != ".gz" else "".join(suffixes[-2:])


# --- dates --------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu", "thurs",
    "friday", "fri", "saturday", "sat", "sunday", "sun",
}  # fmt: skip
# Words that may surround a date on a dateline without making it something else.
_DATE_FILLER = {
    "at", "on", "updated", "published", "posted", "last", "modified", "date", "am", "pm",
}  # fmt: skip

_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mn>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<mn>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})"),
)
_TIME = re.compile(
    r"(?<![\d:])(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?(?![\d:])",
    re.IGNORECASE,
)
_TZ = re.compile(r"(?:\b(?P<utc>UTC|GMT)\b\s*)?(?P<off>[+-]\d{2}:?\d{2})?", re.IGNORECASE)


def _iso(day: date, clock: tuple[int, int, int] | None, tz: timezone | None) -> str:
    if clock is None:
        return day.isoformat()
    stamp = datetime(day.year, day.month, day.day, *clock, tzinfo=tz)
    return stamp.isoformat()


def _parse_offset(text: str) -> timezone | None:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _human_date(text: str) -> str | None:
    """Parse a line that is nothing but a date (and maybe a weekday, time and zone), else None.

    Strict on purpose: it decides whether a dump's first line is a dateline, so a sentence that
    merely contains a date must not pass.
    """
    if len(text) > 80:
        return None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("mn") is not None:
                month = _MONTHS.get(groups["mn"].lower())
                if month is None:
                    continue
            else:
                month = int(groups["m"])
            try:
                day = date(int(groups["y"]), month, int(groups["d"]))
            except ValueError:
                continue
            rest = text[: match.start()] + " " + text[match.end() :]
            clock: tuple[int, int, int] | None = None
            tz: timezone | None = None
            time_match = _TIME.search(rest)
            if time_match:
                hour, minute = int(time_match["H"]), int(time_match["M"])
                second = int(time_match["S"] or 0)
                ampm = (time_match["ampm"] or "").lower().replace(".", "")
                if ampm == "pm" and hour < 12:
                    hour += 12
                elif ampm == "am" and hour == 12:
                    hour = 0
                if hour > 23 or minute > 59 or second > 59:
                    return None
                clock = (hour, minute, second)
                after = rest[time_match.end() :]
                rest = rest[: time_match.start()] + " "
                zone = _TZ.match(after.lstrip())
                if zone and (zone["utc"] or zone["off"]):
                    tz = _parse_offset(zone["off"]) if zone["off"] else UTC
                    after = after.lstrip()[zone.end() :]
                rest += after
            words = re.findall(r"[^\W_]+", rest)
            if all(w.lower() in _WEEKDAYS or w.lower() in _DATE_FILLER for w in words):
                leftover = re.sub(r"[\s,|·•/()\-–—:]+", "", rest)
                if all(ch.isalpha() for ch in leftover):
                    return _iso(day, clock, tz)
            return None
    return None


def normalise_date(value: str | None) -> str | None:
    """ISO 8601 (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[+HH:MM]`) for a date string, else None."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}", text):
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return stamp.replace(microsecond=0).isoformat()
    if re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        try:
            stamp = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
        else:
            return stamp.replace(microsecond=0).isoformat()
    return _human_date(text)


# --- decoding -----------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


# Single-byte codepages of news text, most common first (charset-normalizer's names).
_LEGACY_CODECS = (
    "cp1252", "cp1251", "koi8_r", "cp1250", "iso8859_15", "cp1253", "cp1254", "cp1257",
    "koi8_u", "iso8859_5", "cp866", "mac_cyrillic", "iso8859_7", "iso8859_2",
)  # fmt: skip


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def _looks_binary(text: str) -> bool:
    """Mostly control characters or replacement marks: not text, whatever the codec said."""
    if not text:
        return False
    sample = text[:20000]
    return len(_NOT_TEXT.findall(sample)) > max(2, len(sample) // 20)


# The characters `_looks_binary` counts, as one regex (counted in C, not one Python call per
# character): control characters (Unicode category Cc) but the whitespace ones, surrogates (Cs),
# private-use characters (Co), and U+FFFD, the mark a decoder leaves for bytes it could not
# read. `test_ingest` checks the class against `unicodedata` for every code point.
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


# Complexity over the limit, kept: the decoding ladder (BOM, declared, UTF-8, detector).
def _decode(data: bytes, declared: str | None = None) -> str:  # noqa: C901
    """Bytes to text: BOM, then a declared charset, then strict UTF-8, then charset-normalizer.

    Raises InputError("", reason) for binary or undecodable data; the caller names the path.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputError("", f"invalid {codec} after its byte-order mark") from None
    if b"\x00" in data:
        raise InputError("", "binary file (NUL bytes)")
    declared_codec = _known_codec(declared)
    if declared_codec in ("latin_1", "ascii", "iso8859-1"):
        declared_codec = "cp1252"  # as browsers do (WHATWG Encoding): the labels mean windows-1252
    if declared_codec is not None and not (
        # Pages labelled with a legacy charset but written in UTF-8 are common; text in a
        # single-byte charset that happens to be valid UTF-8 with non-ASCII bytes is not.
        declared_codec != "utf-8" and not data.isascii() and _is_utf8(data)
    ):
        try:
            text = data.decode(declared_codec)
        except UnicodeDecodeError:
            logger.debug("declared charset %s does not fit, guessing", declared_codec)
        else:
            if not _looks_binary(text):
                return text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(text):
            raise InputError("", "binary file (mostly non-text bytes)")
        return text
    import charset_normalizer  # imported late: only legacy-encoded inputs need it

    candidates = None
    high = sum(1 for byte in data if byte > 127)
    if high * 10 < len(data):
        # Mostly-ASCII text with a few accented or Cyrillic words: charset-normalizer may call
        # it Shift-JIS or Central European; the single-byte codepages news text uses are
        # likelier, tried in order of how common they are, lowest "chaos" first.
        candidates = charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY_CODECS))
    if not candidates:
        candidates = charset_normalizer.from_bytes(data)
    if not candidates:
        raise InputError("", "not valid UTF-8 and no known encoding fits")
    best = min(
        candidates,
        key=lambda match: (
            round(match.chaos, 3),
            -round(match.coherence, 3),
            _LEGACY_CODECS.index(match.encoding)
            if match.encoding in _LEGACY_CODECS
            else len(_LEGACY_CODECS),
        ),
    )
    text = str(best)
    if _looks_binary(text):
        raise InputError("", "binary file (mostly non-text bytes)")
    return text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _html_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


# --- reading bytes with bounds ------------------------------------------------------------------


def _read_plain(path: str, max_bytes: int) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # the file grew after stat, or stat lied (procfs and the like)
        raise InputError(path, _too_large(max_bytes))
    return data


def _read_gzip(path: str, max_bytes: int | None) -> tuple[bytes, str | None]:
    """Decompress a .gz (one or more members) in chunks, never holding more than max_bytes.

    Returns the data and, when the stream broke off, the reason; the caller decides whether the
    data read so far is worth keeping (JSON Lines) or not (everything else). zlib is used
    directly rather than the gzip module so that a cut-off stream still gives up what it holds.
    With `max_bytes=None` nothing is kept: the stream is only checked to its end.
    """
    parts: list[bytes] = []
    total = 0
    members = 0
    bound = -1 if max_bytes is None else max_bytes + 1
    with open(path, "rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            return b"", "not a gzip file"
        handle.seek(0)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        started = False
        while True:
            data = handle.read(_CHUNK)
            if not data:
                break
            while data:
                try:
                    out = inflater.decompress(data, _CHUNK if bound < 0 else bound - total)
                except zlib.error as err:
                    if members and not started:
                        # padding or junk after a complete stream: gzip(1) warns and moves on
                        logger.debug("ignoring trailing bytes after gzip data in %r", path)
                        return b"".join(parts), None
                    return b"".join(parts), f"corrupt gzip stream ({err})"
                started = True
                if max_bytes is not None:
                    total += len(out)
                    if total > max_bytes:
                        raise InputError(path, _too_large_decompressed(max_bytes))
                    parts.append(out)
                if inflater.eof:
                    members += 1
                    data = inflater.unused_data
                    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    started = False
                else:
                    data = inflater.unconsumed_tail
        if started:
            if max_bytes is not None:
                parts.append(inflater.flush())
            return b"".join(parts), "truncated gzip stream"
    return b"".join(parts), None


def _load(path: str, gz: bool, max_bytes: int) -> bytes:
    if not gz:
        return _read_plain(path, max_bytes)
    data, problem = _read_gzip(path, max_bytes)
    if problem is not None:
        raise InputError(path, problem)
    return data


# --- .txt ---------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*$""")
_PERIOD_END = re.compile(r"""[.…]["'”’»)\]]*$""")
_DOMAIN = re.compile(
    r"(?<![\w@.-])((?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(r"[A-Z][\w&'.-]*(?: [A-Z0-9][\w&'.-]*){0,3}")
_NOT_A_NAME = {"home", "menu", "news", "search", "login", "log in", "sign in", "breaking news"}
# Lines that site templates put around an article. Matched on whole short lines only.
_BOILERPLATE = re.compile(
    r"""
    ^(?:write|leave|add|post|view|show|read|see|load)\b.{0,25}\bcomments?\b
  | ^comments?\s*(?:[(\[:]\s*\d+\s*[)\]]?|\d+)?$
  | ^\d+\s+comments?$
  | ^(?:follow|share|subscribe|like|join)\b.{0,60}
      \b(?:us|on|to|this|article|story|post|page|channel|newsletter|feed|accounts?|social|media
         |facebook|twitter|telegram|instagram|youtube|tiktok|whatsapp|linkedin|vk)\b
  | \bsocial\s+(?:media|networks?)\b
  | \ball\s+rights\s+reserved\b
  | ^(?:©|\(c\)|copyright\b)
  | ^read\s+(?:more|also|next|the\s+full)\b
  | ^(?:related|more)\s+(?:articles?|stories|news|posts?|on\s+this)\b
  | ^(?:tags?|topics?)\s*:
  | ^(?:sign\s+up|log\s+in|sign\s+in|register)\b
  | ^(?:advertisement|advertising|sponsored(?:\s+content)?)$
  | ^(?:back\s+to\s+top|print|e-?mail|tweet|share)$
    """,
    re.IGNORECASE | re.VERBOSE,
)


_COPYRIGHT = re.compile(r"\ball\s+rights\s+reserved\b|^(?:©|\(c\)|copyright\b)", re.IGNORECASE)


def _is_boilerplate(line: str) -> bool:
    """A template line (comment counter, follow/share prompt, copyright), never prose."""
    words = len(line.split())
    if len(line) >= 150 or words > 15:
        return False
    if _COPYRIGHT.search(line):
        return True
    # "He posted it on social media." is a sentence of the story, not a template line
    if _PERIOD_END.search(line) and words > 4:
        return False
    return bool(_BOILERPLATE.search(line))


def _is_body_like(line: str) -> bool:
    """A paragraph of prose rather than a heading, a site name or a button label."""
    words = len(line.split())
    if len(line) >= 200:
        return True
    if _PERIOD_END.search(line) and words >= 4:
        return True
    if _SENTENCE_END.search(line) and words >= 15:
        return True
    return bool(re.search(r"[.!?][\"'”’]?\s+[A-Z\"“]", line)) and words >= 8


def _is_short_label(line: str) -> bool:
    return len(line) < 100 and len(line.split()) <= 8 and not _SENTENCE_END.search(line)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-blank lines as (start, end, stripped text); start/end index the line's own text."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            out.append((pos + lead, pos + len(body.rstrip()), stripped))
        pos += len(raw)
    return out


def _blocks(lines: list[tuple[int, int, str]], text: str) -> list[list[int]]:
    """Group line indices into paragraphs (runs of lines not separated by a blank line)."""
    blocks: list[list[int]] = []
    for index, (start, _end, _stripped) in enumerate(lines):
        gap = text[lines[index - 1][1] : start] if index else ""
        breaks = gap.replace("\r\n", "\n").replace("\r", "\n").count("\n")
        if not blocks or breaks >= 2:
            blocks.append([index])
        else:
            blocks[-1].append(index)
    return blocks


def _domain_in(line: str) -> str | None:
    for match in _DOMAIN.finditer(line):
        domain = match.group(1).lower()
        if domain.startswith("www."):
            domain = domain[4:]
        # a file name ("photo.jpg") or an abbreviation is not a site
        if domain.rsplit(".", 1)[1] in {"jpg", "jpeg", "png", "gif", "pdf", "html", "htm", "php"}:
            continue
        return domain
    return None


def _plain_title(text: str) -> str | None:
    """The first line of a plain article, when it reads as a heading followed by a blank line."""
    match = re.match(r"([^\r\n]*)(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)", text)
    if not match:
        return None
    first = match.group(1).strip()
    # a headline may trail off ("Rivals of the Apple..."); that is not a sentence's end
    if not first or len(first) >= 200 or _PERIOD_END.search(re.sub(r"(?:\.\.\.|…)$", "", first)):
        return None
    return first


# Complexity over the limit, kept: one branch per template line a dump carries.
def _parse_dump(text: str) -> tuple[str, str | None, str | None, str | None] | None:  # noqa: C901
    """Split a site dump into (body, title, published, site); None when it is not a dump.

    A dump is recognised by any of: a dateline first, a title line that repeats, or trailing
    lines that site templates add (comment counters, follow/share prompts, copyright). The body
    runs from the first prose paragraph to the last one, sliced out of `text` unchanged.
    """
    lines = _lines(text)
    if not lines:
        return None
    published = _human_date(lines[0][2])
    first = 1 if published else 0

    # Header: everything before the first prose paragraph, or up to a repeated title.
    body_start: int | None = None
    title: str | None = None
    title_at: int | None = None
    for index in range(first, min(len(lines), first + 30)):
        current = lines[index][2]
        if index + 1 < len(lines) and lines[index + 1][2] == current and not _is_body_like(current):
            title, title_at, body_start = current, index, index + 2
            break
        if _is_body_like(current):
            body_start = index
            break
    if body_start is None or body_start >= len(lines):
        return None
    repeated = title is not None
    if repeated:
        # labels between the repeated title and the story (bylines, counters) are not body
        while body_start < len(lines) and not _is_body_like(lines[body_start][2]):
            if not (_is_boilerplate(lines[body_start][2]) or _is_short_label(lines[body_start][2])):
                break
            body_start += 1
        if body_start >= len(lines):
            raise InputError("", "no article text found (only a title and site boilerplate)")

    # Trailer: walk back over template lines; keep the walk only if it met a known one.
    body_end = len(lines) - 1
    trailer_seen = False
    index = len(lines) - 1
    while index >= body_start:
        line = lines[index][2]
        if _is_boilerplate(line):
            trailer_seen = True
        elif not _is_short_label(line):
            break
        index -= 1
    if trailer_seen:
        body_end = index
        if body_end < body_start:
            raise InputError("", "no article text found (only a dateline and site boilerplate)")

    if not (published or repeated or trailer_seen):
        return None

    header = list(range(first, title_at if title_at is not None else body_start))
    if title is None and header:
        title = _header_title(lines, text, header, dated=published is not None)
    lead_lines = [lines[i][2] for i in header if lines[i][2] != title]
    trailer_lines = [lines[i][2] for i in range(body_end + 1, len(lines))]
    site = _dump_site(lead_lines, trailer_lines)
    body = text[lines[body_start][0] : lines[body_end][1]]
    if title is not None and _is_boilerplate(title):
        title = None
    return body, title, published, site


def _header_title(
    lines: list[tuple[int, int, str]], text: str, header: list[int], *, dated: bool
) -> str | None:
    """The headline among header lines when it is not repeated: the last paragraph of the header.

    The dateline's paragraph holds site labels ("the website", "Sim Sim,"), so a heading is only
    taken from it when it is the one line after the date and reads like a headline.
    """
    blocks = _blocks([lines[i] for i in header], text)
    last = [header[i] for i in blocks[-1]]
    candidate = lines[last[-1]][2]
    if _is_boilerplate(candidate):
        return None
    if len(blocks) > 1 or not dated:
        return candidate if len(last) == 1 else None
    return candidate if len(last) == 1 and len(candidate.split()) >= 4 else None


def _dump_site(lead: list[str], trailer: list[str]) -> str | None:
    """The outlet a dump names: a domain in its template lines, else a lone site-name line."""
    for line in trailer:
        if _is_boilerplate(line):
            domain = _domain_in(line)
            if domain:
                return domain
    for line in lead + trailer:
        domain = _domain_in(line)
        if domain:
            return domain
    for line in lead:
        if _NAME_LINE.fullmatch(line) and line.lower() not in _NOT_A_NAME:
            return line
    return None


_MARKUP_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?>")
_DOC_START = re.compile(r"^\s*<DOC(?:\s[^>]*)?>\s*$", re.IGNORECASE | re.MULTILINE)


def _not_one_article(text: str) -> str | None:
    """Why a .txt file is not one plain article (markup, many documents), or None."""
    docs = len(_DOC_START.findall(text))
    if docs >= 2:
        return (
            f"holds {docs} documents (<DOC> ... </DOC>, an SGML collection), not one article: "
            "split it into one file per document"
        )
    sample = text[:200_000]
    tags = _MARKUP_TAG.findall(sample)
    if len(tags) >= 20 and sum(len(t) for t in tags) > len(sample) * 0.05:
        return "markup in a .txt file (HTML, XML or SGML tags): save it as .html to read it"
    return None


def read_txt(path: str, data: bytes) -> Iterator[Article | Skipped]:
    """A plain article (text unchanged, maybe a title line) or a site dump (body only)."""
    try:
        text = _decode(data)
    except InputError as err:
        yield _skip(path, err.reason)
        return
    if not text.strip():
        yield _skip(path, "no text (only whitespace)")
        return
    problem = _not_one_article(text)
    if problem is not None:
        yield _skip(path, problem)
        return
    try:
        dump = _parse_dump(text)
    except InputError as err:
        yield _skip(path, err.reason)
        return
    if dump is None:
        yield Article(path=path, text=text, title=_plain_title(text), format="txt")
        return
    body, title, published, site = dump
    yield Article(path=path, text=body, title=title, published=published, site=site, format="txt")


# --- .html --------------------------------------------------------------------------------------


def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # The timeout uses SIGALRM in trafilatura's CLI only, but keep it off: we may not be on the
    # main thread. The size cap is ours (--max-mb), not trafilatura's 20 MB default.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "MAX_FILE_SIZE", str(2**62))
    return config


_CONFIG: Any = None
# htmldate's defaults read the clock (a date after today is dropped, so the same page got a date
# or not depending on the day of the build) and search the text for partial dates, which they
# complete ("Published October 2026" became 2026-01-01). A date the page does not state in full
# is absent, never invented, and no output depends on the day it was built.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "9999-12-31"}


def _clean_url(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL for a link, or None for script, mail and in-page links."""
    if not href:
        return None
    href = href.strip()
    lower = href.lower()
    if not href or href.startswith("#") or lower.startswith(("javascript:", "mailto:")):
        return None
    if base:
        try:
            href = urljoin(base, href)
        except ValueError:
            return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # trafilatura has already made "#top" absolute against the site root or the page itself
    if parts.fragment and (
        parts.path in ("", "/") or (base is not None and href.split("#")[0] == base.split("#")[0])
    ):
        return None
    return href


def _locate_links(text: str, anchors: Iterable[tuple[str, str]]) -> tuple[Link, ...]:
    """Place each anchor text in `text`, searching forward so repeats map to later occurrences."""
    links: list[Link] = []
    cursor = 0
    for url, anchor in anchors:
        label = " ".join(anchor.split())
        start: int | None = None
        end: int | None = None
        if label:
            found = text.find(label, cursor)
            if found < 0:
                # whitespace may differ between the tree and the serialised text
                pattern = r"\s+".join(re.escape(word) for word in label.split())
                match = re.compile(pattern).search(text, cursor)
                if match:
                    start, end = match.start(), match.end()
            else:
                start, end = found, found + len(label)
            if start is not None and end is not None:
                cursor = end
                label = text[start:end]  # the anchor as it reads in the text (nbsp and all)
        links.append(Link(url=url, text=label, start=start, end=end))
    return tuple(links)


# Page furniture that trafilatura lets through, line by line: newsletter and sign-up widgets,
# share and comment prompts (`_is_boilerplate`), bare timestamps from metadata blocks.
_WIDGET = re.compile(
    r"""
    \b(?:thanks?\s+(?:you\s+)?for\s+(?:signing\s+up|subscribing)|keep\s+an\s+eye\s+on\s+your\s+inbox
      |error\s+processing\s+your\s+subscription|(?:sign|signing)\s+up\s+for\s+(?:our|the)\b
      |newsletter|subscribe\s+(?:now|today|to\s+our)|get\s+the\s+day'?s\s+(?:big\s+)?stories
      |already\s+a\s+subscriber|click\s+here\s+to|download\s+(?:our|the)\s+app
      |you\s+(?:might|may)\s+also\s+like|recommended\s+for\s+you|^trending\s+now$
      |^most\s+(?:popular|read|viewed)$|^sorry!?$)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_STAMP = re.compile(r"^\d{4}-\d\d-\d\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
# A piece of a sentence cut at an inline element ("... if you sign up for the"): not a widget.
_FRAGMENT_END = re.compile(
    r"(?:,|\b(?:the|a|an|of|for|to|and|or|in|on|with|by|at|from|that|this|your|our))$",
    re.IGNORECASE,
)


def strip_furniture(text: str, title: str = "") -> str:
    """Drop the lines of page furniture from an extracted article text: sign-up and
    newsletter widgets, share and comment prompts, bare timestamps, and copies of the
    headline (kept apart, in `Article.title`). A line longer than 15 words, a question and
    a piece of a sentence cut at a link are never dropped; a short sentence only for a
    widget's own words ("Keep an eye on your inbox.")."""
    title_key = " ".join(title.split()).casefold()
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = " ".join(line.split())
        if not stripped:
            kept.append(line)
            continue
        words = len(stripped.split())
        prose = words > 15 or (words >= 4 and bool(_PERIOD_END.search(stripped)))
        if title_key and stripped.casefold() == title_key:
            continue  # the headline is `Article.title`; page templates repeat it
        if _STAMP.match(stripped):
            continue
        fragment = stripped[0].islower() or bool(_FRAGMENT_END.search(stripped))
        if not fragment and not stripped.endswith("?"):
            if words <= 15 and _WIDGET.search(stripped):
                continue  # a widget's own words, even as a full sentence
            if not prose and _is_boilerplate(stripped):
                continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept))


def _respace_ref(ref: Any) -> None:
    """Keep the words around a link apart. trafilatura trims a link's text and tail, so
    "<a>MacBook Pro</a> was" came out as "i9\nMacBook Prowas": a space goes back where a
    word follows the link, and a line break before a link inside a paragraph becomes a space."""
    if ref.text:
        ref.text = " ".join(ref.text.split()) or ref.text
    if ref.tail and ref.tail[0].isalnum() and (ref.text or "")[-1:].isalnum():
        ref.tail = " " + ref.tail
    previous = ref.getprevious()
    before = previous.tail if previous is not None else ref.getparent().text
    if before and before.rstrip(" \t") != before.rstrip():
        before = before.rstrip() + " "
    elif before and before[-1].isalnum() and (ref.text or " ")[0].isalnum():
        before += " "
    if previous is not None:
        previous.tail = before
    elif ref.getparent() is not None:
        ref.getparent().text = before


def _extract_html(
    path: str, html: str, *, url: str | None, fmt: str, max_links: int = MAX_LINKS
) -> Article | Skipped:
    """Main text, metadata and body links of one page, via trafilatura."""
    global _CONFIG
    import trafilatura
    from lxml import etree
    from trafilatura.xml import xmltotxt

    if _CONFIG is None:
        _CONFIG = _trafilatura_config()
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_links=True,
            include_comments=False,
            include_images=False,
            config=_CONFIG,
            date_extraction_params=_DATE_PARAMS,
        )
    except RecursionError:
        return _skip(path, "HTML nested too deeply to parse")
    except Exception as err:  # lxml and trafilatura raise many kinds on hostile markup
        return _skip(path, f"HTML could not be parsed ({type(err).__name__}: {_first_line(err)})")
    if document is None or isinstance(document, dict) or document.body is None:
        return _skip(path, "no article text found")
    # The text is rendered without links (trafilatura would inline them as Markdown); the links
    # are read from the tree and placed in that text.
    body = copy.deepcopy(document.body)
    anchors: list[tuple[str, str]] = []
    meta = page_meta(html)
    page_url = url or meta.url
    for ref in body.iter("ref"):
        target = _clean_url(ref.get("target"), page_url)
        if target:
            anchors.append((target, "".join(ref.itertext())))
        _respace_ref(ref)
    if len(anchors) > max_links:  # before placing them in the text, which takes time
        return _skip(path, _too_many_links(f"{len(anchors):,}", max_links))
    etree.strip_tags(body, "ref")
    text = strip_furniture(xmltotxt(body, False), (document.title or "").strip()).strip()
    if not text or (len(text.split()) < 4 and not _SENTENCE_END.search(text)):
        # trafilatura's fallback returns a navigation-only page's menu ("Home") as its text
        return _skip(path, "no article text found")
    title = (document.title or "").strip() or None
    page_url = url or meta.url
    host = urlsplit(page_url).hostname if page_url else None
    return Article(
        path=path,
        text=text,
        url=page_url or None,
        title=title,
        published=normalise_date(document.date),
        site=site_name(meta, host, title),
        links=_locate_links(text, anchors),
        format=fmt,
        canonical=meta.canonical,
        based_on=wire_of(text, document.author),
    )


def read_html(
    path: str, data: bytes, url: str | None = None, *, max_links: int = MAX_LINKS
) -> Iterator[Article | Skipped]:
    """A saved web page: trafilatura's main text, title, date, site name, URL and body links.

    `url` is the page's address when the caller knows it (`--url-map`); otherwise the page's
    own saved-from comment, canonical link or og:url gives it (see `kg.publisher`)."""
    try:
        html = _decode(data, _html_charset(data))
    except InputError as err:
        yield _skip(path, err.reason)
        return
    if not html.strip():
        yield _skip(path, "no text (only whitespace)")
        return
    yield _extract_html(path, html, url=url, fmt="html", max_links=max_links)


# --- .json / .jsonl -----------------------------------------------------------------------------

_FIELD_ALIASES = {
    "text": ("text", "body", "content"),
    "date": ("date", "published", "datePublished"),
    "outlet": ("outlet", "site", "source", "publisher"),
}


def _field(record: dict[str, Any], names: Sequence[str]) -> tuple[str | None, Any]:
    for name in names:
        if record.get(name) is not None:
            return name, record[name]
    return None, None


def _string_field(record: dict[str, Any], names: Sequence[str]) -> str | None:
    name, value = _field(record, names)
    if name is None:
        return None
    if not isinstance(value, str):
        raise InputError("", f"field '{name}' must be a string, not {_json_type(value)}")
    return value.strip() or None


def _json_type(value: Any) -> str:
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _record_to_article(record: Any, path: str, fmt: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(path, f"record is not a JSON object (got {_json_type(record)})")
    try:
        text_name, text = _field(record, _FIELD_ALIASES["text"])
        if text_name is None:
            raise InputError("", "missing field 'text' (or 'body', 'content')")
        if not isinstance(text, str):
            raise InputError("", f"field '{text_name}' must be a string, not {_json_type(text)}")
        if not text.strip():
            raise InputError("", f"field '{text_name}' is empty")
        url = _string_field(record, ("url",))
        title = _string_field(record, ("title",))
        raw_date = _string_field(record, _FIELD_ALIASES["date"])
        outlet_name, outlet = _field(record, _FIELD_ALIASES["outlet"])
        site: str | None = None
        if isinstance(outlet, dict):
            site = _string_field(outlet, ("name",)) or _string_field(outlet, ("url",))
        elif isinstance(outlet, str):
            site = outlet.strip() or None
        elif outlet_name is not None:
            raise InputError(
                "",
                f"field '{outlet_name}' must be a string or an object, not {_json_type(outlet)}",
            )
    except InputError as err:
        raise InputError(path, err.reason) from None
    return Article(
        path=path,
        text=text,
        url=url,
        title=title,
        published=normalise_date(raw_date),
        site=site,
        format=fmt,
    )


def _json_error(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"invalid JSON ({err.msg} at line {err.lineno} column {err.colno})"
    if isinstance(err, RecursionError):
        return "invalid JSON (nested too deeply)"
    return f"invalid JSON ({err})"


def read_json(path: str, data: bytes) -> Iterator[Article | Skipped]:
    """One article object, or an array of them (records named `path:INDEX`, 0-based)."""
    try:
        text = _decode(data)
    except InputError as err:
        yield _skip(path, err.reason)
        return
    if not text.strip():
        yield _skip(path, "no text (only whitespace)")
        return
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as err:
        yield _skip(path, _json_error(err))
        return
    if isinstance(value, list):
        if not value:
            yield _skip(path, "empty JSON array")
        for index, record in enumerate(value):
            yield _convert(record, f"{path}:{index}", "json")
    elif isinstance(value, dict):
        yield _convert(value, path, "json")
    else:
        yield _skip(path, f"expected a JSON object or array of objects, got {_json_type(value)}")


def _convert(record: Any, path: str, fmt: str) -> Article | Skipped:
    try:
        return _record_to_article(record, path, fmt)
    except InputError as err:
        return _skip(err.path, err.reason)


# A file of millions of unreadable lines (8 MB of "x\n" is 4M of them) must not cost a Skipped
# each all the way through the build (it took 204 s and, before `kg.skips`, 4.5 GB): past this
# many in one file, the others are counted by kind and reported in one line per kind at its end.
BAD_LINES_LISTED = 100


def read_jsonl(path: str, data: bytes) -> Iterator[Article | Skipped]:
    """One article object per line (records named `path:LINE`, 1-based); blank lines ignored.
    The first BAD_LINES_LISTED unreadable lines are skipped one by one, the others counted."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    # JSON Lines is UTF-8 by definition; split on \n only so a stray \r or U+2028 inside a
    # string does not cut a record in two.
    records = 0
    bad = 0
    unlisted: Counter[str] = Counter()
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        records += 1
        if bad >= BAD_LINES_LISTED and raw.lstrip()[:1] != b"{":
            # no article object can start otherwise: counted without parsing (4M lines of
            # "x" cost minutes in exceptions)
            bad += 1
            unlisted["not a JSON object"] += 1
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as err:
            bad += 1
            if bad <= BAD_LINES_LISTED:
                reason = ("not valid UTF-8" if isinstance(err, UnicodeDecodeError)
                          else _json_error(err))
                yield _skip(f"{path}:{number}", reason)
            else:
                unlisted[_json_error_kind(err)] += 1
            continue
        yield _convert(record, f"{path}:{number}", "jsonl")
    for kind, count in sorted(unlisted.items()):
        yield _skip(path, f"{count:,} more unreadable lines: {kind}")
    if not records:
        yield _skip(path, "empty file" if not data else "no records (only blank lines)")


def _json_error_kind(err: Exception) -> str:
    if isinstance(err, UnicodeDecodeError):
        return "not valid UTF-8"
    if isinstance(err, json.JSONDecodeError):
        return f"invalid JSON ({err.msg})"
    return _json_error(err)


# --- .warc / .warc.gz ---------------------------------------------------------------------------


def _drain(stream: IO[bytes]) -> None:
    while stream.read(_CHUNK):
        pass


class _HeaderTooLong(Exception):
    """A WARC or HTTP header line or block over its budget (MAX_HEADER_LINE/BLOCK)."""


class _BoundedLines:
    """warcio's decompressing reader with bounded header reading: a line is read at most
    MAX_HEADER_LINE bytes at a time, and the lines read one after the other (a header block:
    no payload `read` between them) may total MAX_HEADER_BLOCK. warcio itself reads a header
    line whole, however long (a 2 MB .warc.gz can hold a 2 GiB line)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._block = 0

    def readline(self, length: int | None = None) -> bytes:
        bound = MAX_HEADER_LINE + 1
        if length is not None and length > 0:
            bound = min(length, bound)
        # warcio's reader hands back a long line in pieces (up to its buffer's size): gather
        # them up to the bound, so a line is judged whole and parsed whole.
        pieces: list[bytes] = []
        total = 0
        while total < bound:
            piece: bytes = self._reader.readline(bound - total)
            pieces.append(piece)
            total += len(piece)
            if not piece or piece.endswith(b"\n"):
                break
        line = b"".join(pieces)
        if len(line) > MAX_HEADER_LINE:
            raise _HeaderTooLong(f"a header line longer than {MAX_HEADER_LINE // 1024} KiB")
        self._block += len(line)
        if self._block > MAX_HEADER_BLOCK:
            raise _HeaderTooLong(f"headers longer than {MAX_HEADER_BLOCK >> 20} MiB")
        return line

    def read(self, length: int | None = None) -> bytes:
        self._block = 0
        data: bytes = self._reader.read(length)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _warc_iterator(stream: IO[bytes]) -> Iterator[Any]:
    """warcio's WARC iterator, with bounded header lines (`_BoundedLines`) and its stderr
    warnings sent to our log instead."""
    from warcio.archiveiterator import WARCIterator

    class QuietWARCIterator(WARCIterator):  # type: ignore[misc]  # warcio has no types
        def __init__(self, fileobj: IO[bytes]) -> None:
            super().__init__(fileobj)
            self.reader: Any = _BoundedLines(self.reader)

        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            # Same job as warcio's: skip the blank lines between records; a non-blank first
            # line means the previous record's Content-Length was wrong (warcio prints that).
            empty_size = 0
            first_line = True
            while True:
                line = self.reader.readline()
                if not line:
                    return None, empty_size
                if not line.rstrip() or first_line:
                    empty_size += len(line)
                    if line.rstrip():
                        logger.warning("WARC record not followed by a blank line: %r", line[:80])
                        self.err_count += 1
                    first_line = False
                    continue
                return line, empty_size

    return iter(QuietWARCIterator(stream))


def read_warc(
    path: str, stream: IO[bytes], max_bytes: int, *, max_links: int = MAX_LINKS
) -> Iterator[Article | Skipped]:
    """Every `response` record with status 200 and an HTML type, extracted like a page.

    warcio stops quietly at a cut-off stream, so a record whose payload is shorter than its
    Content-Length marks the file as truncated; what was read before it is kept.
    """
    records = 0
    produced = 0
    try:
        for record in _warc_iterator(stream):
            records += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            name = f"{path}#{uri}"
            wanted = record.rec_type == "response" and record.http_headers is not None
            content_type = ""
            if wanted:
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                status = record.http_headers.get_statuscode()
                wanted = status == "200" and "html" in content_type
            payload = record.content_stream().read(max_bytes + 1) if wanted else b""
            _drain(record.raw_stream)
            if getattr(record.raw_stream, "limit", 0) > 0:
                yield _skip(path, f"truncated WARC: record {records} ({uri!r}) is cut off")
                return
            if not wanted:
                continue
            if len(payload) > max_bytes:
                produced += 1
                yield _skip(name, _too_large_decompressed(max_bytes))
                continue
            charset = None
            match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type)
            if match:
                charset = match.group(1)
            try:
                html = _decode(payload, charset or _html_charset(payload))
            except InputError as err:
                produced += 1
                yield _skip(name, err.reason)
                continue
            produced += 1
            yield _extract_html(name, html, url=uri or None, fmt="warc", max_links=max_links)
        if records == 0:
            yield _skip(path, "no WARC records found")
        elif produced == 0:
            # nothing in it was read: say so rather than let the file vanish
            yield _skip(path, f"no HTML response records among its {records} WARC records")
    except _HeaderTooLong as err:
        yield _skip(path, f"{err} in WARC record {records + 1}: not read further")
    except (EOFError, zlib.error, OSError) as err:
        yield _skip(path, f"truncated or corrupt WARC after {records} records ({err})")
    except Exception as err:  # warcio raises ArchiveLoadFailed and plain exceptions on bad data
        reason = _first_line(err) or type(err).__name__
        yield _skip(path, f"corrupt WARC after {records} records ({reason})")


# --- --url-map -------------------------------------------------------------------------------


class UrlMap:
    """Input file → its web address, from a CSV of `path,url` lines (`kg build --url-map`).

    Paths are taken relative to the CSV's folder unless absolute; a file is found under any
    spelling of its path (they are compared after `os.path.realpath`)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._by_real = {os.path.realpath(path): url for path, url in entries.items()}

    def __len__(self) -> int:
        return len(self._by_real)

    def get(self, path: str) -> str | None:
        return self._by_real.get(os.path.realpath(path))


def load_url_map(csv_path: str | Path) -> UrlMap:
    """Read a `path,url` CSV (a header line `path,url` is allowed). Raises InputError with the
    line at fault for a missing column or a URL that is not http(s)."""
    import csv

    source = str(csv_path)
    base = Path(csv_path).resolve().parent
    entries: dict[str, str] = {}
    try:
        with open(csv_path, encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if not row or not "".join(row).strip():
                    continue
                if number == 1 and [c.strip().lower() for c in row[:2]] == ["path", "url"]:
                    continue
                if len(row) < 2 or not row[0].strip():
                    raise ConfigError(f"{source}: line {number}: expected two columns, path,url")
                path, url = row[0].strip(), row[1].strip()
                try:
                    parts = urlsplit(url)
                except ValueError:
                    parts = urlsplit("")
                if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                    raise ConfigError(f"{source}: line {number}: {url!r} is not an http(s) URL")
                entries[str(base / path) if not os.path.isabs(path) else path] = url
    except OSError as err:
        raise ConfigError(f"{source}: cannot read the URL map ({_os_reason(err)})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: the URL map is not UTF-8 text") from None
    except csv.Error as err:
        raise ConfigError(f"{source}: not a valid CSV file ({err})") from None
    return UrlMap(entries)


# --- files and folders --------------------------------------------------------------------------


def _guarded(path: str, records: Iterator[Article | Skipped]) -> Iterator[Article | Skipped]:
    """Pass records on; an error skips the rest of the file instead of stopping the run."""
    try:
        yield from records
    except InputError as err:
        yield _skip(err.path or path, err.reason)
    except OSError as err:
        yield _skip(path, _os_reason(err))
    except Exception as err:  # the promise is that no bad input stops a run
        logger.debug("unexpected error reading %r", path, exc_info=True)
        message = _first_line(err)
        yield _skip(path, f"unreadable ({type(err).__name__}{': ' + message if message else ''})")


def _read_file(
    path: str, kind: str, gz: bool, limits: Limits, url: str | None = None
) -> Iterator[Article | Skipped]:
    logger.debug("reading %r as %s%s", path, kind, " (gzip)" if gz else "")
    max_bytes = limits.max_bytes
    if kind == "warc":
        # .warc.gz is gzip per record; warcio streams it, so it is not decompressed here.
        with open(path, "rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
            handle.seek(0)
            items = read_warc(path, handle, max_bytes, max_links=limits.max_links)
            for item in items:
                yield item
                if isinstance(item, Skipped) and item.path == path:
                    return  # the WARC reader already said what went wrong
        if gzipped:
            # warcio stops quietly where a gzip member is cut off: check the stream to its end
            _data, problem = _read_gzip(path, None)
            if problem is not None:
                yield _skip(path, f"{problem}: the WARC records after the last one read were lost")
        return
    if kind == "jsonl" and gz:
        # keep the lines before a truncation: drop the last, partial one
        data, problem = _read_gzip(path, max_bytes)
        if problem is not None:
            if problem.startswith("not a gzip"):
                yield _skip(path, problem)
                return
            complete = data[: data.rfind(b"\n") + 1]
            if complete.strip():
                yield from read_jsonl(path, complete)
                problem += ": lines after the last complete one were lost"
            yield _skip(path, problem)
            return
        yield from read_jsonl(path, data)
        return
    data = _load(path, gz, max_bytes)
    if not data:
        yield _skip(path, "empty file" if not gz else "empty file (after decompression)")
        return
    if kind == "html":
        yield from read_html(path, data, url, max_links=limits.max_links)
        return
    readers = {"txt": read_txt, "json": read_json, "jsonl": read_jsonl}
    for item in readers[kind](path, data):
        if url and isinstance(item, Article) and kind == "txt":
            item = dataclasses.replace(item, url=url)
        yield item


def _read_path(
    path: str, st: os.stat_result, limits: Limits, url: str | None = None
) -> Iterator[Article | Skipped]:
    kind, gz = _kind_of(os.path.basename(path))
    if kind is None:  # callers check this first
        return
    if not stat.S_ISREG(st.st_mode):
        yield _skip(path, "not a regular file")
        return
    if st.st_size == 0:
        yield _skip(path, "empty file")
        return
    if st.st_size > limits.max_bytes:
        yield _skip(path, _too_large(limits.max_bytes))
        return
    yield from _guarded(path, _read_file(path, kind, gz, limits, url))


# The marker of a kg output folder (the lock file of `kg.outputs`, left in place): a folder
# holding it is never read as input, whichever build wrote it.
OUTPUT_MARKER = ".kg.lock"


@dataclass
class _Tree:
    """What a walk over the inputs knows: where the input folders really are (symlinks are
    followed only inside them unless `follow`), what is never input (the build's own output
    and cache folders), and the folders already walked."""

    roots: tuple[str, ...]
    exclude: frozenset[str]
    follow: bool
    seen: set[str] = field(default_factory=set)

    def inside(self, real: str) -> bool:
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep)
                   for root in self.roots)

    def excluded(self, path: str, real: str) -> bool:
        if real in self.exclude or os.path.lexists(os.path.join(path, OUTPUT_MARKER)):
            logger.info("not reading %r: a kg output folder", shown_path(path))
            return True
        return False


_OUTSIDE = "symlink pointing outside the input folders; not followed (--follow-symlinks reads it)"


# Complexity over the limit, kept: one branch per kind of folder entry (loop, symlink, type).
def _entries(top: str, tree: _Tree) -> Iterator[tuple[str, os.stat_result | None, str]]:  # noqa: C901
    """The files under the folder `top`, depth first in name order: (path, stat, "") for a
    file of a supported type, (path, None, reason) for an entry that is reported, not read.

    Iterative (a tree 1,000 folders deep is no problem); loops and repeats are cut; a symlink
    whose target is outside the input folders is reported, not followed, unless `tree.follow`.
    """
    real = os.path.realpath(top)
    if real in tree.seen:
        logger.debug("not walking %r again (already read as %r)", top, real)
        return
    if tree.excluded(top, real):
        return
    tree.seen.add(real)
    try:
        names = sorted(os.listdir(top))
    except OSError as err:
        yield top, None, _os_reason(err)
        return
    stack: list[tuple[str, str, Iterator[str]]] = [(top, real, iter(names))]
    ancestors = {real}
    while stack:
        path, real, pending = stack[-1]
        name = next(pending, None)
        if name is None:
            stack.pop()
            ancestors.discard(real)
            continue
        child = os.path.join(path, name)
        if name.startswith("."):
            # reported, not read: a hidden file or folder (.git, .DS_Store) is no article
            yield child, None, "hidden file or folder (its name starts with '.'), not read"
            continue
        try:
            st = os.lstat(child)
            link = stat.S_ISLNK(st.st_mode)
            if link:
                st = os.stat(child)
        except OSError as err:
            if _kind_of(name)[0] is not None or err.errno in (errno.ELOOP, errno.ENAMETOOLONG):
                reason = _os_reason(err)
                if err.errno == errno.ENOENT and os.path.islink(child):
                    reason = "broken symlink (its target does not exist)"
                yield child, None, reason
            continue
        if link:
            child_real = os.path.realpath(child)
            if not tree.follow and not tree.inside(child_real):
                yield child, None, _OUTSIDE
                continue
        else:
            child_real = os.path.join(real, name)
        if stat.S_ISDIR(st.st_mode):
            if child_real in ancestors:
                yield child, None, "symlink loop"
                continue
            if child_real in tree.seen:
                logger.debug("not walking %r again (already read as %r)", child, child_real)
                continue
            if tree.excluded(child, child_real):
                continue
            tree.seen.add(child_real)
            try:
                names = sorted(os.listdir(child))
            except OSError as err:
                yield child, None, _os_reason(err)
                continue
            stack.append((child, child_real, iter(names)))
            ancestors.add(child_real)
        elif _kind_of(name)[0] is not None:
            yield child, st, ""
        else:
            suffix = _suffix_for_message(name)
            shown = f"'{suffix}'" if suffix else "(no suffix)"
            yield child, None, f"unsupported file type {shown} (expected {_EXPECTED})"


def _tree(paths: Sequence[str | Path], follow_symlinks: bool,
          exclude: Iterable[str | Path]) -> _Tree:
    roots = []
    for given in paths:
        try:
            if os.path.isdir(given):
                roots.append(os.path.realpath(given))
        except (OSError, ValueError):
            continue
    return _Tree(tuple(roots), frozenset(os.path.realpath(p) for p in exclude), follow_symlinks)


def count_files(
    paths: Sequence[str | Path],
    *,
    follow_symlinks: bool = False,
    exclude: Iterable[str | Path] = (),
) -> int:
    """How many files of a supported type the inputs hold (for progress: a walk that reads no
    file, leaving out what `iter_inputs` leaves out)."""
    tree = _tree(paths, follow_symlinks, exclude)
    total = 0
    for given in paths:
        path = os.fspath(given)
        try:
            if os.path.isdir(path):
                total += sum(1 for _p, st, _r in _entries(path, tree) if st is not None)
            elif _kind_of(os.path.basename(path))[0] is not None:
                total += 1
        except (OSError, ValueError):
            continue
    return total


def source_file(record_path: str) -> str:
    """The input file a record came from: "a.jsonl:3" → "a.jsonl", "c.warc.gz#https://…" →
    "c.warc.gz"."""
    head, hash_mark, _uri = record_path.partition("#")
    if hash_mark and _kind_of(os.path.basename(head))[0] == "warc":
        return head
    match = re.match(r"^(.*\.(?:jsonl?|json)(?:\.gz)?):\d+$", record_path, re.IGNORECASE)
    return match.group(1) if match else record_path


def shown_path(path: str) -> str:
    """A path as kg shows and records it: a file name byte that is not UTF-8 (held as a lone
    surrogate by `os.fsdecode`) is written `\\xNN`, so the name can go into any output."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(
            f"\\x{ord(ch) - 0xDC00:02x}" if 0xDC80 <= ord(ch) <= 0xDCFF
            else f"\\u{ord(ch):04x}" if 0xD800 <= ord(ch) <= 0xDFFF else ch
            for ch in path
        )
    return path


def _unicode_problem(article: Article) -> str | None:
    """The field of an article that holds a lone surrogate (JSON's "\\ud800" escapes decode
    to one), which no output can encode."""
    fields = [("text", article.text), ("title", article.title), ("url", article.url),
              ("outlet", article.site), ("date", article.published),
              ("canonical", article.canonical), ("based_on", article.based_on)]
    fields += [("link", value) for link in article.links for value in (link.url, link.text)]
    for name, value in fields:
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            bad = value[err.start]
            return f"field '{name}' is not valid Unicode (a lone surrogate, \\u{ord(bad):04x})"
    return None


def _checked(item: Article | Skipped, limits: Limits) -> Article | Skipped:
    """An article within the budgets and encodable everywhere, or the reason it is not; every
    path in the form it is shown (`shown_path`)."""
    path = shown_path(item.path)
    if isinstance(item, Skipped):
        return item if path == item.path else Skipped(path, item.reason)
    problem = _unicode_problem(item)
    if problem is not None:
        return _skip(path, problem)
    if len(item.text) > limits.max_chars:
        return _skip(path, f"{len(item.text):,} characters of text, more than the "
                           f"{limits.max_chars:,} limit; raise it with --max-chars")
    if len(item.links) > limits.max_links:
        return _skip(path, _too_many_links(len(item.links), limits.max_links))
    item = _without_bidi(item)
    if item.language is None:
        item = dataclasses.replace(item, language=language_of(item.text))
    return item if path == item.path else dataclasses.replace(item, path=path)


# Bidirectional controls reorder what a reader sees without being seen themselves: "RT" with a
# right-to-left mark inside looks like RT and matched no name of the registry. They carry no
# words, so they are removed from the text, title and site name (link offsets follow).
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _without_bidi(article: Article) -> Article:
    fields = (article.text, article.title or "", article.site or "",
              *(link.text for link in article.links))
    if not any(_BIDI.search(value) for value in fields):
        return article
    removed = [m.start() for m in _BIDI.finditer(article.text)]

    def moved(pos: int | None) -> int | None:
        return None if pos is None else pos - bisect_left(removed, pos)

    links = tuple(
        dataclasses.replace(link, text=_BIDI.sub("", link.text), start=moved(link.start),
                            end=moved(link.end))
        for link in article.links
    )
    return dataclasses.replace(
        article,
        text=_BIDI.sub("", article.text),
        title=_BIDI.sub("", article.title) if article.title is not None else None,
        site=_BIDI.sub("", article.site) if article.site is not None else None,
        links=links,
    )


def _too_many_links(count: int | str, limit: int) -> str:
    return f"{count} links in the text, more than the {limit:,} limit; raise it with --max-links"


def iter_inputs(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = MAX_BYTES,
    max_chars: int = MAX_CHARS,
    max_links: int = MAX_LINKS,
    url_map: UrlMap | None = None,
    follow_symlinks: bool = False,
    exclude: Iterable[str | Path] = (),
) -> Iterator[Article | Skipped]:
    """Articles and skipped inputs from files and folders, in a deterministic order.

    Inputs come in the order given; folders are walked in name order (hidden entries and
    unknown suffixes reported, not read); records of a container come in file order. Never
    raises for a bad input: it becomes `Skipped(path, reason)`, as does an article over a
    budget (`max_bytes` per file, also decompressed; `max_chars` characters of text and
    `max_links` links per article). Symlinks inside the given folders are followed; one
    pointing outside them is reported, not followed, unless `follow_symlinks`. Folders in
    `exclude` (the build's own output) and kg output folders are not read. `url_map` (from
    `load_url_map`) gives the address of saved pages that do not carry their own. Paths are
    shown as `shown_path` writes them.

    >>> for item in iter_inputs(["data/charter97-2024-05-26.txt"]):  # doctest: +SKIP
    ...     print(item.title)
    Russian Defense Ministry Plane Makes Mysterious Flight To North Korea
    """
    for item in iter_files(paths, follow_symlinks=follow_symlinks, exclude=exclude):
        if isinstance(item, Skipped):
            yield item
            continue
        url = url_map.get(item.path) if url_map is not None else None
        yield from read_input_file(item, max_bytes=max_bytes, max_chars=max_chars,
                                   max_links=max_links, url=url)


def iter_files(
    paths: Sequence[str | Path],
    *,
    follow_symlinks: bool = False,
    exclude: Iterable[str | Path] = (),
) -> Iterator[InputFile | Skipped]:
    """The files `iter_inputs` reads, in its order, and what it skips on the way (missing
    paths, unsupported types, hidden entries, loops, symlinks out of the input folders, kg
    output folders), without reading any file: what a distributed build (`kg.distributed`)
    hands out to its workers. `InputFile.path` is the name as the system gives it; Skipped
    paths are shown as `shown_path` writes them."""
    tree = _tree(paths, follow_symlinks, exclude)
    for given in paths:
        path = os.fspath(given)
        try:
            st = os.stat(path)
        except OSError as err:
            yield _skip(shown_path(path), _os_reason(err))
            continue
        except ValueError as err:  # an embedded NUL in the name
            yield _skip(shown_path(path), f"invalid path ({err})")
            continue
        if stat.S_ISDIR(st.st_mode):
            for child, child_st, reason in _entries(path, tree):
                if child_st is None:
                    yield _skip(shown_path(child), reason)
                else:
                    yield InputFile(child, child_st)
            continue
        if _kind_of(os.path.basename(path))[0] is None:
            suffix = _suffix_for_message(path)
            shown = f"'{suffix}'" if suffix else "(no suffix)"
            yield _skip(shown_path(path), f"unsupported file type {shown} (expected {_EXPECTED})")
            continue
        yield InputFile(path, st)


def read_input_file(
    file: InputFile,
    *,
    max_bytes: int = MAX_BYTES,
    max_chars: int = MAX_CHARS,
    max_links: int = MAX_LINKS,
    url: str | None = None,
) -> Iterator[Article | Skipped]:
    """The records of one file listed by `iter_files`, as `iter_inputs` gives them (within the
    budgets, language included, paths shown escaped); never raises for a bad file. `url` is
    its address from a URL map."""
    limits = Limits(max_bytes=max_bytes, max_chars=max_chars, max_links=max_links)
    for item in _read_path(file.path, file.stat, limits, url):
        yield _checked(item, limits)
