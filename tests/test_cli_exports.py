"""`chidao export cascade` and `chidao export tasks` on a real library (issue 5)."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner, Result

from cli import chidao
from cli_exports import default_name, write_atomically
from exports.formats import CASCADE_FORMATS


@pytest.fixture(scope="module")
def data(sample_library) -> Path:
    return Path(sample_library.path).parent


def run(*args: str, cwd: Path | None = None) -> Result:
    """The command, run in `cwd` when given (where a default --out lands)."""
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(chidao, list(args), catch_exceptions=False)
    finally:
        os.chdir(previous)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result


def test_cascade_svg_to_a_file(data: Path, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz's dot is missing under CI: apt-get install graphviz")
        pytest.skip("Graphviz's dot is missing: apt-get install graphviz")
    out = tmp_path / "chuoi.svg"
    result = ok(run("export", "cascade", "57.SOL.1", "--format", "svg", "--out", str(out), "--data", str(data)))
    assert f"→ {out}" in result.stdout
    texts = " ".join(t.text or "" for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text"))
    assert "95/KH-UBND" in texts and "còn" in texts  # the default cap of 12 leaves some out
    assert [p.name for p in tmp_path.iterdir()] == ["chuoi.svg"]  # no temporary file left behind


def test_cascade_default_name_in_the_current_folder(data: Path, tmp_path: Path) -> None:
    ok(run("export", "cascade", "57-NQ/TW", "--format", "json", "--collapse", "level", "--data", str(data),
           cwd=tmp_path))
    made = tmp_path / "57-NQ-TW.json"
    assert [p.name for p in tmp_path.iterdir()] == [made.name]
    nodes = {n["id"]: n for n in json.loads(made.read_text(encoding="utf-8"))["nodes"]}
    assert nodes["level:province"]["label"].startswith("Cấp tỉnh: ")


def test_cascade_to_stdout_with_options(data: Path) -> None:
    result = ok(run("export", "cascade", "69-CTr/TU", "--format", "mermaid", "--out", "-", "--depth", "1",
                    "--max-children", "2", "--data", str(data)))
    assert result.stdout.splitlines()[3] == "flowchart TD"
    assert "còn " in result.stdout and "95/KH-UBND" in result.stdout
    opened = ok(run("export", "cascade", "69-CTr/TU", "--format", "mermaid", "--out", "-", "--depth", "1",
                    "--max-children", "2", "--expand", "more:69-ctr/tu|2025|ban thuong vu tinh uy lang son",
                    "--data", str(data)))
    assert opened.stdout.count("\n") > result.stdout.count("\n")


def test_tasks_xlsx_and_csv(data: Path, tmp_path: Path) -> None:
    ok(run("export", "tasks", "57.SOL.1", "--format", "xlsx", "--out", str(tmp_path / "t.xlsx"), "--data", str(data)))
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet.title == "57.SOL.1" and sheet.freeze_panes == "A2" and sheet["A1"].value == "Đơn vị"
    ok(run("export", "tasks", "95/KH-UBND", "--format", "csv", "--data", str(data), cwd=tmp_path))
    made = tmp_path / "95-KH-UBND.csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == [made.name, "t.xlsx"]
    rows = list(csv.DictReader(io.StringIO(made.read_bytes().decode("utf-8-sig"))))
    assert rows and {r["Văn bản"] for r in rows} == {"95/KH-UBND"}


def test_unknown_targets_exit_1_with_one_line(data: Path, tmp_path: Path) -> None:
    for command in (["cascade", "99.NOPE", "--format", "dot"], ["tasks", "99.NOPE", "--format", "csv"]):
        result = run("export", *command, "--data", str(data), cwd=tmp_path)
        assert result.exit_code == 1 and "99.NOPE" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "chuoi.svg"
    target.write_bytes(b"old")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomically(b"new", target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["chuoi.svg"]


@pytest.mark.parametrize(("target", "name"), [("57-NQ/TW", "57-NQ-TW.svg"), ("57.SOL.1", "57.SOL.1.svg"),
                                              ("215-CV/TĐTN-PT", "215-CV-TĐTN-PT.svg"), ("../x", "x.svg")])
def test_default_names(target: str, name: str) -> None:
    assert default_name(target, ".svg") == name


def test_the_format_choices_are_the_exports(data: Path) -> None:
    command = chidao.commands["export"].commands["cascade"]
    (option,) = [p for p in command.params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice) and tuple(option.type.choices) == CASCADE_FORMATS
