"""RDF writers side by side: kg's own, rdflib's serialisers, pyoxigraph's serialiser.

    python benchmarks/rdf_writers.py OUT/graph.ttl [--repeat 2]

Reads a graph kg built (rdflib, not timed) and writes it in Turtle, N-Triples and JSON-LD
three ways, timing each from the networkx graph to bytes on disk (best of --repeat):

  * kg:         kg.rdf.write_rdf (sorted subjects and objects; the bytes `kg build` writes);
  * rdflib:     kg.rdf.graph_to_rdf + rdflib.Graph.serialize;
  * pyoxigraph: the same sorted triples as pyoxigraph terms + pyoxigraph.serialize.

Each output is parsed back with pyoxigraph and compared with kg's triples (correct: the same
set), and written twice (deterministic: the same bytes).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.rdf import graph_subjects, graph_to_rdf, load_graph, write_rdf

FORMATS = {"turtle": ("ttl", ox.RdfFormat.TURTLE), "nt": ("nt", ox.RdfFormat.N_TRIPLES),
           "jsonld": ("jsonld", ox.RdfFormat.JSON_LD)}
RDFLIB = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


def _ox_term(term: Any) -> Any:
    if term.datatype is None:
        return ox.NamedNode(term.value)
    if term.datatype == "":
        return ox.Literal(term.value)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))


def with_kg(graph: Any, path: Path, fmt: str) -> None:
    write_rdf(graph, path, fmt)


def with_rdflib(graph: Any, path: Path, fmt: str) -> None:
    graph_to_rdf(graph).serialize(destination=str(path), format=RDFLIB[fmt])


def with_pyoxigraph(graph: Any, path: Path, fmt: str) -> None:
    triples = [
        ox.Triple(ox.NamedNode(subject), _ox_term(pred), _ox_term(obj))
        for subject, pos in graph_subjects(graph)
        for pred, obj in pos
    ]
    ox.serialize(triples, str(path), FORMATS[fmt][1],
                 prefixes=dict(PREFIXES) if fmt == "turtle" else None)


WRITERS: dict[str, Callable[[Any, Path, str], None]] = {
    "kg": with_kg, "rdflib": with_rdflib, "pyoxigraph": with_pyoxigraph,
}


def triples(path: Path, fmt: str) -> set[str]:
    return {str(t) for t in ox.parse(path=str(path), format=FORMATS[fmt][1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--writers", nargs="+", default=list(WRITERS), choices=list(WRITERS))
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=list(FORMATS))
    args = parser.parse_args()
    t = time.perf_counter()
    graph = load_graph(args.graph)
    print(f"read {args.graph} in {time.perf_counter() - t:.1f} s: "
          f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'format':8} {'writer':11} {'seconds':>8} {'MB':>7} {'triples':>9}  "
              "correct  deterministic")
        for fmt in args.formats:
            suffix = FORMATS[fmt][0]
            reference: set[str] | None = None
            for name in args.writers:
                writer = WRITERS[name]
                best = float("inf")
                outputs = []
                for i in range(args.repeat):
                    path = folder / f"{name}-{i}.{suffix}"
                    start = time.perf_counter()
                    writer(graph, path, fmt)
                    best = min(best, time.perf_counter() - start)
                    outputs.append(path.read_bytes())
                parsed = triples(folder / f"{name}-0.{suffix}", fmt)
                reference = reference if reference is not None else parsed
                same = all(o == outputs[0] for o in outputs)
                print(f"{fmt:8} {name:11} {best:8.2f} {len(outputs[0]) / 1e6:7.1f} "
                      f"{len(parsed):9,}  {'yes' if parsed == reference else 'NO':7}  "
                      f"{'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
