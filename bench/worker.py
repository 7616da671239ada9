"""One measurement: a real Home Assistant core in this process, the mock in a child process.

`python -m bench.worker --case A --size 100 --interval 5 --cycles 3` prints one JSON object
(the figures of this run) as its last line of output. `bench.run` starts one such process per
case and size, so that no run inherits another's memory, caches or open connections.

What is measured, in this process only (the mock's CPU is its own and reported apart):
- CPU: `time.process_time()` (every thread of the process) over whole polling cycles after the
  warm-up, less what the process used idle before anything was set up, divided by the polls
  that completed in that window (and, as "one core busy", the whole of it over the wall time);
- event-loop lag: a timer due every 50 ms notes how late it ran, during that window;
- resident memory: RSS once the containers are set up and warmed up, less the RSS of the
  same Home Assistant with the case's modules imported but nothing set up, divided by N;
- state writes: `state_changed` and `state_reported` events during the window, per poll;
- the collector's pauses, and the times of the longest lags and pauses;
- fault to event: a fault raised on mock containers through `/_mock/fault`, timed until the
  alert event and the problem binary sensor (case A) or the binary sensor (case B), beside the
  time at which the container's next poll was scheduled when the fault was raised.

With `--miners-view` (case A), every container's miners view is open from setup on
(`bench.views`), a miner summary interval before the warm-up, so that the window sees views
that have been open a while: each asks at the miner summary's pace.

This module runs one measurement (`run`) and is its command line; the mock, Home Assistant and
the case's setup are in `bench.harness`, the meters and the window in `bench.meters`.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from dataclasses import asdict
import gc
import json
import logging
import math
from pathlib import Path
import resource
import signal
import sys
import tempfile
import time
from typing import Any, Final

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.util.executor import InterruptibleThreadPoolExecutor

from bench.cases import Container
from bench.harness import (
    Case,
    RunConfig,
    b_matches,
    bulk_entries,
    flush_storage,
    make_config_dir,
    preload,
    start_hass,
    start_mock,
    stop_mock,
)
from bench.meters import (
    LagMeter,
    Window,
    idle_cpu_rate,
    measure_faults,
    mock_requests,
    profiled,
    rss_bytes,
    summarize_faults,
)
from bench.views import MinersViews
from custom_components.antspace.pyantspace import Kind

REQUEST_SAMPLE: Final = 10
"""Containers (evenly spread) whose requests the mock counts over the window."""


async def sleep_until(loop: asyncio.AbstractEventLoop, when: float) -> None:
    """Sleep until loop time `when`."""
    await asyncio.sleep(max(0.0, when - loop.time()))


async def run(config: RunConfig) -> dict[str, Any]:
    """Carry out one run and return its figures."""
    loop = asyncio.get_running_loop()
    if (task := asyncio.current_task()) is not None:
        # Stopped from outside, the run still stops its mock and Home Assistant (below).
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    started = time.monotonic()
    result: dict[str, Any] = {"config": asdict(config)}
    stages: dict[str, float] = {}

    def stage(name: str) -> None:
        stages[name] = round(time.monotonic() - started, 3)

    with tempfile.TemporaryDirectory(prefix="antspace-bench-") as tmp:
        root = Path(tmp)
        bulk = root / "bulk.json"
        bulk.write_text(
            json.dumps(bulk_entries(config.size, config.seed, frozen=config.frozen)),
            encoding="utf-8",
        )
        mock, served = await start_mock(bulk, config.size, root / "mock.log")
        hass: HomeAssistant | None = None
        try:
            containers = [
                Container(index=i, kind=Kind(kind), port=port)
                for i, (kind, port) in enumerate(served)
            ]
            stage("mock")
            hass = await start_hass(make_config_dir(root))
            await preload(hass, config.case)
            gc.collect()
            rss_empty = rss_bytes()
            lag = LagMeter(loop)
            lag.start()
            idle_rate = await idle_cpu_rate(loop)
            stage("hass")

            case = Case(hass, config, containers)
            setup_wall, setup_cpu = time.monotonic(), time.process_time()
            await case.setup()
            result["setup_seconds"] = time.monotonic() - setup_wall
            result["setup_cpu_seconds"] = time.process_time() - setup_cpu
            result["entities_per_container"] = counts = case.entity_counts()
            if config.case == "A":
                result["case_b_matches"] = b_matches(counts)
            result["entities"] = len(hass.states.async_all())
            views: MinersViews | None = None
            if config.miners_view:
                views = MinersViews(hass, list(case.entries))
                interval = case.coordinators[0].miner_interval.total_seconds()
                await views.start(interval)
                await asyncio.sleep(interval)
            await flush_storage(hass)
            stage("setup")

            # Warm-up, then a window of whole cycles: every container polls once a cycle in it.
            window = Window(hass, case, mock.pid, lag, idle_rate)
            await asyncio.sleep(config.warmup * config.interval)
            await flush_storage(hass)
            await sleep_until(loop, math.ceil(loop.time()))
            async with aiohttp.ClientSession() as session:
                # Over whole cycles each container of the sample polls once a cycle, wherever
                # the window starts (case A's batches are spread over the interval).
                sample = case.containers[:: max(1, len(case.containers) // REQUEST_SAMPLE)]
                requests = await mock_requests(session, sample)
                window.open()
                with profiled(config.profile):
                    await asyncio.sleep(config.cycles * config.interval)
                result.update(window.close())
                requests = await mock_requests(session, sample) - requests
            if views is not None:
                result["miners_view"] = views.stop()
            result["requests_per_container_hour"] = (
                requests / len(sample) / (config.cycles * config.interval) * 3600
            )
            gc.collect()
            rss_loaded = rss_bytes()
            result["rss_empty_bytes"] = rss_empty
            result["rss_loaded_bytes"] = rss_loaded
            result["rss_per_container_bytes"] = (rss_loaded - rss_empty) / config.size
            stage("window")

            async with aiohttp.ClientSession() as session:
                timings, raced = await measure_faults(
                    hass, case, session, min(config.faults, config.size)
                )
            result["fault"] = summarize_faults(timings, raced, config.interval)
            window.remove()
            stage("fault")
        finally:
            if hass is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(hass.async_stop(), timeout=30)
            await stop_mock(mock)
    stage("stopped")
    result["wall_seconds"] = time.monotonic() - started
    result["stages"] = stages
    return result


def raise_file_limit() -> None:
    """Let this process hold a few connections per container."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def parse_args(argv: Sequence[str] | None = None) -> RunConfig:
    """The run the command line asks for."""
    parser = argparse.ArgumentParser(prog="python -m bench.worker", description=__doc__)
    parser.add_argument("--case", choices=("A", "B"), required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--interval", type=float, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--faults", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--frozen", action="store_true", help="the mock's values stand still")
    parser.add_argument("--profile", metavar="FILE", help="pyinstrument profile of the window")
    parser.add_argument(
        "--miners-view",
        action="store_true",
        help="case A with every container's miners view open (bench.views)",
    )
    args = parser.parse_args(argv)
    if args.miners_view and args.case != "A":
        parser.error("--miners-view is a variant of case A")
    return RunConfig(
        case=args.case,
        size=args.size,
        interval=args.interval,
        warmup=args.warmup,
        cycles=args.cycles,
        faults=args.faults,
        seed=args.seed,
        frozen=args.frozen,
        profile=args.profile,
        miners_view=args.miners_view,
    )


def new_event_loop() -> asyncio.AbstractEventLoop:
    """An event loop set up as `homeassistant.runner` sets up Home Assistant's.

    (`homeassistant.runner` is not imported: it imports `homeassistant.bootstrap`.)
    """
    loop = asyncio.EventLoop()
    loop.set_default_executor(
        InterruptibleThreadPoolExecutor(thread_name_prefix="SyncWorker", max_workers=64)
    )
    loop.time = time.monotonic  # type: ignore[method-assign]
    return loop


def finite(value: Any) -> Any:
    """The value for JSON: NaN and infinities become null, containers are walked."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run once and print the figures as one line of JSON."""
    config = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)
    raise_file_limit()
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        result = runner.run(run(config))
    print(json.dumps(finite(result), allow_nan=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
