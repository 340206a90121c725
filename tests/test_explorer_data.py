"""explorer/data.py: the CLI's data folder, and cache keys that change with the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import data
from graph.library import data_dir


def test_the_explorer_reads_the_clis_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIDAO_DATA", str(tmp_path / "lib"))
    assert data.data_directory() == data_dir(None) == tmp_path / "lib"
    assert data.library_version() is None and data.snapshot() is None  # nothing ingested: no library made
    assert not (tmp_path / "lib").exists()
    monkeypatch.delenv("CHIDAO_DATA")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data.data_directory() == tmp_path / "xdg" / "chidao"


def test_snapshot_follows_the_library_version(fresh_library, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.uploads import ingest_uploads

    monkeypatch.setenv("CHIDAO_DATA", str(fresh_library.path.parent))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    empty = data.snapshot()
    assert empty is not None and empty.version == 0 and not empty.records
    assert data.snapshot() is empty  # cached: the same object while the version stands
    seed = Path(__file__).resolve().parent.parent / "corpus" / "seeds" / "001_bd32b1ea4bdd5c5a.txt"
    ingest_uploads(fresh_library, [seed])
    after = data.snapshot()
    assert after is not empty and after.version == 1 and str(seed) in after.records
    assert data.question(after, "search", text="trung tam tin hoc", limit=5)
    assert data.backend().name == "embedded"


def test_parameters_make_a_stable_key() -> None:
    assert data._frozen({"b": [1, 2], "a": "x"}) == (("a", "x"), ("b", (1, 2)))


def test_the_library_is_read_once_and_corrections_reach_the_kept_record() -> None:
    from graph.corrections import Correction

    reads = []

    def records():
        for path in ("/a.txt", "/b.txt"):
            reads.append(path)
            yield {"source": {"path": path}, "document": {"ref": "1/KH-UBND"}, "tasks": []}

    fix = Correction(id=1, target="document", key="/b.txt", field="ref", value="2/KH-UBND", note=None,
                     created_at="2026-01-01")
    kept: dict = {}
    passed = list(data.kept_while_read(records(), [fix], kept))
    assert reads == ["/a.txt", "/b.txt"]  # one pass
    assert [r["document"]["ref"] for r in passed] == ["1/KH-UBND", "1/KH-UBND"]  # the build corrects its own
    assert kept["/a.txt"] is passed[0]
    assert kept["/b.txt"]["document"]["ref"] == "2/KH-UBND"
