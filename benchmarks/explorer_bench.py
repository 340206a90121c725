"""Explorer benchmark: time to first render, and to show a goal's cascade, at 1k and 10k documents.

    python benchmarks/explorer_bench.py [--sizes 1000 10000] [--seed 7] [--goals 3]
                                        [--mode apptest|browser|both] [--json]

(after `pip install -e .[dev]`; the browser mode also needs `pip install playwright` and
/usr/bin/chromium). For each size, the synthetic corpus of benchmarks/synthetic.py is put
into a fresh library in a temporary folder (the records `chidao parse` would write, stored
as `chidao ingest` stores them, without parsing: parsing is parse_throughput.py's business).
The goals asked for are the ones most tasks serve, drawn from a graph built in this process
(the time of that build is printed too: it is what the explorer pays once per library
version). Then, with CHIDAO_DATA pointing at the library:

* apptest: streamlit.testing AppTest runs app.py in this process. "first render" is the
  first at.run() (Overview, the graph built into st.cache_resource), "warm render" a new
  session's first run once the graph is cached; then the Goals page is opened and each goal
  chosen in its selectbox (key goals_goal), timing at.run() after each choice: the first
  time a goal is asked, its answers are computed (who, cascade), not read from a cache.
* browser: `streamlit run app.py` (tests/app_server.py) driven by Debian's Chromium. "first
  render" is navigation to the Overview until its title is visible and the run has ended
  (graph build included), "warm render" the same in a new browser context; then for each goal:
  from the option clicked in the Goals page's selectbox until the names of the goal's first
  units (from `who`) are in the page and the run has ended.

Wall and CPU time are printed (CPU: this process in apptest mode, the server's in browser
mode). Target: a goal's cascade shown in under 1 s at 10k documents once the graph is loaded.
A script, not a test: timings depend on the machine and prove nothing in CI.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO), str(REPO / "tests")]

import synthetic  # benchmarks/synthetic.py

TARGET_GOAL_S_10K = 1.0
APP = REPO / "app.py"
GOALS_PAGE = "app_pages/goals.py"
GOAL_SELECTBOX = "goals_goal"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 600_000


@contextmanager
def timed(into: dict[str, float], name: str, cpu: Callable[[], float] = time.process_time) -> Iterator[None]:
    wall, spent = time.perf_counter(), cpu()
    yield
    into[f"{name}_s"] = round(time.perf_counter() - wall, 3)
    into[f"{name}_cpu_s"] = round(cpu() - spent, 3)


# -- the library and the goals -----------------------------------------------------------

def fill_library(data_dir: Path, size: int, seed: int) -> int:
    """The synthetic records of `size` documents, stored in one transaction."""
    from graph.library import Library

    count = 0
    with Library.open(data_dir) as library, library.transaction() as writer:
        for record in synthetic.generate_records(size, seed):
            writer.put_document(record["source"]["path"], record)
            count += 1
    return count


def busiest_goals(data_dir: Path, how_many: int, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The goals most tasks serve (theirs and their sub-goals', as the Goals page counts them),
    each with the names of its first units."""
    from explorer.goaltree import goal_tree
    from explorer.who import looks_damaged, rank
    from graph.goals import load_catalog
    from graph.library import Library
    from graph.store_embedded import EmbeddedStore
    from queries import QUERIES

    with Library.open(data_dir, create=False) as library, timed(figures, "graph_build_in_process"):
        store = EmbeddedStore.from_records(library.records(), load_catalog(), tuple(library.corrections()))
    tree = sorted(goal_tree(store), key=lambda g: (-g.tasks, g.key))
    chosen = []
    flagged = {f["task_key"] for f in store.findings if f.get("task_key")}
    for goal in [g.key for g in tree[:how_many]]:
        rows = QUERIES["who"].run(store, target=goal)
        # The Goals page ranks the rows before it shows them (explorer/who.py): its first units.
        ranked = rank(rows, lambda r: r["task_key"] in flagged or looks_damaged(r["task_text"]))
        units = list(dict.fromkeys(r["organization"] for r in ranked if r.get("organization")))
        chosen.append({"goal": goal, "who_rows": len(rows), "units": len(units), "first_units": units[:2]})
    return chosen


# -- AppTest -----------------------------------------------------------------------------

