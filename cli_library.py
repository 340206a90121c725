"""The library's subcommands: `chidao ingest`, `stats`, `correct` and `corrections`.

Registered on the group by cli.py. The progress bar, failure lines and batch options
are cli.py's, imported when `register` runs (cli.py imports this module first).
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from graph.corrections import Correction, CorrectionError, split_task_key, superseded_by
from graph.ingestion import IngestReport, commit_ingest, parse_planned, plan_ingest
from graph.library import Library, LibraryError, data_dir
from ingest.batch import BatchItem, find_sources

MB = 1024 * 1024
# Seconds to sleep per file while parsing and while writing, so that a test can kill a
# real `chidao ingest` in the middle of a batch. Read here, at the edge, and nowhere else.
TEST_DELAY_ENV = "CHIDAO_INGEST_TEST_DELAY"


def _example(*lines: str) -> str:
    return "Example:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _data_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                        help="Library folder (default: $CHIDAO_DATA, else $XDG_DATA_HOME/chidao, "
                             "else ~/.local/share/chidao).")(command)


def _open(data: Path | None, *, create: bool = False) -> Library:
    try:
        return Library.open(data_dir(data), create=create)
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from exc


class _BadCorrection(click.ClickException):
    exit_code = 2  # a correction that names the wrong thing is a usage error: nothing was done


def register(group: click.Group) -> None:
    """Add this area's commands to `group`."""
    from cli import _batch_options

    group.add_command(click.command("ingest", epilog=_example(
        "chidao ingest corpus/seeds corpus/sample --jobs 2"))(_batch_options(ingest)))
    group.add_command(stats)
    group.add_command(correct)
    group.add_command(corrections)


@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_data_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON, and nothing else.")
def ingest(paths: tuple[Path, ...], data: Path | None, jobs: int, max_size: float, quiet: bool,
           as_json: bool) -> None:
    """Parse new and changed documents into the library.

    A file whose content (sha256) and parser version are already in the library is
    skipped; a new parser version parses everything again. Files are known by their
    absolute path; a file moved with its content unchanged keeps its record and its
    corrections, and a second copy of stored content is noted, not stored. The batch is written in one transaction after parsing, so an
    interrupted ingest leaves the library as it was. A document that fails now but
    was ingested before keeps its earlier record; the failure is reported.
    """
    from cli import _advance, _progress_bar

    delay = _test_delay()
    sources, empty_folders = find_sources(paths)
    with _open(data, create=True) as library:
        plan = plan_ingest(library, sources)
        try:
            _announce_test_phase(delay, "parsing")
            with _progress_bar(len(plan.to_parse), quiet) as bar:
                advance = _advance(bar)
                progress = advance if not delay else _slowed(advance, delay)
                items = parse_planned(plan, jobs=jobs, max_bytes=int(max_size * MB), progress=progress)
            _announce_test_phase(delay, "writing")
            report = commit_ingest(library, plan, items, on_row=(lambda: time.sleep(delay)) if delay else None)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing of this batch was written; the library is as it was", err=True)
            raise
        except LibraryError as exc:
            raise click.ClickException(str(exc)) from exc
        _print_ingest(report, empty_folders, library, as_json)
    failed = report.failures or empty_folders
    click.get_current_context().exit(1 if failed else 0)


def _test_delay() -> float:
    try:
        return max(0.0, float(os.environ.get(TEST_DELAY_ENV) or 0))
    except ValueError:
        return 0.0


def _announce_test_phase(delay: float, phase: str) -> None:
    if delay:  # the SIGKILL test waits for this line before it kills
        print(f"test delay: {phase}", file=sys.stderr, flush=True)


def _slowed(advance: Callable[[BatchItem], None], delay: float) -> Callable[[BatchItem], None]:
    def slow(item: BatchItem) -> None:
        time.sleep(delay)
        advance(item)
    return slow


