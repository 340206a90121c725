"""CascadeGraph → Mermaid flowchart text (top-down), for Markdown pages and wikis that draw it.

Node ids are n0, n1…: a key's ':', '|', '#' and spaces mean things to Mermaid. Labels are
quoted and every character Mermaid could read as syntax is written as its entity code
(#quot;, #91; …), so a ref like "Kế hoạch số 12 [dự thảo]" or a quote in a task's text
cannot end the label early.
"""
from __future__ import annotations

import json

from .cascade_graph import CascadeGraph
from .labels import label

# Characters given as Mermaid entity codes; '#' first, since the codes themselves start with it.
_ENTITIES = (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("[", "#91;"), ("]", "#93;"),
             ("(", "#40;"), (")", "#41;"), ("{", "#123;"), ("}", "#125;"), ("|", "#124;"), ("`", "#96;"))
_SHAPES = {"goal": ('[["', '"]]'), "document": ('["', '"]'), "task": ('("', '")'),
           "organization": ('(["', '"])'), "more": ('>"', '"]')}
_ARROWS = {"support": "-.->", "more": "-.-"}
_CLASSES = {
    "goal": "fill:#ffe08a,stroke:#8a6d00,stroke-width:2px",
    "document": "fill:#fff3bf,stroke:#8a7a2a",
    "task": "fill:#ffffff,stroke:#888888",
    "organization": "fill:#e8f1fb,stroke:#1f5fa8",
    "more": "fill:#f5f5f5,stroke:#999999,stroke-dasharray:4 3,color:#555555",
}


def mermaid_text(text: str) -> str:
    """`text` safe inside a quoted Mermaid label; line breaks become <br/>."""
    for char, code in _ENTITIES:
        text = text.replace(char, code)
    return "<br/>".join(" ".join(line.split()) for line in text.split("\n"))


def to_mermaid(graph: CascadeGraph) -> str:
    ids = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    # The front matter is YAML; a JSON string is a valid YAML double-quoted scalar.
    lines = ["---", f"title: {json.dumps(graph.title, ensure_ascii=False)}", "---", "flowchart TD"]
    for node in graph.nodes:
        start, end = _SHAPES.get(node.kind, _SHAPES["more"])
        lines.append(f"    {ids[node.key]}{start}{mermaid_text(node.label)}{end}")
    for edge in graph.edges:
        arrow = _ARROWS.get(edge.relation, "-->")
        words = label("relations", edge.relation)
        text = f"|{mermaid_text(words)}|" if words and edge.relation != "has_task" else ""
        lines.append(f"    {ids[edge.source]} {arrow}{text} {ids[edge.target]}")
    for kind, style in _CLASSES.items():
        members = [ids[n.key] for n in graph.nodes if n.kind == kind]
        if members:
            lines.append(f"    classDef {kind} {style}")
            lines.append(f"    class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"
