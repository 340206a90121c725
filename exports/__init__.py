"""Exports: a cascade as a diagram (SVG, PNG, PDF, DOT, Mermaid, GraphML, JSON node-link) and
task tables (CSV, XLSX), for the CLI's `chidao export cascade|tasks` and the explorer's
download buttons.

    cascade_graph.py   store → CascadeGraph (pure: what is drawn, capped and collapsed)
    formats.py         CascadeGraph → bytes, one format at a time
    dot.py mermaid.py  the two text formats written here
    tables.py          store → task rows → CSV / XLSX bytes
    labels.py          the Vietnamese words of every export, read from labels.yaml
"""
from __future__ import annotations

from ingest.errors import ChidaoError


class ExportError(ChidaoError):
    """An export that cannot be made: a missing tool, an unknown format; the message says the fix."""