def _print_ingest(report: IngestReport, empty_folders: list[Any], library: Library, as_json: bool) -> None:
    from cli import _note

    for outcome in report.outcomes:
        if outcome.status == "duplicate":
            _note(f"{outcome.given}: {outcome.reason}; not stored twice")
        elif outcome.status == "failed":
            kept = " (its earlier record is kept)" if outcome.kept_earlier else ""
            tqdm.write(f"{outcome.given}: {outcome.reason}{kept}", file=sys.stderr)
    for folder in empty_folders:
        tqdm.write(f"{folder.path}: {folder.reason}", file=sys.stderr)
    counts = report.counts
    failed = counts["failed"] + len(empty_folders)
    if as_json:
        out = {**report.to_json(), "failed": failed, "library": str(library.path)}
        out["failures"] += [{"path": str(f.path), "reason": f.reason, "kept_earlier": False} for f in empty_folders]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    moved = f" ({len(report.moved)} moved)" if report.moved else ""
    duplicates = f", {counts['duplicate']} duplicate" if counts["duplicate"] else ""
    click.echo(f"{counts['added']} added, {counts['updated']} updated{moved}, {counts['unchanged']} unchanged"
               f"{duplicates}, {failed} failed → {library.path} (version {report.library_version})")


@click.command(epilog=_example("chidao stats", "chidao stats --data ~/chidao-data --json",
                               "chidao stats --no-graph"))
@_data_option
@click.option("--graph/--no-graph", "with_graph", default=True, show_default=True,
              help="Also build the graph and count its stubs, organisations, goals and goal links "
                   "(takes a while on a very large library).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON, and nothing else.")
def stats(data: Path | None, with_graph: bool, as_json: bool) -> None:
    """Count what the library holds: documents, failed files, tasks, citations,
    organisations named (distinct, after corrections) and corrections; and, from the graph
    built of it with the goal catalog, the cited-only documents (stubs), the organisation
    nodes after resolution and merges, the goals and the task → goal links by method."""
    with _open(data) as library:
        counts = {"library": str(library.path), "version": library.version(), **collect_stats(library)}
        if with_graph:
            counts.update(graph_stats(library))
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
    else:
        _print_table(counts)


def collect_stats(library: Library) -> dict[str, Any]:
    """The library's counts; graph_stats adds the graph's."""
    return library.stats()


def graph_stats(library: Library) -> dict[str, Any]:
    """What the graph built from the library holds beyond the library's own counts."""
    from graph.build import build_graph
    from graph.goals import load_catalog
    from graph.model import SERVES

    model = build_graph(library.records(), load_catalog(), library.corrections())
    methods: dict[str, int] = {}
    for edge in model.edges:
        if edge.type == SERVES:
            method = str(edge.props().get("method"))
            methods[method] = methods.get(method, 0) + 1
    return {"stubs": sum(doc.is_stub for doc in model.documents.values()),
            "central_documents": sum(doc.is_central for doc in model.documents.values()),
            "organization_nodes": len(model.organizations),
            "organization_merges": len(model.merges),
            "goals": len(model.goals),
            "goal_links": sum(methods.values()),
            "goal_links_by_method": dict(sorted(methods.items()))}


_LABELS = {"failed": "failed files", "failed_with_earlier_record": "  of which keep an earlier record",
           "named_references": "named without a number", "organizations": "organisations named",
           "parser_versions": "parser versions", "stubs": "stubs (cited, not ingested)",
           "central_documents": "central documents (catalog)", "organization_nodes": "organisations in the graph",
           "organization_merges": "  merges recorded", "goal_links": "task → goal links",
           "goal_links_by_method": "  by method"}


def _print_table(counts: dict[str, Any]) -> None:
    labels = {key: _LABELS.get(key, key.replace("_", " ")) for key in counts}
    width = max(len(label) for label in labels.values())
    for key, value in counts.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        click.echo(f"{labels[key]:<{width}}  {value}")


@click.group(invoke_without_command=True, epilog=_example(
    'chidao correct task corpus/sample/a05_snv_cv_boi_duong_ky_nang_so.txt#4 --lead "Sở Nội vụ"',
    'chidao correct document corpus/seeds/001_bd32b1ea4bdd5c5a.txt --number 15 --note "blank in the scan"',
    'chidao correct merge-org "Sở KH&CN tỉnh Lai Châu" "Sở Khoa học và Công nghệ tỉnh Lai Châu"',
    "chidao correct link 'TASK_KEY' 57.SOL.5 --confirm",
    "chidao correct --undo 3"))
