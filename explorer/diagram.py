"""The cascade diagrams of a goal or a document: a static Graphviz drawing, layered top-down,
and an interactive graph (streamlit-agraph: vis.js, bundled in the package, so it works with
no internet) to pan, zoom and click. Both draw exports/cascade_graph.py's CascadeGraph:
capped lists end in a "còn N mục nữa" node, groups collapse by level or unit, and a node
expanded (clicked, or chosen below the graph) is opened one step further on the next build.

Clicking a document opens it on the Documents page; clicking a goal selects that goal;
clicking a "more" node or a collapsed group expands it.
"""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from queries import QueryError

from . import data
from .labels import t, term
from .ui import DOCUMENTS_PAGE, cascade_downloads, lang, safe_name

EDGE_COLOURS = {  # vis.js edge colour per relation (labels.yaml `relations` names them)
    "implements": "#1f6feb",
    "guides": "#8e44ad",
    "based_on": "#2ca02c",
    "amends": "#d62728",
    "replaces": "#d62728",
    "repeals": "#d62728",
    "attaches": "#7f7f7f",
    "mentions": "#b0b0b0",
    "has_task": "#9aa5b1",
    "lead": "#e67e22",
    "support": "#f5c28b",
    "more": "#cccccc",
}
OTHER_EDGE = "#888888"
KIND_STYLE = {  # vis.js node options per diagram node kind
    "goal": {"color": "#f4c542", "shape": "box"},
    "document": {"color": "#9ec5fe", "shape": "box"},
    "task": {"color": "#e9ecef", "shape": "box"},
    "organization": {"color": "#ffd7a8", "shape": "ellipse"},
    "more": {
        "color": "#ffffff",
        "shape": "box",
        "borderWidth": 2,
        "shapeProperties": {"borderDashes": [4, 4]},
    },
}
COLLAPSE_OPTIONS = (None, "level", "unit")


def _graph(
    snap: data.Snapshot,
    target: str,
    depth: int,
    max_children: int,
    collapse: str | None,
    expand: tuple[str, ...],
) -> Any:
    return data.table(
        snap,
        "cascade_graph",
        target=target,
        depth=depth,
        max_children=max_children,
        collapse=collapse,
        expand=expand,
    )


def draw_diagram(
    snap: data.Snapshot, target: str, *, key: str, depth: int = 3, max_children: int = 12
) -> None:
    L = lang()
    state = st.session_state
    expand_key = f"{key}_expand"
    state.setdefault(expand_key, [])
    # Collapsed by level at first: a whole cascade drawn at once is a hairball.
    collapse = st.radio(
        t("goals.collapse", L),
        COLLAPSE_OPTIONS,
        index=1,
        key=f"{key}_collapse",
        horizontal=True,
        format_func=lambda c: t(f"goals.collapse_{c or 'none'}", L),
    )
    from exports import ExportError

    try:
        graph = _graph(snap, target, depth, max_children, collapse, tuple(state[expand_key]))
    except (ExportError, QueryError) as exc:  # the diagram's trouble, not the page's: say it, go on
        st.warning(t("goals.diagram_unavailable", L, error=exc))
        return

    from exports.formats import render_cascade

    try:  # drawn by Graphviz here
        svg = render_cascade(graph, "svg").decode("utf-8")
    except ExportError:  # no `dot` on this machine: the browser draws the DOT (Graphviz in WebAssembly)
        st.graphviz_chart(render_cascade(graph, "dot").decode("utf-8"), width="stretch")
    else:
        st.image(_inline(svg))
    cascade_downloads(graph, key=f"{key}_cascade_dl", name=f"chuoi-{safe_name(target)}")

    st.markdown(f"**{t('goals.interactive', L)}**")
    clicked = _interactive(graph)
    if clicked and clicked != state.get(f"{key}_last_click"):
        state[f"{key}_last_click"] = clicked
        _follow(graph, clicked, key)

    expandable = [n for n in graph.nodes if n.expandable and n.key not in state[expand_key]]
    if expandable:
        pick, go = st.columns([5, 1], vertical_alignment="bottom")
        labels = {n.key: n.label.replace("\n", " ")[:120] for n in expandable}
        chosen = pick.selectbox(
            t("goals.expand", L),
            list(labels),
            index=None,
            key=f"{key}_expand_pick",
            format_func=labels.get,
            placeholder=t("goals.expand", L),
        )
        if go.button(t("goals.expand_button", L), key=f"{key}_expand_go", disabled=chosen is None) and chosen:
            state[expand_key] = [*state[expand_key], chosen]
            st.rerun()
    if state[expand_key] and st.button(t("goals.reset_expand", L), key=f"{key}_expand_reset"):
        state[expand_key] = []
        st.rerun()


