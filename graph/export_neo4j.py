"""The whole graph for Neo4j without a live connection: CSV for neo4j-admin, or a Cypher script.

CSV (`write_import_csv`) is for `neo4j-admin database import full`, the offline bulk
importer, into an empty (or overwritten) database:

- one node file per label, `nodes/<Label>.csv`, and one ID space per label: the id column is
  `key:ID(<Label>)`, so two labels may share a key and each relationship file says which
  labels it joins (`:START_ID(Document)`, `:END_ID(Organization)`). A `:LABEL` column makes
  each file self-describing;
- one relationship file per type and pair of labels, `relationships/<TYPE>.<Start>.<End>.csv`,
  with `:START_ID`, `:END_ID`, `:TYPE` and the edge's properties;
- typed columns: `:long`, `:double`, `:boolean`, `:string[]` (`long` and `double`, not `int`
  and `float`, because that is what the driver stores for a Python int or float, so a bulk
  import and `chidao sync` give the same property types); text may span lines, hence
  `--multiline-fields=true`; lists are joined with `;` unless some item holds one;
- `import.args`, the importer's options one per line, usable as `neo4j-admin @import.args`
  from inside DIR, and `schema.cypher`, the constraints and fulltext index to create once the
  database is started (the importer makes neither).

The Cypher script (`write_cypher_script`) brings any database, empty or not, to this graph,
and can be run again: constraints `IF NOT EXISTS`, then `UNWIND $rows AS row MERGE …` per
batch, then the deletion of what an earlier load or sync wrote and this graph no longer
holds. Each batch is a `:param {rows: [...]}` line followed by a statement that is the same
text for every batch of a label: the values stay data, never part of a statement (the
statement is compiled once and its plan cached), and the file is what `cypher-shell -f`
reads. The values in a `:param` line are still Cypher literals, escaped by `cypher_literal`.
`run_cypher_script` plays such a file through the driver, as cypher-shell does.
"""
from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .model import REL_TYPES, GraphModel
from .neo4j_rows import (
    EXTRA_NODE_PROPERTIES,
    RECORDS,
    SYNC_PROPERTY,
    RelGroup,
    batches,
    node_rows,
    relationship_rows,
)
from .store_neo4j import (
    DELETE_STALE_NODES,
    DELETE_STALE_RELATIONSHIPS,
    constraint_statements,
    merge_nodes_query,
    merge_relationships_query,
)

ARRAY_DELIMITERS = (";", "|", "¦", "\u001f")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, slots=True)
class ImportFiles:
    """What write_import_csv wrote, and the importer options that load it."""

    directory: Path
    node_files: dict[str, Path]  # label → file
    relationship_files: dict[RelGroup, Path]
    array_delimiter: str
    nodes: dict[str, int]
    relationships: dict[str, int]

    def import_args(self, base: Path | None = None) -> list[str]:
        """Options for `neo4j-admin database import full <database>`, paths under `base`."""
        base = self.directory if base is None else base
        args = [f"--nodes={base / path.relative_to(self.directory)}" for path in self.node_files.values()]
        args += [f"--relationships={base / path.relative_to(self.directory)}"
                 for path in self.relationship_files.values()]
        args += ["--multiline-fields=true", f"--array-delimiter={self.array_delimiter}"]
        return args


