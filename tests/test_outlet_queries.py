"""The outlet fields from the registry (state control, list labels, languages, provenance)
travel from the resolved entity through the graph and RDF, and the named queries read them."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.graph import entity_attrs
from kg.models import Entity, OutletLabel
from kg.query import get_named_query, run_query
from kg.rdf import load_graph, write_rdf
from kg.registry import load_registry
from kg.resolve import registry_entity

LABEL = OutletLabel("Portal Kombat (Viginum)", "Disinformation Laundromat", "2025-01-21")


def graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    belta = Entity(
        id="outlet:belta", type="outlet", name="BelTA", kind="wire_agency", country="BY",
        state_control="SC", labels=(LABEL,), languages=("be", "ru"),
        provenance=("kg/data/outlets.json", "state-media-profiles"),
    )
    g.add_node("outlet:belta", **entity_attrs(belta))
    g.add_node("outlet:paper", **entity_attrs(Entity("outlet:paper", "outlet", "The Paper")))
    g.add_node("article:a", type="article", name="A", title="A", outlet="outlet:paper", path="a")
    g.add_edge("article:a", "outlet:paper", key="published_by", type="published_by")
    g.add_edge(
        "article:a", "outlet:belta", key="cites:0", type="cites", kind="reported",
        confidence=0.9, attribution="article:a/attribution/0", sentence="BelTA reported it.",
        sentence_start=0, sentence_end=18, source_text="BelTA", source_start=0, source_end=5,
        cue="reported", cue_start=6, cue_end=14,
    )
    return g


def test_outlet_fields_are_node_attributes() -> None:
    attrs = graph().nodes["outlet:belta"]
    assert attrs["state_control"] == "SC"
    assert attrs["kind"] == "wire_agency"  # state control is not a kind
    assert attrs["labels"] == (("Portal Kombat (Viginum)", "Disinformation Laundromat",
                                "2025-01-21"),)
    assert attrs["languages"] == ("be", "ru")
    assert attrs["provenance"] == ("kg/data/outlets.json", "state-media-profiles")


def test_outlet_fields_round_trip_through_rdf(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    write_rdf(graph(), path)
    text = path.read_text(encoding="utf-8")
    assert 'kg:stateControl "SC"' in text
    assert "kg:listedIn <https://w3id.org/kg/id/list/portal-kombat-viginum>" in text
    assert 'kg:listDate "2025-01-21"^^xsd:date' in text
    back = load_graph(path).nodes["outlet:belta"]
    for key in ("state_control", "labels", "languages", "provenance"):
        assert back[key] == graph().nodes["outlet:belta"][key]


def test_state_media_citations_query(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    write_rdf(graph(), path)
    result = run_query(path, get_named_query("state-media-citations").text)
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    assert [(r["name"], r["stateControl"], r["publisher"]) for r in rows] == [
        ("BelTA", "SC", "The Paper")
    ]


def test_listed_outlets_query(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    write_rdf(graph(), path)
    result = run_query(path, get_named_query("listed-outlets").text)
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    assert [(r["name"], r["list"], r["date"], r["citedBy"]) for r in rows] == [
        ("BelTA", "Portal Kombat (Viginum)", "2025-01-21", "1")
    ]


def test_registry_entity_carries_the_open_data_fields() -> None:
    registry = load_registry()
    belta = registry_entity(registry, "outlet:belta")
    assert belta.kind == "wire_agency" and belta.state_control == "SC"
    assert "state-media-profiles" in belta.provenance
    assert "kg/data/outlets.json" in belta.provenance
