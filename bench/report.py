"""The benchmark's table, target verdicts and chart, from the figures of its runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import math
from pathlib import Path
from typing import Any, Final

CASE_NAMES: Final = {"A": "antspace", "V": "antspace, miners view open", "B": "rest"}
CASES: Final = ("A", "V", "B")
"""The cases in the table's order: V is case A with every container's miners view open."""
TARGET_RATIO: Final = 0.25
"""Case A's CPU per container-poll at most this share of case B's."""
LARGE_SITES: Final = (100, 1000)
"""The sizes at which A must cost at most a quarter of B: where a site's polling adds up."""
TARGET_BUSY: Final = 0.5
"""Share of one core that 1000 containers polled every 10 s may keep busy."""
TARGET_LAG: Final = 0.1
"""s of p99 event-loop lag at 1000 containers."""
TARGET_LAG_A: Final = 0.01
"""s of p99 event-loop lag at 1000 containers that case A keeps under, miners views open or not."""
TARGET_FAULT_SLACK: Final = 0.1
"""s beyond one polling interval within which a fault must show."""
NOISY: Final = 0.25
"""Share of a core that other processes may use during a window before a run is flagged."""

type Run = Mapping[str, Any]


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan


def _fmt(value: float, spec: str) -> str:
    return "n/a" if math.isnan(value) else format(value, spec)


def case_of(run: Run) -> str:
    """A run's case as the table names it: A, V (A with the miners views open) or B."""
    config = run["config"]
    return "V" if config.get("miners_view") else str(config["case"])


def by_size(runs: Sequence[Run]) -> dict[int, dict[str, Run]]:
    """The runs that completed, by container count and case."""
    table: dict[int, dict[str, Run]] = {}
    for run in runs:
        if "error" in run:
            continue
        table.setdefault(int(run["config"]["size"]), {})[case_of(run)] = run
    return dict(sorted(table.items()))


def ratio(cases: Mapping[str, Run], case: str = "A") -> float:
    """Case A's (or V's) CPU per container-poll over case B's."""
    if case not in cases or "B" not in cases:
        return math.nan
    a = _num(cases[case].get("cpu_per_container_poll"))
    b = _num(cases["B"].get("cpu_per_container_poll"))
    return a / b if b else math.nan


def table(runs: Sequence[Run]) -> str:
    """The figures as a Markdown table, one row per container count and case."""
    lines = [
        (
            "| containers | case | interval | CPU per container-poll | A / B | one core busy "
            "| requests per container-hour | loop lag p50 / p99 | RSS per container "
            "| state writes per container-poll | poll to event (max) | fault to event, worst case |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, cases in by_size(runs).items():
        for case in CASES:
            if case not in cases:
                continue
            run = cases[case]
            config, fault = run["config"], run.get("fault", {})
            noisy = " †" if _num(run.get("others_busy")) > NOISY else ""
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"{size}",
                        f"{case} ({CASE_NAMES[case]})",
                        f"{_num(config['interval']):g} s",
                        _fmt(_num(run.get("cpu_per_container_poll")) * 1000, ".2f") + " ms",
                        _fmt(ratio(cases, case), ".2f") if case != "B" else "",
                        _fmt(_num(run.get("cpu_busy")) * 100, ".1f") + " %" + noisy,
                        _fmt(_num(run.get("requests_per_container_hour")), ",.0f"),
                        _fmt(_num(run.get("lag_p50")) * 1000, ".1f")
                        + " / "
                        + _fmt(_num(run.get("lag_p99")) * 1000, ".1f")
                        + " ms",
                        _fmt(_num(run.get("rss_per_container_bytes")) / 1024, ".0f") + " KiB",
                        _fmt(_num(run.get("state_writes_per_container_poll")), ".1f"),
                        _fmt(_num(fault.get("poll_to_event_max")) * 1000, ".0f") + " ms",
                        _fmt(_num(fault.get("worst_case_fault_to_event")), ".2f")
                        + f" s (target {_num(fault.get('target')):.2f} s)",
                    ]
                )
                + " |"
            )
    return "\n".join(lines)


