"""The RDF vocabulary of kg and the mapping between graph node ids and IRIs.

Terms are `DefinedNamespace` classes, so a misspelt term (``KG.cite``) raises instead of quietly
minting a new IRI.

Namespaces:
  kg:      https://w3id.org/kg/ns#   classes and properties of kg
  kgr:     https://w3id.org/kg/id/   resources (articles, outlets, people, attributions, …)
  schema:  https://schema.org/
  prov:    http://www.w3.org/ns/prov#
  nif:     http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#

Resource IRIs: a node id ``"<type>:<rest>"`` becomes ``kgr:<type>/<rest>``; every character
outside ``[A-Za-z0-9._~/-]`` is percent-encoded (UTF-8), as are slashes before the first colon
and path segments made only of dots, so that the IRI is valid whatever the id holds and
`node_id_for` is the exact inverse of `iri_for`.
"""

from __future__ import annotations

import re
import urllib.parse

from rdflib import RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import PROV, DefinedNamespace

from kg.namespaces import PREFIXES


class KG(DefinedNamespace):
    """kg's own terms."""

    _NS = Namespace("https://w3id.org/kg/ns#")
    _fail = True

    # classes
    Attribution: URIRef  # one attribution statement of an article (also a prov:Attribution)
    OutletCitation: URIRef  # an outlet → source citation derived from the outlet's articles

    # article / outlet relations
    cites: URIRef  # article → source it attributes to; outlet → source (derived)
    attribution: URIRef  # article → kg:Attribution
    linksTo: URIRef  # article → article it hyperlinks to
    copyOf: URIRef  # article → article with the same text under another outlet
    path: URIRef  # article → input path it was read from
    outletKind: URIRef  # outlet → outlet / wire_agency / broadcaster / state_media / data_service
    country: URIRef  # outlet → country code
    language: URIRef  # outlet → ISO 639-1 code of a language it publishes in
    stateControl: URIRef  # outlet → State Media Matrix code (SC, CaPu, CaPr, ISFM, ISF, ISM, IP)
    listedIn: URIRef  # outlet → kg:OutletList it appears on (a membership, never a verdict)
    registrySource: URIRef  # outlet → where its registry entry comes from (data set, file)
    OutletList: URIRef  # class: a published list of outlets (Portal Kombat, RT mirrors, …)
    listSource: URIRef  # kg:OutletList → the data set it comes from
    listDate: URIRef  # kg:OutletList → the date of that data set (xsd:date)
    community: URIRef  # outlet → its community of outlets (xsd:integer; 1 = the largest)
    mentionCount: URIRef  # reserved: mention counts (not written by kg 0.1)

    # attribution evidence
    sourceText: URIRef
    cue: URIRef
    cueBeginIndex: URIRef
    cueEndIndex: URIRef
    content: URIRef
    contentBeginIndex: URIRef
    contentEndIndex: URIRef
    sentence: URIRef
    sentenceBeginIndex: URIRef
    sentenceEndIndex: URIRef
    kind: URIRef
    confidence: URIRef
    via: URIRef
    link: URIRef  # kg:Attribution → the URL of the hyperlink it carries (xsd:anyURI literal)
    rule: URIRef  # the extraction rule that made the attribution ("reporting-verb", ...)
    sourceRule: URIRef  # how that rule chose the source ("subject", "passive-agent", ...)

    # kg:OutletCitation
    citer: URIRef
    cited: URIRef
    backedBy: URIRef
    weight: URIRef


class SCHEMA(DefinedNamespace):
    """The schema.org terms kg uses (a strict subset, so typos fail)."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    NewsArticle: URIRef
    NewsMediaOrganization: URIRef
    Person: URIRef
    Organization: URIRef
    Place: URIRef
    Thing: URIRef
    name: URIRef
    alternateName: URIRef
    headline: URIRef
    url: URIRef
    datePublished: URIRef
    publisher: URIRef
    isBasedOn: URIRef
    inLanguage: URIRef
    mentions: URIRef
    affiliation: URIRef


class NIF(DefinedNamespace):
    """NLP Interchange Format core: where a string sits in a text."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef


KGR = Namespace("https://w3id.org/kg/id/")

# Every file kg writes declares these, in this order (kg.namespaces holds them as plain
# strings for the modules that must not import rdflib).
assert PREFIXES == (
    ("kg", str(KG)),
    ("kgr", str(KGR)),
    ("schema", str(SCHEMA)),
    ("prov", str(PROV)),
    ("nif", str(NIF)),
    ("xsd", str(XSD)),
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
)

# SPARQL prologue for the same prefixes (named queries and `kg query` text may omit them).
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES)

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-")
_DOTS = re.compile(r"\.+")


def bind_prefixes(graph: Graph) -> Graph:
    """Bind kg's prefixes on `graph` (replacing any other binding of the same names)."""
    for prefix, iri in PREFIXES:
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph


def _encode(text: str, keep_slash: bool) -> str:
    out: list[str] = []
    for ch in text:
        if ch in _SAFE or (keep_slash and ch == "/"):
            out.append(ch)
        else:
            # surrogatepass: ids with lone surrogates still map to a valid IRI and back.
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    encoded = "".join(out)
    # "." and ".." segments would be removed by IRI normalisation; encode them.
    return "/".join(
        seg.replace(".", "%2E") if _DOTS.fullmatch(seg) else seg for seg in encoded.split("/")
    )


def encode_segment(node_id: str) -> str:
    """Percent-encode a whole node id as one IRI path segment (slashes and colons too)."""
    return _encode(node_id, keep_slash=False)


def iri_path(node_id: str) -> str:
    """The path of a node's IRI below `KGR`: ``"outlet:reuters"`` → ``"outlet/reuters"``."""
    prefix, colon, rest = node_id.partition(":")
    if not colon:
        return _encode(node_id, keep_slash=False)
    return _encode(prefix, keep_slash=False) + "/" + _encode(rest, keep_slash=True)


def iri_for(node_id: str) -> URIRef:
    """The IRI of a graph node id (also attribution ids ``"article:…/attribution/0"``)."""
    return URIRef(str(KGR) + iri_path(node_id))


def node_id_for(iri: str) -> str:
    """Inverse of `iri_for`. Raises ValueError for an IRI outside the `kgr:` namespace."""
    base = str(KGR)
    if not iri.startswith(base):
        raise ValueError(f"{iri!r} is not a kg resource IRI (expected it to start with {base})")
    path = iri[len(base) :]
    prefix, slash, rest = path.partition("/")

    def dec(s: str) -> str:
        return urllib.parse.unquote(s, encoding="utf-8", errors="surrogatepass")

    if not slash:
        return dec(prefix)
    return dec(prefix) + ":" + dec(rest)


def list_iri(name: str) -> URIRef:
    """The IRI of the kg:OutletList of a label name ("Portal Kombat (Viginum)")."""
    from kg.registry import slugify

    return URIRef(f"{KGR}list/{encode_segment(slugify(name))}")


def citation_iri(citer_id: str, cited_id: str) -> URIRef:
    """The IRI of the kg:OutletCitation node of a derived outlet → source edge."""
    return URIRef(f"{KGR}citation/{encode_segment(citer_id)}/{encode_segment(cited_id)}")
