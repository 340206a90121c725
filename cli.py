"""The `chidao` command: parse arguments, call the core, print, exit.

Exit codes, for every subcommand: 0 when every input went through, 1 when some inputs
failed (each reported on stderr as `path: reason`, the rest done), 2 for usage errors.
Machine output (`--json`) goes to stdout alone; notes, failures and progress to stderr.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

import cli_app
import cli_library
import cli_queries
import cli_stores
from ingest.batch import BatchItem, BatchTally, find_sources, parse_batch
from ingest.errors import UnreadableJSON
from ingest.evaluate import FIELDS, Report, load_gold, load_json, score_corpus
from ingest.outputs import plan_outputs, write_record
from ingest.pipeline import PARSER_VERSION
from ingest.readers import DEFAULT_MAX_BYTES

F = TypeVar("F", bound=Callable[..., Any])
MB = 1024 * 1024


def _package_version() -> str:
    try:
        return version("chidao")
    except PackageNotFoundError:  # run from a checkout that was never pip-installed
        return "0+unknown"


def _example(*lines: str) -> str:
    # An epilog, so that `--help` ends with the example, after the options; "\b" stops
    # click from re-wrapping the command lines.
    return "Example:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _batch_options(command: F) -> F:
    """--jobs, --max-size and --quiet: every command that parses sources takes them."""
    options = [
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
                     help="Parse in N worker processes (1: in this process)."),
        click.option("--max-size", type=click.FloatRange(min=0, min_open=True),
                     default=DEFAULT_MAX_BYTES / MB, show_default=True, metavar="MB",
                     help="Skip (and report) source files larger than this."),
        click.option("--quiet", "-q", is_flag=True,
                     help="No progress bar (there is none anyway when stderr is not a terminal)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             epilog=_example("chidao parse corpus/sample --out out",
                             "chidao eval corpus/sample --gold corpus/gold/sample"))
@click.version_option(_package_version(), "--version", "-V", prog_name="chidao",
                      message=f"%(prog)s %(version)s (parser {PARSER_VERSION})")
def chidao() -> None:
    """Turn Vietnamese directive documents into JSON records of their header,
    citations and tasks, and score those records against gold annotations."""


@chidao.command(epilog=_example("chidao parse corpus/sample corpus/seeds --out out --jobs 2"))
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the JSON records.")
@_batch_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON, and nothing else.")
def parse(paths: tuple[Path, ...], out_dir: Path, jobs: int, max_size: float, quiet: bool,
          as_json: bool) -> None:
    """Parse documents into JSON records, one per source file.

    Writes OUT/<stem>.json for each .txt, .docx or .pdf. PATHS are files or folders;
    folders are searched recursively for supported files. A file named here is always
    attempted, and reported if it cannot be read. When two sources share a stem, the
    later one is written to <stem>.<suffix>.json, with a note.
    """
    sources, empty_folders = find_sources(paths)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or exc
        raise click.ClickException(f"{out_dir}: cannot create the output folder: {reason}") from exc
    plan = plan_outputs(sources, out_dir)
    for renamed in plan.renamed:
        _note(f"{renamed.source} has the same stem as {renamed.first}; its record is {renamed.target}")
    tally = BatchTally()
    for folder in empty_folders:
        _report_failure(tally, folder.path, folder.reason)
    with _progress_bar(len(sources), quiet) as bar:
        for item in parse_batch(sources, jobs=jobs, max_bytes=int(max_size * MB), progress=_advance(bar)):
            _write_item(item, plan.targets[item.path], tally)
    if as_json:
        click.echo(json.dumps({**tally.to_json(), "out": str(out_dir),
                               "renamed": [{"source": str(r.source), "target": str(r.target)}
                                           for r in plan.renamed]}, ensure_ascii=False, indent=2))
    else:
        _print_parse_summary(tally, out_dir)
    click.get_current_context().exit(1 if tally.failures else 0)


def _write_item(item: BatchItem, target: Path, tally: BatchTally) -> None:
    if item.record is None:
        _report_failure(tally, item.path, item.error or "unknown error")
        return
    try:
        write_record(item.record, target)
    except OSError as exc:
        _report_failure(tally, item.path, f"cannot write {target}: {exc.strerror or exc}")
        return
    tally.add_record(item.record)


def _print_parse_summary(tally: BatchTally, out_dir: Path) -> None:
    click.echo(f"{tally.parsed} parsed, {len(tally.failures)} failed → {out_dir}/")
    named = f" (+{tally.named_references} named without a number)" if tally.named_references else ""
    click.echo(f"{tally.tasks} tasks, {tally.citations} citations{named}")
    if tally.kinds:
        click.echo("kinds: " + ", ".join(f"{kind} {n}" for kind, n in tally.kinds.most_common()))


@chidao.command("eval", epilog=_example(
    "chidao eval corpus/sample --gold corpus/gold/sample --misses",
    "chidao eval --pred out --gold corpus/gold/sample --json"))
@click.argument("corpus", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_dirs", required=True, multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of <stem>.gold.json files; repeat to score several.")
@click.option("--pred", "pred_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Score the <stem>.json records already in this folder instead of parsing CORPUS.")
@click.option("--misses", is_flag=True, help="List every miss, document by document.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, and nothing else.")
@_batch_options
def eval_command(corpus: tuple[Path, ...], gold_dirs: tuple[Path, ...], pred_dir: Path | None, misses: bool,
                 as_json: bool, jobs: int, max_size: float, quiet: bool) -> None:
    """Score records against gold annotations: precision, recall and F1 per field.

    Parses CORPUS (files or folders), or reads the records in --pred, and pairs each
    GOLD/<stem>.gold.json with the record of the source <stem>. Every gold file is
    scored; one without a record counts as an empty record. The metric is the shared
    scorer's (tools/score.py).
    """
    if bool(corpus) == bool(pred_dir):
        raise click.UsageError("give CORPUS to parse, or --pred with records already parsed (not both)")
    gold: dict[str, Any] = {}
    for gold_dir in gold_dirs:
        try:
            found = load_gold(gold_dir)
        except UnreadableJSON as exc:
            raise click.ClickException(str(exc)) from exc
        if not found:
            raise click.BadParameter(f"no *.gold.json files in {gold_dir}", param_hint="--gold")
        gold.update(found)
    tally = BatchTally()
    if pred_dir is not None:
        predictions = _read_predictions(pred_dir, gold, tally)
    else:
        predictions = _parse_predictions(corpus, jobs, int(max_size * MB), quiet, tally)
    unmatched = sorted(set(predictions) - set(gold))
    if unmatched:
        _note(f"no gold file for {len(unmatched)} document(s), not scored: {', '.join(unmatched)}")
    report = score_corpus(gold, {stem: record for stem, record in predictions.items() if stem in gold})
    if as_json:
        click.echo(json.dumps(report.to_json(with_misses=misses), ensure_ascii=False, indent=2))
    else:
        _print_report(report, misses)
    click.get_current_context().exit(1 if tally.failures else 0)


def _read_predictions(pred_dir: Path, gold: dict[str, Any], tally: BatchTally) -> dict[str, dict[str, Any]]:
    predictions: dict[str, dict[str, Any]] = {}
    for stem in gold:
        path = pred_dir / f"{stem}.json"
        if not path.exists():
            continue  # scored as empty and listed as missing, as the shared scorer does
        try:
            predictions[stem] = load_json(path)
        except UnreadableJSON as exc:
            _report_failure(tally, path, exc.reason)
    return predictions


def _parse_predictions(corpus: tuple[Path, ...], jobs: int, max_bytes: int, quiet: bool,
                       tally: BatchTally) -> dict[str, dict[str, Any]]:
    sources, empty_folders = find_sources(corpus)
    for folder in empty_folders:
        _report_failure(tally, folder.path, folder.reason)
    predictions: dict[str, dict[str, Any]] = {}
    with _progress_bar(len(sources), quiet) as bar:
        for item in parse_batch(sources, jobs=jobs, max_bytes=max_bytes, progress=_advance(bar)):
            if item.record is None:
                _report_failure(tally, item.path, item.error or "unknown error")
            elif item.path.stem in predictions:
                # Gold pairs by stem alone; the first source keeps it, as `parse` names files.
                _note(f"{item.path}: another source has the stem '{item.path.stem}'; not scored")
            else:
                tally.add_record(item.record)
                predictions[item.path.stem] = item.record
    return predictions


def _print_report(report: Report, with_misses: bool) -> None:
    if with_misses:
        missed = {stem: misses for stem, misses in report.misses.items() if misses}
        for stem, misses in missed.items():
            click.echo(f"## {stem}")
            for miss in misses:
                click.echo(f"  {miss}")
        click.echo("" if missed else "no misses\n")
    click.echo(f"{'field':22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}")
    for name in FIELDS:
        f = report.fields[name]
        click.echo(f"{name:22} {f.precision:6.3f} {f.recall:6.3f} {f.f1:6.3f} "
                   f"{f.tp:5d} {f.pred:5d} {f.gold:5d}")
    if report.missing_predictions:
        click.echo(f"no record for: {', '.join(report.missing_predictions)}")
    click.echo(f"macro F1 over fields: {report.macro_f1:.3f} ({len(report.documents)} documents)")


def _progress_bar(total: int, quiet: bool) -> tqdm:
    # A bar only for a batch, on a terminal: a log file full of carriage returns helps nobody.
    hidden = quiet or total < 2 or not sys.stderr.isatty()
    return tqdm(total=total, unit="file", file=sys.stderr, disable=hidden, dynamic_ncols=True)


def _advance(bar: tqdm) -> Callable[[BatchItem], None]:
    return lambda _item: bar.update(1)


def _report_failure(tally: BatchTally, path: Path, reason: str) -> None:
    tally.add_failure(path, reason)
    # tqdm.write prints above the bar instead of through it.
    tqdm.write(f"{path}: {reason}", file=sys.stderr)


def _note(message: str) -> None:
    tqdm.write(f"note: {message}", file=sys.stderr)


# Each area keeps its commands in its own module: the library (ingest, stats, corrections),
# the questions (who, cascade, lineage, org, due, findings, search), the stores (sync, export),
# the explorer (app).
for _area in (cli_library, cli_queries, cli_stores, cli_app):
    _area.register(chidao)


def main() -> None:
    chidao(prog_name="chidao")


if __name__ == "__main__":
    main()
