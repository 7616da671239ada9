"""Run the benchmark: each case at each size in its own Home Assistant process; print the table.

    python -m bench                          # N = 1, 10, 100, 1000; every case
    python -m bench --sizes 1,10 --cases A   # a part of it
    python -m bench --publish                # also write docs/bench-results.json, -cpu.png

The cases: A (this integration), V (case A with every container's miners view open, the
websocket command at the view's pace) and B (Home Assistant's `rest` integration).

Each run is one `python -m bench.worker` process: a real Home Assistant core (no recorder) with
the mock (`python -m mock --bulk FILE`, HK3 and Immersion containers in turn) in a child
process of its own. The figures of all runs go to bench/results/bench-<time>.json, with a chart
of CPU per container-poll beside it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import math
import os
from pathlib import Path
import platform
import subprocess
import sys
import time
from typing import Any, Final

from bench.report import NOISY, chart, table, verdict_text
from custom_components.antspace.const import DEFAULT_MINER_INTERVAL

REPO: Final = Path(__file__).resolve().parent.parent
RESULTS: Final = REPO / "bench" / "results"
DOCS: Final = REPO / "docs"
DEFAULT_SIZES: Final = (1, 10, 100, 1000)
MIN_WINDOW: Final = float(DEFAULT_MINER_INTERVAL)
"""s that a measurement window lasts at least (whole cycles, two at least): a whole miner
summary interval, so that case A's figures include the summary reads in their share (one in
the window, for each container). Case B is measured over as long a window, so that both
cases' figures average over as many polls."""


def auto_interval(size: int) -> float:
    """The polling interval for N containers: 10 s (the target's) from 1000 on, less below.

    Fewer containers poll faster, so that a short run still measures enough polls.
    """
    if size >= 1000:
        return 10.0
    if size >= 100:
        return 5.0
    return 1.0


@dataclass(frozen=True, slots=True)
class Plan:
    """One run of the worker."""

    case: str
    size: int
    interval: float
    cycles: int
    warmup: int
    faults: int
    seed: int
    frozen: bool
    miners_view: bool = False

    @property
    def label(self) -> str:
        """The case as the command line and the table name it: A, V or B."""
        return "V" if self.miners_view else self.case

    def argv(self) -> list[str]:
        """The worker's command line."""
        return [
            sys.executable,
            "-m",
            "bench.worker",
            f"--case={self.case}",
            f"--size={self.size}",
            f"--interval={self.interval:g}",
            f"--cycles={self.cycles}",
            f"--warmup={self.warmup}",
            f"--faults={self.faults}",
            f"--seed={self.seed}",
            *(["--frozen"] if self.frozen else []),
            *(["--miners-view"] if self.miners_view else []),
        ]


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of counts like 1,10") from None
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("container counts must be 1 or more")
    return sizes


def _cases(text: str) -> list[str]:
    cases = [part.strip().upper() for part in text.split(",") if part.strip()]
    if not cases or any(case not in ("A", "V", "B") for case in cases):
        raise argparse.ArgumentTypeError(
            "cases are A (this integration), V (A with the miners views open) and B (rest)"
        )
    return cases


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(DEFAULT_SIZES),
        help="container counts, comma-separated (default 1,10,100,1000)",
    )
    parser.add_argument(
        "--cases",
        type=_cases,
        default=["A", "V", "B"],
        help="A (this integration), V (A with every miners view open), B (rest); default A,V,B",
    )
    parser.add_argument(
        "--interval",
        type=float,
        help="polling interval, s (default: 1 s below 100 containers, 5 s below 1000, else 10 s)",
    )
    parser.add_argument(
        "--cycles",
        type=int,
        help=f"polling cycles measured (default: enough for {MIN_WINDOW:g} s, 2 at least)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="cycles before the window")
    parser.add_argument(
        "--faults", type=int, default=10, help="containers a fault is raised on (default 10)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the mock containers")
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="the mock's values stand still (default: they move, as a plant's do)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=0,
        help="run again, up to this many times, a run during which other processes kept "
        f"more than {NOISY * 100:.0f}%% of a core busy; the quietest run counts (default 0)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="also write docs/bench-results.json and docs/bench-cpu.png",
    )
    return parser