@click.option("--undo", "undo", type=int, metavar="ID", help="Remove correction ID instead (see `chidao corrections`).")
@_data_option
@click.pass_context
def correct(ctx: click.Context, undo: int | None, data: Path | None) -> None:
    """Record a curated correction, kept apart from parser output and applied on every
    re-ingest and rebuild. Documents are named by their source path (as stored, or
    relative to here), tasks by PATH#TASK_ID; later corrections of a field win."""
    ctx.ensure_object(dict)["data"] = data
    if ctx.invoked_subcommand is not None:
        if undo is not None:
            raise click.UsageError("--undo takes no subcommand")
        return
    if undo is None:
        raise click.UsageError("give a subcommand (task, document, merge-org, link) or --undo ID")
    _remove(data, undo)


def _remove(data: Path | None, correction_id: int) -> None:
    with _open(data) as library:
        try:
            removed = library.remove_correction(correction_id)
        except LibraryError as exc:
            raise click.ClickException(str(exc)) from exc
        except CorrectionError as exc:
            raise _BadCorrection(str(exc)) from exc
    click.echo(f"removed #{removed.id}: {removed.describe()}")


def _record(data: Path | None, target: str, key: str, changes: dict[str, Any], note: str | None) -> None:
    data = data or click.get_current_context().find_object(dict).get("data")  # type: ignore[union-attr]
    with _open(data) as library:
        try:
            added = library.add_corrections(target, key, changes, note)
        except LibraryError as exc:
            raise click.ClickException(str(exc)) from exc
        except CorrectionError as exc:
            raise _BadCorrection(str(exc)) from exc
        if target == "task":
            _warn_shared_task_id(library, added[0].key)
    for correction in added:
        click.echo(f"recorded #{correction.id}: {correction.describe()}")


def _warn_shared_task_id(library: Library, task_key: str) -> None:
    from cli import _note

    path, task_id = split_task_key(task_key)
    record = library.record(path) or {}
    same = [task for task in record.get("tasks") or [] if str(task.get("id")) == task_id]
    if len(same) > 1:
        _note(f"{len(same)} tasks of {path} have the id {task_id}; the correction applies to each of them")


_NOTE = click.option("--note", help="Why: the letter's page, the typo, who confirmed it.")


@correct.command("task", epilog=_example(
    'chidao correct task corpus/sample/b07_snnmt_du_lieu_dat_dai.txt#2 --lead "Sở Nội vụ" --lead "Sở Tư pháp"',
    'chidao correct task corpus/sample/b03_ubnd_kh118_nq71.docx#II.1.1 --deadline 2026-01-23 --note "typo"'))
@click.argument("key", metavar="PATH#TASK_ID")
@click.option("--lead", multiple=True, metavar="NAME", help="The lead body (chủ trì); repeat for several.")
@click.option("--support", multiple=True, metavar="NAME", help="A supporting body (phối hợp); repeat for several.")
@click.option("--deadline", metavar="DATE", help="YYYY-MM-DD or DD/MM/YYYY; 'none' when the task has none.")
@_NOTE
@_data_option
def correct_task(key: str, lead: tuple[str, ...], support: tuple[str, ...], deadline: str | None,
                 note: str | None, data: Path | None) -> None:
    """Fix a task's lead, support or deadline."""
    changes: dict[str, Any] = {}
    if lead:
        changes["lead"] = lead
    if support:
        changes["support"] = support
    if deadline is not None:
        changes["deadline"] = None if deadline.strip().lower() in ("none", "") else deadline
    if not changes:
        raise click.UsageError("give --lead, --support or --deadline")
    _record(data, "task", key, changes, note)


_DOCUMENT_FIELDS = ("kind", "number", "symbol", "ref", "issuer", "date", "place", "subject", "signer")


@correct.command("document", epilog=_example(
    'chidao correct document corpus/seeds/001_bd32b1ea4bdd5c5a.txt --number 15 --note "blank in the scan"'))
