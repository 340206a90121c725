"""graph/corrections.py and `chidao correct` / `chidao corrections`: curated fixes are
validated, kept apart from parser output, and re-applied after every re-ingest.
"""
from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import ingest.pipeline
from cli import chidao
from graph.corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    effective_corrections,
    link_decisions,
    organization_merges,
    parse_date,
    superseded_by,
    validate_correction,
    would_cycle,
)
from graph.ingestion import ingest_files
from graph.library import Library
from ingest.batch import find_sources
from ingest.fold import fold_key

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "corpus" / "seeds"
LETTER = "a05_snv_cv_boi_duong_ky_nang_so.txt"  # tasks 2, 3, 4, 5; 2 and 3 each a heading and its paragraph
NO_NUMBER = "001_bd32b1ea4bdd5c5a.txt"  # "Số:    /…": number and ref blank


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(chidao, [str(a) for a in args], catch_exceptions=False)


def correction(id: int, target: str, key: str, field: str, value: Any) -> Correction:
    return Correction(id, target, key, field, value, None, "2026-01-01T00:00:00+00:00")


def record() -> dict[str, Any]:
    return {"source": {"path": "/lib/kh.txt", "sha256": "0" * 64}, "parser_version": "test",
            "document": {"kind": "ke_hoach", "number": None, "symbol": "KH-UBND", "ref": None,
                         "issuer": "UBND tỉnh", "date": "2025-03-01", "confidence": {"number": 0.0}},
            "citations": [],
            "tasks": [{"id": "1", "lead": ["Sở Nội vụ"], "support": [], "deadline": None, "period": None,
                       "implicit_lead": True},
                      {"id": "1.1", "lead": [], "support": ["Sở Tài chính"], "deadline": None,
                       "period": {"start": "2026-01-01", "end": "2026-03-31"}}]}


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    for source in (REPO / "corpus" / "sample" / LETTER, SEEDS / NO_NUMBER):
        shutil.copy(source, folder / source.name)
    return folder


@pytest.fixture
def library(tmp_path: Path, letters: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "data") as opened:
        ingest_files(opened, find_sources([letters])[0])
        yield opened


def task_ids(library: Library, path: Path) -> list[str]:
    record = library.record(str(path.resolve()))
    assert record is not None
    return [task["id"] for task in record["tasks"]]


@pytest.mark.parametrize(("target", "key", "field", "value", "message"), [
    ("task", "/a.txt#1", "owner", ["X"], "unknown task field 'owner'"),
    ("document", "/a.txt", "numbr", "15", "unknown document field 'numbr'"),
    ("doc", "/a.txt", "number", "15", "unknown correction target 'doc'"),
    ("task", "/a.txt#1", "deadline", "2026-02-30", "not a real date"),
    ("task", "/a.txt#1", "deadline", "next Friday", "is not a date"),
    ("task", "/a.txt#1", "deadline", "2026-01", "needs a day"),
    ("task", "/a.txt", "lead", ["X"], "SOURCE_PATH#TASK_ID"),
    ("task", "/a.txt#1", "lead", ["  "], "at least one organisation"),
    ("document", "/a.txt", "kind", "letter", "unknown kind 'letter'"),
    ("document", "/a.txt", "date", "31/13/2025", "not a real date"),
    ("organization", "Sở KH&CN", "merge_into", "SỞ KH&CN", "already the same name"),
    ("link", "doc#1", "SOL 5", "confirmed", "not a goal id"),
    ("link", "doc#1", "57.SOL.5", "maybe", "'confirmed' or 'rejected'"),
], ids=["task-field", "document-field", "target", "impossible-date", "not-a-date", "deadline-without-day",
        "task-without-id", "empty-lead", "kind", "dmy-month-13", "same-org", "goal-id", "link-status"])
def test_validation_names_the_problem(target: str, key: str, field: str, value: Any, message: str) -> None:
    with pytest.raises(CorrectionError, match=message):
        validate_correction(target, key, field, value)


@pytest.mark.parametrize(("text", "iso"), [("2026-01-23", "2026-01-23"), ("23/01/2026", "2026-01-23"),
                                           ("3/1/2026", "2026-01-03"), ("2026-06", "2026-06"), ("2026", "2026")],
                         ids=["iso", "dmy", "dmy-short", "month", "year"])