def plans(args: argparse.Namespace) -> list[Plan]:
    """The runs the command line asks for."""
    result: list[Plan] = []
    for size in args.sizes:
        interval = args.interval or auto_interval(size)
        result.extend(
            Plan(
                case="A" if case == "V" else case,
                miners_view=case == "V",
                size=size,
                interval=interval,
                cycles=args.cycles or max(2, math.ceil(MIN_WINDOW / interval)),
                warmup=args.warmup,
                faults=args.faults,
                seed=args.seed,
                frozen=args.frozen,
            )
            for case in args.cases
        )
    return result


def run_one(plan: Plan, log: Path) -> dict[str, Any]:
    """Run the worker; its figures, or what went wrong."""
    with log.open("w", encoding="utf-8") as stderr:
        done = subprocess.run(
            plan.argv(), cwd=REPO, stdout=subprocess.PIPE, stderr=stderr, text=True, check=False
        )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {
            "config": {
                "case": plan.case,
                "miners_view": plan.miners_view,
                "size": plan.size,
                "interval": plan.interval,
            },
            "error": f"worker exited with {done.returncode}; see {log}",
        }
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "home_assistant": ha_version,
        "commit": commit,
    }


def summary_line(run: dict[str, Any]) -> str:
    """One line of progress."""
    if "error" in run:
        return f"error: {run['error']}"
    noisy = run.get("others_busy") or 0.0
    warning = f"  (other processes kept {noisy:.0%} of a core busy)" if noisy > NOISY else ""
    if not all(run.get("case_b_matches", {}).values()):
        warning += "  (case B does not match case A's entities: see bench/cases.py)"
    if (views := run.get("miners_view")) is not None:
        warning += f", {views['answers']} miners view answers ({views['errors']} errors)"
    return (
        f"{run['cpu_per_container_poll'] * 1000:.2f} ms CPU per container-poll, "
        f"{run['cpu_busy']:.1%} of a core, lag p99 {run['lag_p99'] * 1000:.0f} ms, "
        f"{run['wall_seconds']:.0f} s{warning}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run every plan, print the table and write the results."""
    args = build_parser().parse_args(argv)
    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs: list[dict[str, Any]] = []
    for plan in plans(args):
        print(
            f"bench: case {plan.label}, {plan.size} containers, every {plan.interval:g} s, "
            f"{plan.cycles} cycles ...",
            end=" ",
            flush=True,
        )
        log = RESULTS / f"bench-{stamp}-{plan.label}-{plan.size}.log"
        run = run_one(plan, log)
        for _ in range(args.retries):
            if "error" in run or run.get("others_busy", 0.0) <= NOISY:
                break
            print(f"noisy ({run['others_busy']:.0%} of a core taken by others), again ...", end=" ")
            again = run_one(plan, log)
            if "error" not in again and again["others_busy"] < run["others_busy"]:
                run = again
        runs.append(run)
        print(summary_line(run), flush=True)
    wall = time.monotonic() - started
    document = {
        "generated": stamp,
        "machine": machine(),
        "wall_seconds": round(wall, 1),
        "values": (
            "frozen (the mock's values stand still)"
            if args.frozen
            else "moving (the mock's plant dynamics run; most measurements change every poll)"
        ),
        "runs": runs,
    }
    results = RESULTS / f"bench-{stamp}.json"
    results.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    png = RESULTS / f"bench-{stamp}-cpu.png"
    chart(runs, png)
    print()
    print(table(runs))
    print()
    print(verdict_text(runs))
    print()
    print(f"bench: {len(runs)} runs in {wall:.0f} s; figures in {results.relative_to(REPO)}")
    if args.publish:
        DOCS.mkdir(exist_ok=True)
        (DOCS / "bench-results.json").write_text(
            json.dumps(document, indent=1) + "\n", encoding="utf-8"
        )
        chart(runs, DOCS / "bench-cpu.png")
        print("bench: wrote docs/bench-results.json and docs/bench-cpu.png")
    return 1 if any("error" in run for run in runs) else 0