def verdicts(runs: Sequence[Run]) -> list[tuple[str, bool | None, str]]:
    """Each target: what it is, whether it is met (None: not measured), and the figures."""
    sizes = by_size(runs)
    result: list[tuple[str, bool | None, str]] = []

    ratios = {size: ratio(cases) for size, cases in sizes.items()}
    measured = {size: r for size, r in ratios.items() if not math.isnan(r)}
    large = {size: r for size, r in measured.items() if size in LARGE_SITES}
    result.append(
        (
            "CPU per container-poll of A at most a quarter of B's, at N = 100 and 1000",
            all(r <= TARGET_RATIO for r in large.values())
            if len(large) == len(LARGE_SITES)
            else None,
            ", ".join(f"N={size}: {r:.2f}" for size, r in large.items()) or "needs both cases",
        )
    )
    viewed = {
        size: r
        for size, cases in sizes.items()
        if size in LARGE_SITES and not math.isnan(r := ratio(cases, "V"))
    }
    result.append(
        (
            "The same with every miners view open (V), at N = 100 and 1000",
            all(r <= TARGET_RATIO for r in viewed.values())
            if len(viewed) == len(LARGE_SITES)
            else None,
            ", ".join(f"N={size}: {r:.2f}" for size, r in viewed.items()) or "needs V and B",
        )
    )
    result.append(
        (
            "CPU per container-poll of A at most a quarter of B's, at every N",
            all(r <= TARGET_RATIO for r in measured.values()) if measured else None,
            ", ".join(f"N={size}: {r:.2f}" for size, r in measured.items()) or "needs both cases",
        )
    )

    big = sizes.get(1000, {}).get("A")
    if big is not None and _num(big["config"]["interval"]) == 10:
        busy, lag = _num(big.get("cpu_busy")), _num(big.get("lag_p99"))
        result.append(
            (
                "1000 containers at 10 s: one core under 50 % busy and p99 loop lag under 100 ms",
                busy < TARGET_BUSY and lag < TARGET_LAG,
                f"{busy * 100:.1f} % busy, p99 lag {lag * 1000:.0f} ms",
            )
        )
    else:
        result.append(
            (
                "1000 containers at 10 s: one core under 50 % busy and p99 loop lag under 100 ms",
                None,
                "needs N=1000 at a 10 s interval",
            )
        )

    lags = {
        case: _num(run.get("lag_p99"))
        for case, run in sizes.get(1000, {}).items()
        if case in ("A", "V") and _num(run["config"]["interval"]) == 10
    }
    result.append(
        (
            "1000 containers at 10 s: case A's p99 loop lag under 10 ms, miners views open or not",
            all(lag < TARGET_LAG_A for lag in lags.values()) if lags else None,
            ", ".join(f"{case}: {lag * 1000:.1f} ms" for case, lag in lags.items())
            or "needs A or V at N=1000 and a 10 s interval",
        )
    )

    worst: list[tuple[int, float, float]] = []
    for size, cases in sizes.items():
        if "A" in cases:
            fault = cases["A"].get("fault", {})
            slack = _num(fault.get("poll_to_event_max"))
            if not math.isnan(slack):
                worst.append((size, slack, _num(cases["A"]["config"]["interval"])))
    result.append(
        (
            "Fault to event (A) within one polling interval plus 100 ms",
            all(slack <= TARGET_FAULT_SLACK for _, slack, _ in worst) if worst else None,
            ", ".join(f"N={size}: interval + {slack * 1000:.0f} ms" for size, slack, _ in worst)
            or "needs case A",
        )
    )
    return result


def verdict_text(runs: Sequence[Run]) -> str:
    """The verdicts as Markdown list items."""
    marks = {True: "met", False: "**missed**", None: "not measured"}
    return "\n".join(f"- {what}: {marks[met]} ({figures})" for what, met, figures in verdicts(runs))


def chart(runs: Sequence[Run], path: Path) -> None:
    """CPU per container-poll against N for both cases, as a PNG (matplotlib, `bench` group)."""
    import matplotlib as mpl  # noqa: PLC0415 - only the chart needs it

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sizes = by_size(runs)
    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=120)
    styles = {"A": ("tab:blue", "o"), "V": ("tab:green", "^"), "B": ("tab:orange", "s")}
    labels = {
        "A": "A: this integration (one config entry per container)",
        "V": "V: A with every container's miners view open",
        "B": "B: `rest` integration, same entities by templates",
    }
    for case in CASES:
        points = [
            (size, _num(cases[case].get("cpu_per_container_poll")) * 1000)
            for size, cases in sizes.items()
            if case in cases
        ]
        if not points:
            continue
        color, marker = styles[case]
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, marker=marker, color=color, label=labels[case], linewidth=2)
        for x, y in points:
            ax.annotate(
                f"{y:.2f}",
                (x, y),
                textcoords="offset points",
                xytext=(0, -13) if case == "A" else (0, 7),  # A's below: V runs close above
                ha="center",
                fontsize=8,
                color=color,
            )
    quarter = [
        (size, _num(cases["B"].get("cpu_per_container_poll")) * 1000 * TARGET_RATIO)
        for size, cases in sizes.items()
        if "B" in cases
    ]
    if quarter:
        xs, ys = zip(*quarter, strict=True)
        ax.plot(xs, ys, linestyle=":", color="gray", label="target for A: a quarter of B")
    ax.set_xscale("log")
    intervals = {
        size: _num(next(iter(cases.values()))["config"]["interval"])
        for size, cases in sizes.items()
    }
    ax.set_xticks(list(sizes), [f"{size}\n(every {intervals[size]:g} s)" for size in sizes])
    ax.minorticks_off()
    tops = [
        _num(run.get("cpu_per_container_poll")) * 1000
        for cases in sizes.values()
        for run in cases.values()
    ]
    ax.set_ylim(0, max([t for t in tops if not math.isnan(t)], default=1.0) * 1.5)
    ax.set_xlabel("containers (N)")
    ax.set_ylabel("CPU ms per container per poll")
    ax.set_title("Home Assistant process CPU per container-poll (lower is better)")
    ax.grid(visible=True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", framealpha=0.9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