def test_dates_become_iso(text: str, iso: str) -> None:
    assert parse_date(text, "date") == iso


def test_names_are_cleaned() -> None:
    cleaned = validate_correction("task", "/a.txt#1", "lead", ["Sở  Nội vụ", "Sở Nội vụ", "Sở Tư pháp "])
    assert cleaned == ("/a.txt#1", "lead", ("Sở Nội vụ", "Sở Tư pháp"))
    assert validate_correction("document", "/a.txt", "ref", "15 / kh-ubnd")[2] == "15/KH-UBND"


def test_apply_corrections_is_pure_and_marks_what_changed() -> None:
    original = record()
    kept = copy.deepcopy(original)
    fixes = [correction(1, "task", "/lib/kh.txt#1", "lead", ("Sở Tư pháp",)),
             correction(2, "task", "/lib/kh.txt#1.1", "deadline", "2026-01-23"),
             correction(3, "document", "/lib/kh.txt", "date", "2025-03-02"),
             correction(4, "task", "/other.txt#1", "lead", ("Not mine",))]
    out = apply_corrections(original, fixes)
    assert original == kept
    assert out["tasks"][0]["lead"] == ["Sở Tư pháp"] and out["tasks"][0]["implicit_lead"] is False
    assert out["tasks"][1]["deadline"] == "2026-01-23" and out["tasks"][1]["period"] is None
    assert out["tasks"][1]["corrected"] == ["deadline"]
    assert out["document"]["date"] == "2025-03-02"
    assert [(c["id"], c["field"], c["was"]) for c in out["corrected"]] == [
        (1, "lead", ["Sở Nội vụ"]), (2, "deadline", None), (3, "date", "2025-03-01")]
    assert out["stale_corrections"] == []
    assert apply_corrections(out, []) == {**out, "corrected": [], "stale_corrections": []}


def test_the_latest_correction_of_a_field_wins() -> None:
    fixes = [correction(2, "task", "/lib/kh.txt#1", "lead", ("Second",)),
             correction(1, "task", "/lib/kh.txt#1", "lead", ("First",))]
    assert apply_corrections(record(), fixes)["tasks"][0]["lead"] == ["Second"]
    assert superseded_by(fixes) == {1: 2}
    assert [c.id for c in effective_corrections(fixes)] == [2]


def test_a_number_gives_the_ref_when_the_symbol_is_known() -> None:
    out = apply_corrections(record(), [correction(1, "document", "/lib/kh.txt", "number", "15")])
    assert (out["document"]["number"], out["document"]["ref"]) == ("15", "15/KH-UBND")
    assert out["document"]["confidence"]["number"] == 1.0
    party = record()
    party["document"]["symbol"] = "CV/TU"
    assert apply_corrections(party, [correction(1, "document", "/lib/kh.txt", "number", "591")]
                             )["document"]["ref"] == "591-CV/TU"


def test_every_task_sharing_the_id_is_corrected() -> None:
    shared = record()
    shared["tasks"][1]["id"] = "1"  # a heading and its unnumbered paragraph, as the parser gives them
    out = apply_corrections(shared, [correction(1, "task", "/lib/kh.txt#1", "deadline", "2026-05-01")])
    assert [t["deadline"] for t in out["tasks"]] == ["2026-05-01", "2026-05-01"]


def test_a_task_that_is_gone_is_reported_stale() -> None:
    out = apply_corrections(record(), [correction(7, "task", "/lib/kh.txt#9.9", "lead", ("X",))])
    assert out["stale_corrections"] == [7] and out["corrected"] == []


def test_merges_follow_chains_and_refuse_cycles() -> None:
    merges = [correction(1, "organization", "Sở KH&CN", "merge_into", "Sở Khoa học và Công nghệ"),
              correction(2, "organization", "Sở Khoa học và Công nghệ", "merge_into",
                         "Sở Khoa học và Công nghệ tỉnh Lai Châu")]
    assert organization_merges(merges)["so kh&cn"] == "Sở Khoa học và Công nghệ tỉnh Lai Châu"
    assert would_cycle(merges, "Sở Khoa học và Công nghệ tỉnh Lai Châu", "so kh&cn")
    assert not would_cycle(merges, "Sở KHCN", "Sở KH&CN")


