"""`kg push`: load a build into an existing triple store over the SPARQL 1.1 Graph Store HTTP
Protocol.

The graph replaces the named graph `graph` (never the store's default graph unless asked for
with `graph=None`): the first chunk is sent with PUT (which replaces), the others with POST
(which adds). Chunks are N-Triples (valid Turtle, so sent as `text/turtle`, which every store
takes), cut at line ends, at most `chunk_bytes` each. What is pushed is what a query of the
build reads: the store's triples (`kg.store`), or a graph file loaded like `kg query` does.

A chunk that fails with a network error or an HTTP 5xx/429 is sent again, up to `retries`
times, with a growing pause; 401/403 (credentials) and 413 (a body too large for the store)
stop the push at once with an error that says what to change. Basic and Digest
authentication are both answered (Virtuoso's /sparql-graph-crud-auth asks for Digest).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import KgError

log = logging.getLogger(__name__)

DEFAULT_GRAPH = "https://w3id.org/kg/graph"
CONTENT_TYPE = "text/turtle; charset=utf-8"


class PushError(KgError):
    """The store refused the graph, or could not be reached."""


@dataclass(frozen=True)
class PushOptions:
    graph: str | None = DEFAULT_GRAPH  # None: the store's default graph
    chunk_bytes: int = 8_000_000
    retries: int = 3
    user: str | None = None
    password: str | None = None
    timeout: float = 300.0
    graph_param: str = "graph"  # Virtuoso's endpoint also takes "graph-uri"


@dataclass(frozen=True)
class PushResult:
    triples: int
    chunks: int
    bytes: int
    url: str


def target_url(endpoint: str, options: PushOptions) -> str:
    """The Graph Store Protocol URL of the graph: ENDPOINT?graph=IRI (or ?default)."""
    split = urllib.parse.urlsplit(endpoint)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise PushError(f"--endpoint {endpoint!r} is not an http(s) URL; give the store's "
                        "Graph Store endpoint, e.g. http://localhost:7878/store")
    query = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
    if options.graph is None:
        query.append(("default", ""))
    else:
        graph = urllib.parse.urlsplit(options.graph)
        if not graph.scheme:
            raise PushError(f"--graph {options.graph!r} is not an absolute IRI; e.g. "
                            f"{DEFAULT_GRAPH}")
        query.append((options.graph_param, options.graph))
    text = "&".join(k if (k == "default" and not v) else urllib.parse.urlencode({k: v})
                    for k, v in query)
    return urllib.parse.urlunsplit(split._replace(query=text))


def _opener(url: str, options: PushOptions) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if options.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, options.user, options.password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                     urllib.request.HTTPBasicAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def _dump(source_path: Path, is_store: bool, stream: IO[bytes]) -> None:
    import pyoxigraph as ox

    from kg.store import Source, open_source

    store = open_source(Source(source_path, is_store))
    store.dump(stream, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def chunks(path: Path, chunk_bytes: int) -> Iterator[tuple[bytes, int]]:
    """(body, triples) pieces of an N-Triples file, cut at line ends."""
    with path.open("rb") as f:
        buffer: list[bytes] = []
        size = 0
        for line in f:
            if buffer and size + len(line) > chunk_bytes:
                yield b"".join(buffer), len(buffer)
                buffer, size = [], 0
            buffer.append(line)
            size += len(line)
        if buffer or size == 0:
            yield b"".join(buffer), len(buffer)


def _send(opener: urllib.request.OpenerDirector, url: str, method: str, body: bytes,
          options: PushOptions, sleep: Callable[[float], None]) -> None:
    for attempt in range(options.retries + 1):
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": CONTENT_TYPE})
        try:
            with opener.open(request, timeout=options.timeout) as response:
                response.read()
                return
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(500).decode("utf-8", "replace").split())[:200]
            if exc.code in (401, 403):
                who = f"user {options.user!r}" if options.user else "no credentials"
                raise PushError(
                    f"{url}: the store refused the push with {who} (HTTP {exc.code}); pass "
                    "--user NAME and the password in $KG_PUSH_PASSWORD, for an account "
                    "allowed to write graphs (see the README for Virtuoso and Oxigraph)"
                ) from None
            if exc.code == 413:
                raise PushError(
                    f"{url}: the store refused a chunk of {len(body):,} bytes as too large "
                    "(HTTP 413); lower --chunk-mb"
                ) from None
            if exc.code not in (429, 500, 502, 503, 504) or attempt == options.retries:
                raise PushError(f"{url}: {method} failed with HTTP {exc.code} ({detail})") \
                    from None
            reason = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            if attempt == options.retries:
                why = getattr(exc, "reason", exc)
                raise PushError(f"{url}: cannot reach the store ({why}); is it running?") \
                    from None
            reason = str(getattr(exc, "reason", exc))
        pause = min(2.0**attempt, 30.0)
        log.warning("push: %s %s failed (%s); retrying in %g s", method, url, reason, pause)
        sleep(pause)


def push(graph: Path, endpoint: str, options: PushOptions = PushOptions(),
         progress: Callable[[str], None] | None = None,
         sleep: Callable[[float], None] = time.sleep) -> PushResult:
    """Replace `options.graph` in the store at `endpoint` with the build `graph` names
    (OUT, its store or a graph file)."""
    from kg.store import locate

    if options.chunk_bytes < 1000:
        raise PushError("--chunk-mb is too small; use at least 0.001")
    source = locate(graph)
    url = target_url(endpoint, options)
    opener = _opener(url, options)
    fd, tmp = tempfile.mkstemp(prefix="kg-push-", suffix=".nt")
    total = sent = n = 0
    try:
        with os.fdopen(fd, "wb") as stream:
            _dump(source.path, source.store, stream)
        for n, (body, triples) in enumerate(chunks(Path(tmp), options.chunk_bytes), start=1):
            _send(opener, url, "PUT" if n == 1 else "POST", body, options, sleep)
            total += triples
            sent += len(body)
            if progress:
                progress(f"pushed chunk {n} ({total:,} triples)")
    except PushError as exc:
        if n > 1:
            raise PushError(f"{exc}; the graph holds only the first {n - 1} chunk(s) now: "
                            "run kg push again") from None
        raise
    finally:
        os.unlink(tmp)
    return PushResult(triples=total, chunks=n, bytes=sent, url=url)