@click.argument("path", metavar="PATH")
@click.option("--kind", help="The contract's kind code: cong_van, ke_hoach, thong_bao …")
@click.option("--number", help="The number (Số), when the parser found it blank.")
@click.option("--symbol", help="The symbol after the number: KH-UBND, CV/TU …")
@click.option("--ref", help="Number and symbol as printed: 15/KH-UBND, 57-NQ/TW.")
@click.option("--issuer", help="The issuing body's full name.")
@click.option("--date", help="The issue date: YYYY-MM-DD (or YYYY-MM, YYYY, DD/MM/YYYY).")
@click.option("--place", help="The place of issue.")
@click.option("--subject", help="The trích yếu / V/v line.")
@click.option("--signer", help="The signer's name.")
@_NOTE
@_data_option
def correct_document(path: str, note: str | None, data: Path | None, **fields: str | None) -> None:
    """Set header fields of a document: number, ref, date, issuer, subject…"""
    changes = {name: fields[name] for name in _DOCUMENT_FIELDS if fields.get(name) is not None}
    if not changes:
        raise click.UsageError("give at least one field: " + ", ".join(f"--{f}" for f in _DOCUMENT_FIELDS))
    _record(data, "document", path, changes, note)


@correct.command("merge-org", epilog=_example(
    'chidao correct merge-org "Sở KH&CN tỉnh Lai Châu" "Sở Khoa học và Công nghệ tỉnh Lai Châu"'))
@click.argument("name")
@click.argument("canonical")
@_NOTE
@_data_option
def correct_merge_org(name: str, canonical: str, note: str | None, data: Path | None) -> None:
    """Merge organisation NAME into CANONICAL: the graph shows one organisation, CANONICAL."""
    _record(data, "organization", name, {"merge_into": canonical}, note)


@correct.command("link", epilog=_example("chidao correct link 'TASK_KEY' 57.SOL.5 --confirm",
                                         "chidao correct link 'TASK_KEY' 57.SOL.1.2 --reject --note 'off topic'"))
@click.argument("task_key", metavar="TASK_KEY")
@click.argument("goal", metavar="GOAL_ID")
@click.option("--confirm/--reject", "confirmed", default=None, help="Confirm the task serves the goal, or reject it.")
@_NOTE
@_data_option
def correct_link(task_key: str, goal: str, confirmed: bool | None, note: str | None, data: Path | None) -> None:
    """Confirm or reject a task → goal link (TASK_KEY as the graph shows it: document key#task id)."""
    if confirmed is None:
        raise click.UsageError("give --confirm or --reject")
    _record(data, "link", task_key, {goal: "confirmed" if confirmed else "rejected"}, note)


@click.command(epilog=_example("chidao corrections", "chidao corrections --target task --json",
                               "chidao corrections --remove 3"))
@click.option("--target", type=click.Choice(["document", "task", "organization", "link"]),
              help="Only corrections of this kind.")
@click.option("--remove", "remove", type=int, metavar="ID", help="Remove correction ID (same as `correct --undo`).")
@_data_option
@click.option("--json", "as_json", is_flag=True, help="Print the corrections as JSON, and nothing else.")
def corrections(target: str | None, remove: int | None, data: Path | None, as_json: bool) -> None:
    """List curated corrections, oldest first, with whether each is in force."""
    if remove is not None:
        _remove(data, remove)
        return
    with _open(data) as library:
        listed = library.corrections(target)
        later = superseded_by(library.corrections())
        stale = library.stale_corrections()
    rows = [{**c.to_json(), "status": _status(c, later, stale)} for c in listed]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no corrections")
    for correction, row in zip(listed, rows, strict=True):
        click.echo(f"#{correction.id}  {correction.describe()}")
        details = [row["status"], correction.created_at] + ([f"note: {correction.note}"] if correction.note else [])
        click.echo("    " + "; ".join(details))


def _status(correction: Correction, later: dict[int, int], stale: set[int]) -> str:
    if correction.id in later:
        return f"superseded by #{later[correction.id]}"
    if correction.id in stale:
        return "stale: its document or task is no longer in the library"
    return "in force"
