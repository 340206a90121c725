"""`chidao who`, `cascade`, `lineage`, `org`, `due`, `findings`, `search` on a real library."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import chidao

SEED_001 = "corpus/seeds/001_bd32b1ea4bdd5c5a.txt"


@pytest.fixture(scope="module")
def data(sample_library) -> Path:
    return Path(sample_library.path).parent


def run(*args: str) -> Result:
    # NEO4J_URI would make Neo4j the default store (tests/test_cli_neo4j.py covers that).
    return CliRunner().invoke(chidao, list(args), env={"NEO4J_URI": None}, catch_exceptions=False)


def rows_of(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return json.loads(result.stdout)


def test_who_as_json(data: Path) -> None:
    rows = rows_of(run("who", "57.SOL.1", "--data", str(data), "--json"))
    seed = [r for r in rows if r["task_text"].startswith("Giao Trung tâm Tin học và Công báo")]
    assert {(r["organization"], r["role"]) for r in seed} >= {
        ("Trung tâm Tin học và Công báo tỉnh Lai Châu", "lead"),
        ("Trung tâm Phục vụ hành chính công tỉnh Lai Châu", "support")}


def test_who_as_a_table(data: Path) -> None:
    result = run("who", "57.SOL.1", "--data", str(data))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["goal", "organisation", "role"]
    assert any("Trung tâm Tin học và Công báo" in line for line in lines)


def test_who_prints_the_first_rows_and_says_there_are_more(data: Path) -> None:
    whole = rows_of(run("who", "57-NQ/TW", "--data", str(data), "--json", "--all"))
    assert len(whole) > 200  # the sample corpus answers more rows than the default shows
    cut = run("who", "57-NQ/TW", "--data", str(data), "--json")
    assert rows_of(cut) == whole[:200]
    assert "first 200 rows shown" in cut.stderr
    few = run("who", "57-NQ/TW", "--data", str(data), "--json", "--limit", "5")
    assert rows_of(few) == whole[:5]
    assert "--all" in few.stderr
    exact = run("who", "57-NQ/TW", "--data", str(data), "--json", "--limit", str(len(whole)))
    assert rows_of(exact) == whole
    assert exact.stderr == ""  # nothing was left out


def test_lineage_by_file(data: Path) -> None:
    rows = rows_of(run("lineage", SEED_001, "--data", str(data), "--json"))
    refs = {}
    for row in rows:
        refs.setdefault(row["path"], []).append(row["ref"])
    assert [None, "591-CV/TU", "57-NQ/TW"] in refs.values()
    table = run("lineage", SEED_001, "--data", str(data)).stdout
    assert "591-CV/TU" in table and "(inferred)" in table


def test_cascade_org_search_findings(data: Path) -> None:
    assert any(r["label"] == "95/KH-UBND" for r in rows_of(run("cascade", "69-CTr/TU", "--data", str(data), "--json")))
    assert rows_of(run("org", "so noi vu tinh lang son", "--data", str(data), "--json"))
    found = rows_of(run("search", "trung tam tin hoc", "--data", str(data), "--json", "--kind", "organization"))
    assert found[0]["label"].startswith("Trung tâm Tin học và Công báo")
    late = rows_of(run("findings", "--code", "deadline_before_issue", "--data", str(data), "--json"))
    assert {"2025-01-23", "2025-01-12"} <= {r["value"] for r in late}


def test_due_with_and_without_a_date(data: Path) -> None:
    rows = rows_of(run("due", "--as-of", "2026-01-10", "--within", "5", "--data", str(data), "--json"))
    assert rows and all("2026-01-10" <= r["due"] <= "2026-01-15" for r in rows)
    assert rows_of(run("due", "--as-of", "10/01/2026", "--within", "5", "--data", str(data), "--json")) == rows
    overdue = rows_of(run("due", "--as-of", "2025-02-01", "--overdue", "--data", str(data), "--json"))
    assert "2025-01-23" in {r["due"] for r in overdue}
    assert run("due", "--data", str(data)).exit_code == 0  # today, read at the edge


def test_unknown_targets_exit_1_with_one_line(data: Path) -> None:
    result = run("who", "99.NOPE", "--data", str(data))
    assert result.exit_code == 1 and "99.NOPE" in result.stderr
    assert run("org", "không có cơ quan này", "--data", str(data)).exit_code == 1


def test_a_missing_library_is_reported(tmp_path: Path) -> None:
    result = run("findings", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 1 and "no library" in result.stderr


def test_an_extra_catalog_folder_adds_goals(data: Path, tmp_path: Path) -> None:
    from test_goals import PROGRAMME
    (tmp_path / "999-NQ-CP.yaml").write_text(PROGRAMME, encoding="utf-8")
    result = run("cascade", "NQ999.1", "--data", str(data), "--catalog", str(tmp_path), "--json")
    assert rows_of(result)[0]["key"] == "NQ999.1"
    assert run("cascade", "NQ999.1", "--data", str(data)).exit_code == 1