def _interactive(graph: Any) -> str | None:
    from streamlit_agraph import Config, Edge, Node, agraph

    nodes = []
    for n in graph.nodes:
        node = Node(
            id=n.key,
            label=_short(n.label),
            size=18,
            font={"size": 13, "face": "DejaVu Sans"},
            widthConstraint={"maximum": 240},
            **KIND_STYLE.get(n.kind, {}),
        )
        # No title: the component puts a title into innerHTML (a document's words would be
        # markup) and opens it as a URL on a double click.
        node.title = None
        nodes.append(node)
    # Colours, not labels: vis.js draws an edge's label across the middle of the edge, where
    # the next node often sits and hides it. The legend under the graph names the colours.
    edges = [
        Edge(source=e.source, target=e.target, color=EDGE_COLOURS.get(e.relation or "", OTHER_EDGE), width=2)
        for e in graph.edges
    ]
    config = Config()
    # The vis.js options, whole: Config() adds its keyword arguments at the top level, where
    # vis.js rejects them, and a "groups": null it also rejects.
    config.__dict__ = {
        "height": "620px",
        "width": "100%",
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {
            "hierarchical": {
                "enabled": True,
                "direction": "UD",
                "sortMethod": "directed",
                "levelSeparation": 130,
                "nodeSpacing": 230,
                "treeSpacing": 260,
                "shakeTowards": "roots",
            }
        },
        "interaction": {"navigationButtons": True, "zoomView": True, "dragView": True, "hover": True},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "smooth": False},
    }
    clicked = agraph(nodes=nodes, edges=edges, config=config)
    st.html(edge_legend({e.relation or "" for e in graph.edges}, lang()))
    return clicked


def edge_legend(relations: set[str], lang_: str) -> str:
    """One coloured line per relation drawn, in EDGE_COLOURS' order, with its name."""
    items = [
        f'<span style="display:inline-block;margin-right:1rem">'
        f'<span style="display:inline-block;width:1.6rem;height:3px;background:{colour};'
        f'vertical-align:middle;margin-right:.3rem"></span>{html.escape(term("relations", relation, lang_))}</span>'
        for relation, colour in EDGE_COLOURS.items()
        if relation in relations
    ]
    return f'<div style="font-size:.85rem;color:#444">{"".join(items)}</div>' if items else ""


def _inline(svg: str) -> str:
    """An SVG document as inline markup: without its XML prolog and DOCTYPE."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _short(label: str, width: int = 70) -> str:
    text = " ".join(label.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _follow(graph: Any, clicked: str, key: str) -> None:
    """What a click does: open a document, select a goal, expand a group or a "more" node."""
    node = next((n for n in graph.nodes if n.key == clicked), None)
    if node is None:
        return
    state = st.session_state
    if node.expandable or node.kind == "more":
        state[f"{key}_expand"] = [*state[f"{key}_expand"], node.key]
        st.rerun()
    elif node.kind == "document":
        state["selected_doc"], state["selected_task"] = node.key, None
        st.switch_page(DOCUMENTS_PAGE)
    elif node.kind == "task":
        task = data.snapshot().store.node(node.key) if data.snapshot() else None
        if task:
            state["selected_doc"], state["selected_task"] = task["doc_key"], node.key
            st.switch_page(DOCUMENTS_PAGE)
    elif node.kind == "goal" and node.key != graph.target:
        state["goals_pending"] = node.key
        st.switch_page("app_pages/goals.py")