def run_apptest(goals: list[dict[str, Any]]) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    figures: dict[str, Any] = {}

    def session() -> AppTest:
        return AppTest.from_file(str(APP), default_timeout=TIMEOUT_MS / 1000)

    def check(at: AppTest, what: str) -> None:
        if at.exception:
            raise SystemExit(f"{what}: the app raised: {at.exception[0].message}")

    at = session()
    with timed(figures, "first_render"):
        at.run()
    check(at, "first render")
    at = session()
    with timed(figures, "warm_render"):
        at.run()
    check(at, "warm render")
    at.switch_page(GOALS_PAGE)
    with timed(figures, "goals_page"):
        at.run()
    check(at, "goals page")
    for item in goals:
        at.selectbox(key=GOAL_SELECTBOX).select(item["goal"])
        with timed(item, "apptest_goal"):
            at.run()
        check(at, f"goal {item['goal']}")
        if not at.subheader or not at.subheader[0].value.startswith(item["goal"]):
            raise SystemExit(f"goal {item['goal']}: the Goals page did not switch to it")
        shown = " ".join(e.value.to_csv() for e in at.dataframe) + " ".join(m.value for m in at.markdown)
        item["apptest_units_shown"] = all(unit in shown for unit in item["first_units"])
    return figures


# -- a real browser ----------------------------------------------------------------------

def run_browser(data_dir: Path, goals: list[dict[str, Any]]) -> dict[str, Any]:
    from app_server import APP_IDLE, script_rerun, serve_app
    from playwright.sync_api import expect, sync_playwright

    figures: dict[str, Any] = {}

    with serve_app(data_dir) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        expect.set_options(timeout=TIMEOUT_MS)

        def render(name: str) -> Any:
            context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
            page = context.new_page()
            with timed(figures, name, server.cpu_seconds):
                page.goto(server.url)
                expect(page.get_by_role("heading", level=1).first).to_be_visible()
                page.wait_for_selector(APP_IDLE, timeout=TIMEOUT_MS)
            return page

        render("first_render").context.close()
        page = render("warm_render")
        with timed(figures, "goals_page", server.cpu_seconds), script_rerun(page, timeout_ms=TIMEOUT_MS):
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Mục tiêu", exact=True).click()
        for item in goals:
            box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Chọn mục tiêu").first
            box.get_by_role("combobox").click()
            page.keyboard.type(item["goal"])
            option = page.get_by_role("option", name=re.compile(rf"(^|— ){re.escape(item['goal'])} ·")).first
            heading = page.get_by_role("heading", level=3, name=re.compile(rf"^{re.escape(item['goal'])} — "))
            with timed(item, "browser_goal", server.cpu_seconds):
                with script_rerun(page, timeout_ms=TIMEOUT_MS):
                    option.click()
                expect(heading).to_be_visible()
                for unit in item["first_units"]:
                    expect(page.locator('[data-testid="stMain"]')).to_contain_text(unit)
        browser.close()
    return figures


# -- the run -----------------------------------------------------------------------------

def bench(size: int, seed: int, how_many: int, modes: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {"documents": size}
    with tempfile.TemporaryDirectory(prefix="chidao-explorer-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        with timed(result, "library_fill"):
            fill_library(data_dir, size, seed)
        goals = busiest_goals(data_dir, how_many, result)
        result["goals"] = goals
        os.environ["CHIDAO_DATA"] = str(data_dir)
        os.environ.pop("NEO4J_URI", None)
        if "apptest" in modes:
            result["apptest"] = run_apptest(goals)
        if "browser" in modes:
            result["browser"] = run_browser(data_dir, goals)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def report(result: dict[str, Any]) -> None:
    size = result["documents"]
    print(f"\n== {size} documents: library filled in {result['library_fill_s']} s; graph built in "
          f"{result['graph_build_in_process_s']} s wall, {result['graph_build_in_process_cpu_s']} s CPU")
    for mode in ("apptest", "browser"):
        if mode not in result:
            continue
        f = result[mode]
        cpu = "this process" if mode == "apptest" else "the server"
        print(f"  [{mode}] first render {f['first_render_s']} s (CPU {f['first_render_cpu_s']} s, {cpu}); "
              f"warm render {f['warm_render_s']} s (CPU {f['warm_render_cpu_s']} s); "
              f"Goals page {f['goals_page_s']} s (CPU {f['goals_page_cpu_s']} s)")
    for goal in result["goals"]:
        line = f"  goal {goal['goal']}: {goal['who_rows']} who rows, {goal['units']} units"
        for mode in ("apptest", "browser"):
            if f"{mode}_goal_s" in goal:
                target = f" (target < {TARGET_GOAL_S_10K} s at 10k)" if size >= 10_000 else ""
                line += f"; [{mode}] {goal[f'{mode}_goal_s']} s, CPU {goal[f'{mode}_goal_cpu_s']} s{target}"
        if "apptest_units_shown" in goal and not goal["apptest_units_shown"]:
            line += " (AppTest: first units not found in the tables)"
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--goals", type=int, default=3, help="how many goals to choose (the busiest)")
    parser.add_argument("--mode", choices=("apptest", "browser", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    modes = ["apptest", "browser"] if args.mode == "both" else [args.mode]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", file=sys.stderr)
    results = []
    for size in args.sizes:
        results.append(bench(size, args.seed, args.goals, modes))
        if not args.json:
            report(results[-1])
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
