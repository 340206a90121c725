"""A CascadeGraph as bytes in one of CASCADE_FORMATS.

    render_cascade(graph, "svg")    # also png, pdf (Graphviz's `dot`), dot, mermaid, graphml, json

SVG, PNG and PDF are drawn by Graphviz's `dot` program (Debian package graphviz), called
through the `graphviz` Python package; DOT and Mermaid are text written here; GraphML
and JSON node-link come from networkx, with every node's key, label, kind, level, more
and expandable, and every edge's relation (its code) and label (its Vietnamese words).
"""
from __future__ import annotations

import io
import json

import graphviz
import networkx as nx

from . import ExportError
from .cascade_graph import CascadeGraph
from .dot import to_digraph, to_dot
from .labels import label
from .mermaid import to_mermaid

CASCADE_FORMATS = ("svg", "png", "pdf", "dot", "mermaid", "graphml", "json")
MEDIA_TYPES: dict[str, str] = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "dot": "text/vnd.graphviz; charset=utf-8",
    "mermaid": "text/vnd.mermaid; charset=utf-8",
    "graphml": "application/graphml+xml",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SUFFIXES: dict[str, str] = {
    "svg": ".svg", "png": ".png", "pdf": ".pdf", "dot": ".dot", "mermaid": ".mmd", "graphml": ".graphml",
    "json": ".json", "csv": ".csv", "xlsx": ".xlsx",
}
DRAWN = ("svg", "png", "pdf")


def render_cascade(graph: CascadeGraph, fmt: str) -> bytes:
    if fmt not in CASCADE_FORMATS:
        raise ExportError(f"format '{fmt}': use one of {', '.join(CASCADE_FORMATS)}")
    if fmt in DRAWN:
        return draw(graph, fmt)
    if fmt == "dot":
        return to_dot(graph).encode("utf-8")
    if fmt == "mermaid":
        return to_mermaid(graph).encode("utf-8")
    network = to_networkx(graph)
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(network, buffer, encoding="utf-8")
        return buffer.getvalue()
    data = nx.node_link_data(network, edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def draw(graph: CascadeGraph, fmt: str) -> bytes:
    try:
        return to_digraph(graph).pipe(format=fmt)
    except graphviz.ExecutableNotFound as exc:
        raise ExportError(f"drawing {fmt.upper()} needs Graphviz's `dot` program, which is not installed: "
                          "apt-get install graphviz (or export --format dot, mermaid, graphml or json)") from exc
    except graphviz.CalledProcessError as exc:
        stderr = (exc.stderr or b"").decode("utf-8", "replace").strip()
        raise ExportError(f"Graphviz `dot` failed drawing {fmt.upper()}: {stderr or exc}") from exc


def to_networkx(graph: CascadeGraph) -> nx.MultiDiGraph:
    """The diagram as a networkx graph; a multigraph, because a unit may both lead and
    support one task. None is left out (GraphML has no null)."""
    network = nx.MultiDiGraph(title=graph.title, target=graph.target)
    for node in graph.nodes:
        attributes = {"label": node.label, "kind": node.kind, "more": node.more, "expandable": node.expandable}
        if node.level is not None:
            attributes["level"] = node.level
        network.add_node(node.key, **attributes)
    for edge in graph.edges:
        network.add_edge(edge.source, edge.target, key=edge.relation, relation=edge.relation,
                         label=label("relations", edge.relation))
    return network
