"""kg's namespaces as plain strings, for the modules that must not import rdflib (it takes
about a second to import; `kg query` on a store is a short process). `kg.vocab` builds its
rdflib namespaces from these."""

from __future__ import annotations

KG_NS = "https://w3id.org/kg/ns#"
KGR_NS = "https://w3id.org/kg/id/"
SCHEMA_NS = "https://schema.org/"
PROV_NS = "http://www.w3.org/ns/prov#"
NIF_NS = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"

# Every file kg writes declares these, in this order.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("kg", KG_NS),
    ("kgr", KGR_NS),
    ("schema", SCHEMA_NS),
    ("prov", PROV_NS),
    ("nif", NIF_NS),
    ("xsd", XSD_NS),
    ("rdf", RDF_NS),
    ("rdfs", RDFS_NS),
)
