"""graph/library.py: where the library lives, its schema, transactions, reads and counts.

Real SQLite files in tmp_path throughout; `sample_library` (conftest) is the bundled
corpus ingested once per session and is only read here.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import chidao
from graph.library import FILENAME, SCHEMA_VERSION, Library, LibraryError, data_dir
from ingest.batch import find_sources, parse_batch
from ingest.fold import fold_key

REPO = Path(__file__).resolve().parent.parent
CORPUS = (REPO / "corpus" / "seeds", REPO / "corpus" / "sample")


def record_for(path: str, sha: str = "a" * 64, **document: Any) -> dict[str, Any]:
    return {"source": {"path": path, "sha256": sha}, "parser_version": "test",
            "document": {"kind": "cong_van", "number": None, "symbol": None, "ref": None, **document},
            "citations": [], "tasks": [{"id": "1", "text": "…", "lead": ["Sở Nội vụ"], "support": [],
                                        "deadline": None}]}


def dump(library: Library) -> list[str]:
    with sqlite3.connect(library.path) as db:
        return list(db.iterdump())


@pytest.mark.parametrize(("explicit", "environ", "expected"), [
    (Path("/srv/lib"), {"CHIDAO_DATA": "/env", "XDG_DATA_HOME": "/xdg"}, Path("/srv/lib")),
    (None, {"CHIDAO_DATA": "/env", "XDG_DATA_HOME": "/xdg"}, Path("/env")),
    (None, {"XDG_DATA_HOME": "/xdg", "HOME": "/home/an"}, Path("/xdg/chidao")),
    (None, {"XDG_DATA_HOME": "relative/xdg", "HOME": "/home/an"}, Path("/home/an/.local/share/chidao")),
    (None, {"XDG_DATA_HOME": "", "CHIDAO_DATA": "", "HOME": "/home/an"}, Path("/home/an/.local/share/chidao")),
], ids=["explicit-wins", "env-var", "xdg", "xdg-relative-ignored", "default"])
def test_data_dir_resolution(explicit: Path | None, environ: dict[str, str], expected: Path) -> None:
    assert data_dir(explicit, environ=environ) == expected


def test_data_dir_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHIDAO_DATA", str(tmp_path))
    assert data_dir(None) == tmp_path


def test_open_creates_the_schema_once(tmp_path: Path) -> None:
    with Library.open(tmp_path / "new" / "data") as library:
        assert library.path == tmp_path / "new" / "data" / FILENAME
        assert library.schema_version() == SCHEMA_VERSION
        assert library.version() == 0
        before = dump(library)
    with sqlite3.connect(tmp_path / "new" / "data" / FILENAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Library.open(tmp_path / "new" / "data") as again:  # migrations are idempotent
        assert dump(again) == before


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    Library.open(tmp_path).close()
    with sqlite3.connect(tmp_path / FILENAME) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(LibraryError, match="newer than this chidao"):
        Library.open(tmp_path)


def test_a_file_that_is_not_a_library_is_named(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(LibraryError, match=f"{FILENAME}: not a usable chidao library"):
        Library.open(tmp_path)


def test_readers_do_not_create_a_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no library here"):
        Library.open(tmp_path / "typo", create=False)
    assert not (tmp_path / "typo").exists()


def test_a_failed_transaction_leaves_everything_as_it_was(fresh_library: Library) -> None:
    with fresh_library.transaction() as writer:
        writer.put_document("/a.txt", record_for("/a.txt"))
    before, version = dump(fresh_library), fresh_library.version()
    with pytest.raises(KeyboardInterrupt), fresh_library.transaction() as writer:
        writer.put_document("/b.txt", record_for("/b.txt", "b" * 64))
        writer.record_failure("/c.txt", None, "test", "boom")
        raise KeyboardInterrupt
    assert dump(fresh_library) == before
    assert fresh_library.version() == version


def test_version_changes_on_every_commit_and_only_then(fresh_library: Library) -> None:
    with fresh_library.transaction():
        pass
    assert fresh_library.version() == 0
    with fresh_library.transaction() as writer:
        writer.put_document("/a.txt", record_for("/a.txt"))
    assert fresh_library.version() == 1
    fresh_library.add_correction("organization", "Sở KH&CN", "merge_into", "Sở Khoa học và Công nghệ")
    assert fresh_library.version() == 2
    fresh_library.remove_correction(1)
    assert fresh_library.version() == 3


def test_one_current_document_per_sha256(fresh_library: Library) -> None:
    with fresh_library.transaction() as writer:
        writer.put_document("/a.txt", record_for("/a.txt"))
    with pytest.raises(sqlite3.IntegrityError), fresh_library.transaction() as writer:
        writer.put_document("/copy.txt", record_for("/copy.txt"))
    assert [d.path for d in fresh_library.documents()] == ["/a.txt"]


def test_a_move_takes_the_record_and_its_corrections(fresh_library: Library) -> None:
    with fresh_library.transaction() as writer:
        writer.put_document("/old/a.txt", record_for("/old/a.txt", number=None))
    fresh_library.add_correction("document", "/old/a.txt", "number", "15")
    fresh_library.add_correction("task", "/old/a.txt#1", "lead", ["Sở Tư pháp"])
    fresh_library.add_correction("link", "/old/a.txt#1", "57.SOL.5", "confirmed")  # graph keys: untouched
    with fresh_library.transaction() as writer:
        writer.move_document("/old/a.txt", "/new/a.txt")
    assert [r["source"]["path"] for r in fresh_library.records()] == ["/new/a.txt"]
    keys = [c.key for c in fresh_library.corrections()]
    assert keys == ["/new/a.txt", "/new/a.txt#1", "/old/a.txt#1"]
    with sqlite3.connect(fresh_library.path) as db:  # the stored JSON follows too
        assert json.loads(db.execute("SELECT record FROM documents").fetchone()[0])["source"]["path"] == "/new/a.txt"


def test_failures_say_whether_an_earlier_record_is_kept(fresh_library: Library) -> None:
    with fresh_library.transaction() as writer:
        writer.put_document("/a.txt", record_for("/a.txt"))
        writer.record_failure("/a.txt", "c" * 64, "test", "no text in the document")
        writer.record_failure("/b.txt", None, "test", "cannot read the file")
    failures = {f["path"]: f for f in fresh_library.failures()}
    assert failures["/a.txt"]["has_record"] and not failures["/b.txt"]["has_record"]
    assert failures["/b.txt"]["reason"] == "cannot read the file"
    stats = fresh_library.stats()
    assert (stats["failed"], stats["failed_with_earlier_record"]) == (2, 1)


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=_TEXT, names=st.lists(_TEXT, max_size=4), number=st.none() | _TEXT)
def test_a_record_survives_the_round_trip(fresh_library: Library, subject: str, names: list[str],
                                          number: str | None) -> None:
    record = record_for("/round/trip.txt", subject=subject, number=number)
    record["tasks"][0]["support"] = names
    with fresh_library.transaction() as writer:
        writer.put_document("/round/trip.txt", record)
    assert fresh_library.record("/round/trip.txt") == record
    assert list(fresh_library.records()) == [record]


def test_sample_library_counts_match_the_parser(sample_library: Library) -> None:
    sources, _ = find_sources(CORPUS)
    records = [item.record for item in parse_batch(sources) if item.record]
    stats = sample_library.stats()
    assert stats["documents"] == len(sources) == len(records)
    assert stats["tasks"] == sum(len(r["tasks"]) for r in records)
    assert stats["citations"] == sum(1 for r in records for c in r["citations"] if c["ref"])
    assert stats["named_references"] == sum(1 for r in records for c in r["citations"] if not c["ref"])
    assert stats["organizations"] == len({fold_key(name) for r in records for t in r["tasks"]
                                          for name in t["lead"] + t["support"]})
    assert stats["failed"] == stats["corrections"] == 0
    assert set(stats["parser_versions"]) == {records[0]["parser_version"]}


def test_records_hold_the_contract_with_the_stored_path(sample_library: Library) -> None:
    stored = {d.path: d for d in sample_library.documents()}
    for record in sample_library.records():
        path = record["source"]["path"]
        assert Path(path).is_absolute() and path in stored
        assert record["source"]["sha256"] == stored[path].sha256
        assert {"document", "citations", "tasks", "parser_version"} <= set(record)


def test_stats_command_prints_a_table_and_json(sample_library: Library) -> None:
    data = str(sample_library.path.parent)
    table = CliRunner().invoke(chidao, ["stats", "--data", data])
    assert table.exit_code == 0, table.output
    assert "organisations named" in table.output and "documents" in table.output
    as_json = CliRunner().invoke(chidao, ["stats", "--data", data, "--json"])
    assert as_json.exit_code == 0
    counts = json.loads(as_json.stdout)
    assert counts["documents"] == sample_library.stats()["documents"]
    assert counts["version"] == sample_library.version()
    assert "stubs (cited, not ingested)" in table.output


def test_stats_count_what_the_graph_holds(sample_library: Library, sample_graph) -> None:
    from graph.model import SERVES

    data = str(sample_library.path.parent)
    counts = json.loads(CliRunner().invoke(chidao, ["stats", "--data", data, "--json"]).stdout)
    serves = [e for e in sample_graph.edges if e.type == SERVES]
    assert counts["stubs"] == sum(d.is_stub for d in sample_graph.documents.values()) > 0
    assert counts["goals"] == len(sample_graph.goals) >= 193
    assert counts["goal_links"] == len(serves) > 0
    assert sum(counts["goal_links_by_method"].values()) == len(serves)
    assert counts["organization_nodes"] == len(sample_graph.organizations)
    bare = json.loads(CliRunner().invoke(chidao, ["stats", "--data", data, "--json", "--no-graph"]).stdout)
    assert "stubs" not in bare and bare["documents"] == counts["documents"]


def test_stats_without_a_library_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(chidao, ["stats", "--data", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "chidao ingest" in result.stderr


def test_a_busy_library_is_reported_not_raised_raw(fresh_library: Library) -> None:
    other = sqlite3.connect(fresh_library.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another chidao in the middle of its batch
        fresh_library._db.execute("PRAGMA busy_timeout = 50")  # not the 30 s a real run waits
        with pytest.raises(LibraryError, match="busy"), fresh_library.transaction():
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert fresh_library.version() == 0