def test_link_decisions_keep_the_latest() -> None:
    links = [correction(1, "link", "k#1", "57.SOL.5", "confirmed"), correction(2, "link", "k#1", "57.SOL.5",
                                                                                "rejected")]
    assert link_decisions(links) == {("k#1", "57.SOL.5"): "rejected"}


def test_the_library_refuses_what_it_does_not_hold(library: Library, letters: Path) -> None:
    listed = ", ".join(dict.fromkeys(task_ids(library, letters / LETTER)))
    with pytest.raises(CorrectionError, match=rf"no task '9\.9' in .*a05.*its tasks: {listed}"):
        library.add_correction("task", f"{letters / LETTER}#9.9", "lead", ["X"])
    with pytest.raises(CorrectionError, match=f"did you mean {letters.resolve() / LETTER}"):
        library.add_correction("document", f"/elsewhere/{LETTER}", "number", "15")
    assert library.corrections() == []


def test_a_relative_path_is_stored_as_the_library_knows_it(library: Library, letters: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(letters)
    (added,) = library.add_corrections("document", NO_NUMBER, {"number": "15"}, note="  blank  in the scan ")
    assert added.key == str((letters / NO_NUMBER).resolve()) and added.note == "blank in the scan"


def test_a_correction_survives_a_reingest_with_a_new_parser(library: Library, letters: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    task_key = f"{(letters / LETTER).resolve()}#4"
    library.add_correction("task", task_key, "lead", ["Sở Nội vụ", "Sở Tư pháp"], note="typo in the letter")
    monkeypatch.setattr(ingest.pipeline, "PARSER_VERSION", "99.0.0-test")
    report = ingest_files(library, find_sources([letters])[0])
    assert report.counts["updated"] == 2
    (corrected,) = [r for r in library.corrected_records() if r["source"]["path"] == task_key.split("#")[0]]
    assert corrected["parser_version"] == "99.0.0-test"
    (task,) = [t for t in corrected["tasks"] if t["id"] == "4"]
    assert task["lead"] == ["Sở Nội vụ", "Sở Tư pháp"] and task["corrected"] == ["lead"]
    listed = json.loads(run("corrections", "--data", library.path.parent, "--json").stdout)
    assert [(c["key"], c["value"], c["status"]) for c in listed] == [
        (task_key, ["Sở Nội vụ", "Sở Tư pháp"], "in force")]


def test_stats_count_organisations_after_corrections_and_merges(library: Library, letters: Path) -> None:
    key = f"{(letters / LETTER).resolve()}#4"
    library.add_correction("task", key, "lead", ["Một đơn vị chưa ai nhắc tới"])
    library.add_correction("task", key, "support", ["Một đơn vị khác"])
    counted = library.stats()["organizations"]
    assert counted == len(_organisations(library))
    library.add_correction("organization", "Một đơn vị khác", "merge_into", "Một đơn vị chưa ai nhắc tới")
    assert library.stats()["organizations"] == counted - 1 == len(_organisations(library))
    assert library.stats()["corrections"] == 3


def _organisations(library: Library) -> set[str]:
    """The same count the slow way: corrected records, then merges, folded."""
    merges = organization_merges(library.corrections())
    return {fold_key(merges.get(fold_key(name), name)) for rec in library.corrected_records()
            for task in rec["tasks"] for name in task["lead"] + task["support"]}


def test_correct_commands_record_list_and_undo(library: Library, letters: Path) -> None:
    data = library.path.parent
    letter = letters / LETTER
    done = run("correct", "task", f"{letter}#4", "--lead", "Sở Nội vụ", "--lead", "Sở Tư pháp",
               "--deadline", "2026-01-23", "--note", "typo in the letter", "--data", data)
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[0].startswith("recorded #1: task ")
    shared = task_ids(library, letter).count("4")
    assert (f"{shared} tasks of" in done.stderr) == (shared > 1)  # a heading and its paragraph
    assert run("correct", "document", letters / NO_NUMBER, "--number", "15", "--data", data).exit_code == 0
    assert run("correct", "--data", data, "merge-org", "Sở KH&CN tỉnh Lai Châu",
               "Sở Khoa học và Công nghệ tỉnh Lai Châu").exit_code == 0
    assert run("correct", "link", "kh#1", "57.SOL.5", "--confirm", "--data", data).exit_code == 0
    assert run("correct", "link", "kh#1", "57.SOL.5", "--reject", "--data", data).exit_code == 0
    listed = json.loads(run("corrections", "--data", data, "--json").stdout)
    assert [(c["id"], c["target"], c["field"]) for c in listed] == [
        (1, "task", "lead"), (2, "task", "deadline"), (3, "document", "number"),
        (4, "organization", "merge_into"), (5, "link", "57.SOL.5"), (6, "link", "57.SOL.5")]
    assert listed[4]["status"] == "superseded by #6"
    table = run("corrections", "--data", data, "--target", "link")
    assert table.stdout.count("link kh#1") == 2 and "superseded by #6" in table.stdout
    assert run("correct", "--undo", "6", "--data", data).stdout.startswith("removed #6: link")
    assert run("corrections", "--remove", "5", "--data", data).exit_code == 0
    assert [c["id"] for c in json.loads(run("corrections", "--data", data, "--json").stdout)] == [1, 2, 3, 4]
    record = next(r for r in library.corrected_records() if r["source"]["path"].endswith(NO_NUMBER))
    assert record["document"]["number"] == "15"


@pytest.mark.parametrize("args", [
    ["correct"],
    ["correct", "task", "x#1"],
    ["correct", "link", "kh#1", "57.SOL.5"],
    ["correct", "document", "x.txt"],
    ["correct", "--undo", "1", "task", "x#1", "--lead", "A"],
], ids=["nothing", "no-field", "no-decision", "no-document-field", "undo-and-subcommand"])
def test_correct_usage_errors_exit_2(library: Library, args: list[str]) -> None:
    result = CliRunner().invoke(chidao, [*args, "--data", str(library.path.parent)])
    assert result.exit_code == 2, result.output


def test_bad_corrections_exit_2_with_one_line(library: Library, letters: Path) -> None:
    data = str(library.path.parent)
    for args in (["task", f"{letters / LETTER}#9.9", "--lead", "X"],
                 ["task", f"{letters / LETTER}#4", "--deadline", "32/01/2026"],
                 ["document", str(letters / "nowhere.txt"), "--number", "1"]):
        result = CliRunner().invoke(chidao, ["correct", *args, "--data", data])
        assert result.exit_code == 2 and result.stderr.startswith("Error: "), result.output
        assert len(result.stderr.strip().splitlines()) == 1
    assert CliRunner().invoke(chidao, ["correct", "--undo", "42", "--data", data]).exit_code == 2
    assert library.corrections() == []


def test_no_corrections_listed(library: Library) -> None:
    assert run("corrections", "--data", library.path.parent).stdout == "no corrections\n"
    assert json.loads(run("corrections", "--data", library.path.parent, "--json").stdout) == []


def test_a_link_decision_changes_who_and_survives_a_reingest(library: Library, letters: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = library.path.parent
    monkeypatch.delenv("NEO4J_URI", raising=False)

    def links() -> dict[tuple[str, str], set[str]]:
        """(task key, served goal) → the methods that link them, from `chidao who 57-NQ/TW`."""
        result = run("who", "57-NQ/TW", "--data", data, "--json", "--all")
        assert result.exit_code == 0, result.output
        out: dict[tuple[str, str], set[str]] = {}
        for row in json.loads(result.stdout):
            out.setdefault((row["task_key"], row["served_goal"]), set()).add(row["method"])
        return out

    before = links()
    task, goal = min(before)
    other = next(f"57.SOL.{n}" for n in range(1, 8) if (task, f"57.SOL.{n}") not in before)
    assert run("correct", "link", task, goal, "--reject", "--data", data).exit_code == 0
    assert run("correct", "link", task, other, "--confirm", "--data", data).exit_code == 0
    after = links()
    assert (task, goal) not in after and after[(task, other)] == {"curated"}
    assert {k: v for k, v in after.items() if k[0] != task} == {k: v for k, v in before.items() if k[0] != task}
    monkeypatch.setattr(ingest.pipeline, "PARSER_VERSION", "99.0.0-test")
    assert ingest_files(library, find_sources([letters])[0]).counts["updated"] == 2
    assert links() == after
