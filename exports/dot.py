"""CascadeGraph → a Graphviz digraph, laid out top-down, in a font that has Vietnamese.

The node names are n0, n1… rather than the graph's keys: a key holds ':' ("more:…",
"level:province"), which DOT reads as node:port in an edge. Each node's full label is
its tooltip (the SVG's <title> link), its drawn label is wrapped to a box width.
"""
from __future__ import annotations

import textwrap

import graphviz

from .cascade_graph import CascadeGraph, DiagramNode
from .labels import caption, label

# DejaVu Sans (Debian fonts-dejavu-core) has every Vietnamese letter with its tone mark;
# fontconfig's default sans on a bare server may not, and "ở", "ữ" come out as boxes.
FONT = "DejaVu Sans"
LEVEL_COLOURS = {
    "central": "#f8d7da", "ministry": "#fde5cc", "province": "#fff3bf", "department": "#dcefd4",
    "district": "#d6e6f5", "commune": "#e6dcf2",
}
NO_LEVEL_COLOUR = "#eeeeee"
WIDTHS = {"goal": 40, "document": 30, "task": 38, "organization": 26, "more": 24}
_STYLES = {
    "goal": {"shape": "box", "style": "filled,bold", "fillcolor": "#ffe08a", "penwidth": "2", "fontsize": "13"},
    "document": {"shape": "note", "style": "filled", "fontsize": "11"},
    "task": {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff", "fontsize": "9"},
    "organization": {"shape": "ellipse", "style": "filled", "fillcolor": "#e8f1fb", "fontsize": "10"},
    "more": {"shape": "box", "style": "dashed,rounded", "fontcolor": "#555555", "fontsize": "10"},
}
_EDGE_STYLES = {
    "has_task": {"color": "#999999", "arrowsize": "0.6"},
    "lead": {"color": "#1f5fa8", "fontcolor": "#1f5fa8"},
    "support": {"color": "#1f5fa8", "fontcolor": "#1f5fa8", "style": "dashed"},
    "more": {"color": "#999999", "style": "dotted", "arrowhead": "none"},
}
_UNLABELLED = ("has_task", "more", "lead", "support")  # told apart by line style, see the legend


def _dot_text(text: str, width: int) -> str:
    """Lines wrapped at `width`, as a DOT escString: backslashes doubled (a document's "\\N"
    must not become the node's name), lines joined with DOT's centred line break."""
    lines = [piece for line in text.split("\n")
             for piece in (textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""])]
    return "\\n".join(line.replace("\\", "\\\\") for line in lines)


def _node_attributes(node: DiagramNode) -> dict[str, str]:
    attributes = dict(_STYLES.get(node.kind, _STYLES["more"]))
    if node.kind == "document" or (node.kind in ("more", "organization") and node.more):
        attributes["fillcolor"] = LEVEL_COLOURS.get(node.level or "", NO_LEVEL_COLOUR)
        attributes["style"] = attributes["style"].replace("dashed", "dashed,filled") \
            if "filled" not in attributes["style"] else attributes["style"]
    if node.expandable and node.kind in ("document", "task"):
        attributes["peripheries"] = "2"  # something is left out below it
    return attributes


def to_digraph(graph: CascadeGraph) -> graphviz.Digraph:
    names = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    digraph = graphviz.Digraph(
        "cascade",
        graph_attr={"rankdir": "TB", "fontname": FONT,
                    "label": graphviz.nohtml(_dot_text(f"{graph.title}\n{caption('legend')}", 90)),
                    "labelloc": "t", "fontsize": "16", "nodesep": "0.25", "ranksep": "0.45",
                    "bgcolor": "white", "pad": "0.3"},
        node_attr={"fontname": FONT, "margin": "0.12,0.06"},
        edge_attr={"fontname": FONT, "fontsize": "9", "color": "#555555"},
    )
    for node in graph.nodes:
        digraph.node(names[node.key], graphviz.nohtml(_dot_text(node.label, WIDTHS.get(node.kind, 30))),
                     tooltip=graphviz.nohtml(_dot_text(node.label, 1000)), **_node_attributes(node))
    for edge in graph.edges:
        attributes = dict(_EDGE_STYLES.get(edge.relation, {}))
        if edge.relation not in _UNLABELLED:
            attributes["label"] = graphviz.nohtml(_dot_text(label("relations", edge.relation), 20))
        digraph.edge(names[edge.source], names[edge.target], **attributes)
    return digraph


def to_dot(graph: CascadeGraph) -> str:
    return to_digraph(graph).source
