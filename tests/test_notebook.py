"""The analysis notebook runs top to bottom on a fresh build and prints what it promises."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore_graph.ipynb"


def _outputs(nb: nbformat.NotebookNode) -> str:
    return "\n".join(
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )


def test_notebook_executes_on_sample_graph(
    sample_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_GRAPH", str(sample_out / "graph.ttl"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute(env=dict(os.environ))
    text = _outputs(nb)
    assert "triples" in text
    # Most cited sources, outlet ranking and a chain that goes beyond one hop.
    assert "Bloomberg" in text and "NK News" in text
    assert "Charter97 ⇒ Flightradar24" in text
    longest = int(text.split("longest chain:")[1].split()[0])
    assert longest >= 2
    # the outlet graph drawn with pyvis (kg.html.to_pyvis), offline: no address to fetch
    assert "pyvis: " in text and " citations drawn" in text
    drawn = next(
        out["data"]["text/html"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    )
    assert "<iframe srcdoc=" in drawn and "vis.Network" in drawn
    assert "https://cdn" not in drawn