def _column_type(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "string"
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "double"
    if all(isinstance(v, list) for v in present):
        items = [item for v in present for item in v]
        if items and all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            return "long[]"
        return "string[]"
    return "string"


def _cell(value: Any, kind: str, delimiter: str) -> str:
    """One CSV field. The importer reads an empty field as no property and a quoted empty
    field as the empty string, so None and "" stay apart (an empty list has no CSV form and
    is left out; the reader gives back the record's default)."""
    if value is None or (isinstance(value, list) and not value):
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind.endswith("[]"):
        return _quote(delimiter.join(str(item) for item in value))
    if kind == "string" and not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    if isinstance(value, str):
        return _quote(value)
    return repr(value) if isinstance(value, float) else str(value)


def _quote(text: str) -> str:
    if text and text == text.strip() and not any(c in text for c in ',"\n\r'):
        return text
    return '"' + text.replace('"', '""') + '"'


def _array_delimiter(rows: Iterable[dict[str, Any]]) -> str:
    items = {str(item) for row in rows for value in row.values() if isinstance(value, list) for item in value}
    for delimiter in ARRAY_DELIMITERS:
        if not any(delimiter in item for item in items):
            return delimiter
    raise ValueError("every array delimiter the importer could use occurs in some list value")


def _write_csv(path: Path, header: list[str], lines: Iterable[list[str]]) -> None:
    """Fields already quoted by _cell (the csv module cannot tell None from "")."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(_quote(name) for name in header) + "\n")
        out.writelines(",".join(line) + "\n" for line in lines)


def write_import_csv(model: GraphModel, directory: Path, sync_id: str | None = None) -> ImportFiles:
    """Write the node and relationship CSVs, import.args and schema.cypher into `directory`."""
    sync_id = sync_id or f"import-{time.strftime('%Y%m%dT%H%M%S')}"
    nodes = node_rows(model, sync_id)
    groups, _skipped = relationship_rows(model, sync_id)
    every_row = [row for rows in nodes.values() for row in rows] + \
                [row["props"] for rows in groups.values() for row in rows]
    delimiter = _array_delimiter(every_row)
    node_files: dict[str, Path] = {}
    for label, rows in nodes.items():
        columns = [f.name for f in fields(RECORDS[label]) if f.name != "key"] + list(EXTRA_NODE_PROPERTIES[label])
        kinds = {name: _column_type([row.get(name) for row in rows]) for name in columns}
        header = [f"key:ID({label})"] + [f"{name}:{kinds[name]}" for name in columns] + [":LABEL"]
        path = directory / "nodes" / f"{label}.csv"
        lines = ([_quote(row["key"]), *(_cell(row.get(n), kinds[n], delimiter) for n in columns), label]
                 for row in rows)
        _write_csv(path, header, lines)
        node_files[label] = path
    rel_files: dict[RelGroup, Path] = {}
    rel_counts = dict.fromkeys(REL_TYPES, 0)
    for group, rows in groups.items():
        columns = sorted({name for row in rows for name in row["props"]})
        kinds = {name: _column_type([row["props"].get(name) for row in rows]) for name in columns}
        header = [f":START_ID({group.start})", f":END_ID({group.end})", ":TYPE"] + \
                 [f"{name}:{kinds[name]}" for name in columns]
        path = directory / "relationships" / f"{group.type}.{group.start}.{group.end}.csv"
        _write_csv(path, header, ([_quote(row["source"]), _quote(row["target"]), group.type,
                                   *(_cell(row["props"].get(n), kinds[n], delimiter) for n in columns)]
                                  for row in rows))
        rel_files[group] = path
        rel_counts[group.type] += len(rows)
    files = ImportFiles(directory, node_files, rel_files, delimiter,
                        {label: len(rows) for label, rows in nodes.items()}, rel_counts)
    relative = files.import_args(Path("."))
    (directory / "import.args").write_text(
        "\n".join(["database", "import", "full", "neo4j", *relative]) + "\n", encoding="utf-8")
    (directory / "schema.cypher").write_text(
        "".join(f"{statement};\n" for statement in constraint_statements()), encoding="utf-8")
    return files


# -- the Cypher script -------------------------------------------------------------------

def cypher_literal(value: Any) -> str:
    """`value` as a Cypher literal: strings quoted and escaped, maps with quoted keys."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{value} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        return "'" + _escape(value) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_map_key(str(k))}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")  # a control character would end the :param line
        else:
            out.append(char)
    return "".join(out)


def _map_key(key: str) -> str:
    return key if _IDENTIFIER.match(key) else "`" + key.replace("`", "``") + "`"


def cypher_script(model: GraphModel, batch_size: int = 1000, sync_id: str | None = None) -> Iterator[str]:
    """The lines of the script, each ending in a newline."""
    sync_id = sync_id or f"script-{time.strftime('%Y%m%dT%H%M%S')}"
    yield "// chidao graph as Cypher; idempotent: running it again leaves the same graph.\n"
    yield "// Run with: cypher-shell -a <uri> -u <user> -d <database> -f <this file>\n"
    yield "// Each ':param {...}' line sets $rows (or $sync) for the statement after it.\n"
    for statement in constraint_statements():
        yield f"{statement};\n"
    yield "CALL db.awaitIndexes(300);\n"
    nodes = node_rows(model, sync_id)
    groups, _skipped = relationship_rows(model, sync_id)
    for label, rows in nodes.items():
        for batch in batches(rows, batch_size):
            yield f":param {{rows: {cypher_literal(batch)}}}\n"
            yield f"{merge_nodes_query(label)};\n"
    for group, rows in groups.items():
        for batch in batches(rows, batch_size):
            yield f":param {{rows: {cypher_literal(batch)}}}\n"
            yield f"{merge_relationships_query(group)};\n"
    yield f"// Delete what an earlier load wrote ({SYNC_PROPERTY} set) and this graph does not hold.\n"
    yield f":param {{sync: {cypher_literal(sync_id)}, limit: {2 ** 62}}}\n"
    yield f"{DELETE_STALE_RELATIONSHIPS};\n"
    yield f"{DELETE_STALE_NODES};\n"


def write_cypher_script(model: GraphModel, path: Path, batch_size: int = 1000,
                        sync_id: str | None = None) -> int:
    """Write the script to `path`; return the number of statements."""
    statements = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in cypher_script(model, batch_size, sync_id):
            out.write(line)
            statements += line.endswith(";\n")
    return statements


def script_commands(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """("param", map text) and ("cypher", statement) from a script's lines, in order."""
    pending: list[str] = []
    for raw in lines:
        line = raw.rstrip("\n")
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("//")):
            continue
        if not pending and stripped.startswith(":param"):
            yield "param", stripped[len(":param"):].strip()
            continue
        pending.append(line)
        if stripped.endswith(";"):
            yield "cypher", "\n".join(pending).strip()[:-1]
            pending = []
    if pending:
        yield "cypher", "\n".join(pending).strip()


def run_cypher_script(driver: Any, path: Path, database: str | None = None) -> int:
    """Play a script from cypher_script through the driver, as `cypher-shell -f` would.

    A `:param {…}` line is read here, as cypher-shell evaluates it on the client: having
    the server evaluate `RETURN {…}` compiles the literal, at about 50 kB/s. Each statement
    runs in its own auto-commit transaction. Returns the number of statements run.
    """
    params: dict[str, Any] = {}
    statements = 0
    with open(path, encoding="utf-8") as lines, driver.session(database=database) as session:
        for kind, text in script_commands(lines):
            if kind == "param":
                value = parse_cypher_literal(text)
                if not isinstance(value, dict):
                    raise ValueError(f"{path}: ':param' wants a map, not {text[:40]}")
                params.update(value)
            else:
                session.run(text, params).consume()
                statements += 1
    return statements


_TOKEN = re.compile(r"""\s*(?:(?P<punct>[{}\[\],:])|(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
                    r"""|(?P<num>-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)|(?P<tick>`(?:[^`]|``)*`)"""
                    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_]*))""", re.DOTALL)
_UNESCAPE = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def parse_cypher_literal(text: str) -> Any:
    """The value of a Cypher literal made of maps, lists, strings, numbers, booleans and null.

    The subset cypher_literal writes; anything else (an expression, a function call) is a
    ValueError naming where it stopped.
    """
    tokens = [(m.lastgroup, m.group(m.lastgroup or 0), m.start()) for m in _tokens(text)]
    value, end = _parse_value(tokens, 0, text)
    if end != len(tokens):
        raise ValueError(f"unexpected {tokens[end][1]!r} at {tokens[end][2]} in a Cypher literal")
    return value


def _tokens(text: str) -> Iterator[re.Match[str]]:
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            return
        match = _TOKEN.match(text, pos)
        if match is None or not match.lastgroup:
            raise ValueError(f"not a Cypher literal at {pos}: {text[pos:pos + 30]!r}")
        yield match
        pos = match.end()


def _parse_value(tokens: list[tuple[str | None, str, int]], i: int, text: str) -> tuple[Any, int]:
    if i >= len(tokens):
        raise ValueError("a Cypher literal ends too early")
    kind, token, _pos = tokens[i]
    if kind == "str":
        return _unquote(token), i + 1
    if kind == "num":
        number = float(token) if any(c in token for c in ".eE") else int(token)
        return number, i + 1
    if kind == "word" and token.lower() in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[token.lower()], i + 1
    if token == "[":
        items: list[Any] = []
        i += 1
        while tokens[i][1] != "]":
            item, i = _parse_value(tokens, i, text)
            items.append(item)
            i = _expect(tokens, i, (",", "]"))
        return items, i + 1
    if token == "{":
        out: dict[str, Any] = {}
        i += 1
        while tokens[i][1] != "}":
            key_kind, key, _ = tokens[i]
            if key_kind == "word":
                name = key
            elif key_kind == "tick":
                name = key[1:-1].replace("``", "`")
            else:
                raise ValueError(f"not a map key: {key!r}")
            i = _expect(tokens, i + 1, (":",)) + 1
            out[name], i = _parse_value(tokens, i, text)
            i = _expect(tokens, i, (",", "}"))
        return out, i + 1
    raise ValueError(f"not a literal: {token!r} at {tokens[i][2]}")


def _expect(tokens: list[tuple[str | None, str, int]], i: int, allowed: tuple[str, ...]) -> int:
    if i >= len(tokens) or tokens[i][1] not in allowed:
        found = tokens[i][1] if i < len(tokens) else "the end"
        raise ValueError(f"expected {' or '.join(allowed)}, found {found!r}")
    return i + 1 if tokens[i][1] == "," else i


def _unquote(token: str) -> str:
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _UNESCAPE:
            out.append(_UNESCAPE[nxt])
            i += 2
        elif nxt in "uU":
            width = 4 if nxt == "u" else 8
            out.append(chr(int(body[i + 2:i + 2 + width], 16)))
            i += 2 + width
        else:
            raise ValueError(f"unknown escape \\{nxt} in a Cypher string")
    return "".join(out)
