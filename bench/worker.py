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
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
import contextlib
from dataclasses import asdict, dataclass
import gc
import json
import logging
import math
import os
from pathlib import Path
import resource
import statistics
import sys
import tempfile
import time
from typing import Any, Final

import aiohttp
from homeassistant import config_entries, loader
from homeassistant.const import (
    EVENT_HOMEASSISTANT_FINAL_WRITE,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import (
    aiohttp_client,
    area_registry,
    category_registry,
    condition,
    device_registry,
    entity,
    entity_registry as er,
    floor_registry,
    frame,
    issue_registry,
    label_registry,
    restore_state,
    template,
    translation,
    trigger,
)
from homeassistant.helpers.storage import get_internal_store_manager
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
from homeassistant.util.executor import InterruptibleThreadPoolExecutor

from bench.cases import (
    FAULT_FLAG,
    Container,
    alert_unique_id,
    b_counts,
    b_entity_id,
    config_entry,
    rest_config,
)
from custom_components.antspace.pyantspace import Kind

REPO: Final = Path(__file__).resolve().parent.parent
INTEGRATION_DIR: Final = REPO / "custom_components" / "antspace"
LAG_PERIOD: Final = 0.05
"""s between two ticks of the loop-lag meter."""
FAULT_LEAD: Final = 1.0
"""s a fault is raised at least before the container's next scheduled poll (at most half an
interval): time enough for the control request to reach a busy mock."""
FAULT_SLACK: Final = 0.5
"""s beyond FAULT_LEAD within which a container's next poll may be when its fault is raised."""
REQUEST_SAMPLE: Final = 10
"""Containers (evenly spread) whose requests the mock counts over the window."""
IDLE_SECONDS: Final = 2.0
"""s over which the CPU of the idle Home Assistant is measured."""
OUTLIER: Final = 0.05
"""s of loop lag or collector pause worth noting with its time."""
A_PLATFORMS: Final = ("binary_sensor", "button", "event", "fan", "number", "sensor", "switch")
CORE_INTEGRATIONS: Final = ("persistent_notification",)
"""Of what Home Assistant always sets up first (`bootstrap.CORE_INTEGRATIONS`), what the
cases may use; the `homeassistant` integration (core actions, 2.5 s of imports) is left out."""
B_INTEGRATIONS: Final = ("rest", "integration", "sensor", "binary_sensor")


@dataclass(frozen=True, slots=True)
class RunConfig:
    """What one run measures."""

    case: str  # "A" (this integration) or "B" (rest)
    size: int
    interval: float
    warmup: int
    cycles: int
    faults: int
    seed: int = 1
    frozen: bool = False
    """The mock's values stand still (else its plant dynamics move them at every read)."""
    profile: str | None = None
    """Write a pyinstrument profile of the window to this file (.html, else text)."""


@dataclass(slots=True)
class FaultTiming:
    """One fault raised on the mock and when Home Assistant showed it; seconds."""

    container: int
    kind: str
    to_next_poll: float
    """From the fault to the poll that was then scheduled next."""
    to_event: float | None = None
    """From the fault to the `antspace_alert` event (case A) or the binary sensor (case B)."""
    to_state: float | None = None
    """From the fault to the problem binary sensor turning on."""

    @property
    def poll_to_event(self) -> float | None:
        """From the scheduled poll to the event and the state, whichever came last."""
        if self.to_event is None or self.to_state is None:
            return None
        return max(self.to_event, self.to_state) - self.to_next_poll


def rss_bytes() -> int:
    """Resident memory of this process now."""
    with Path("/proc/self/statm").open(encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) another process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_jiffies() -> int:
    """CPU time the whole machine has been busy so far, in clock ticks (from /proc/stat)."""
    fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return user + nice + system + irq + softirq + steal


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` percentile (0..1) of values, nearest rank; nan for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


class LagMeter:
    """Notes how late a timer due every LAG_PERIOD runs: the loop's lag."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        """Prepare; nothing runs until `start`."""
        self._loop = loop
        self._due = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self.recording = False
        self.samples: list[float] = []
        self.outliers: list[tuple[float, float]] = []
        """(loop time, lag) of the ticks later than OUTLIER."""

    def start(self) -> None:
        """Tick from now on."""
        self._schedule(self._loop.time() + LAG_PERIOD)

    def stop(self) -> None:
        """Stop ticking."""
        if self._handle is not None:
            self._handle.cancel()

    def _schedule(self, when: float) -> None:
        self._due = when
        self._handle = self._loop.call_at(when, self._tick)

    def _tick(self) -> None:
        now = self._loop.time()
        if self.recording:
            lag = max(0.0, now - self._due)
            self.samples.append(lag)
            if lag > OUTLIER:
                self.outliers.append((now, lag))
        self._schedule(now + LAG_PERIOD)


class GcMeter:
    """Notes how long the cyclic garbage collector holds the loop, while `recording`."""

    def __init__(self) -> None:
        """Hook into the collector."""
        self.recording = False
        self.pauses: list[float] = []
        self.outliers: list[tuple[float, float, int]] = []
        """(loop time, pause, generation) of the collections longer than OUTLIER."""
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def close(self) -> None:
        """Unhook."""
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.recording:
            pause = time.perf_counter() - self._start
            self.pauses.append(pause)
            if pause > OUTLIER:
                self.outliers.append((time.monotonic(), pause, info.get("generation", -1)))


# The mock --------------------------------------------------------------------------------
def bulk_entries(size: int, seed: int, *, frozen: bool = False) -> list[dict[str, Any]]:
    """The mock's bulk file: HK3 and Immersion containers in turn, any free port."""
    return [
        {"type": "HK3" if index % 2 == 0 else "IMMERSION", "seed": seed + index, "frozen": frozen}
        for index in range(size)
    ]


async def start_mock(
    bulk: Path, count: int, log: Path
) -> tuple[asyncio.subprocess.Process, list[tuple[str, int]]]:
    """Start `python -m mock --bulk FILE` and read the kind and port of each container."""
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "mock",
            "--bulk",
            str(bulk),
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )
    served: list[tuple[str, int]] = []
    if process.stdout is None:  # pragma: no cover - asked for above
        raise RuntimeError("no pipe from the mock")
    while len(served) < count:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=120)
        if not line:
            raise RuntimeError(f"the mock stopped; see {log}")
        kind, url = line.decode().split()
        served.append((kind.lower(), int(url.rsplit(":", 1)[1].split("/", 1)[0])))
    return process, served


async def stop_mock(process: asyncio.subprocess.Process) -> None:
    """Stop the mock (SIGTERM, then SIGKILL after 10 s)."""
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout=10)
    except TimeoutError:
        process.kill()
        await process.wait()


# Home Assistant --------------------------------------------------------------------------
def make_config_dir(root: Path) -> Path:
    """An empty config dir, whose `custom_components/antspace` is this repository's.

    This process has imported the repository's `custom_components` package already (the
    cases read the integration's entity descriptions), so Home Assistant's loader finds the
    integration there; the link makes the config dir complete all the same.
    """
    config = root / "config"
    custom = config / "custom_components"
    custom.mkdir(parents=True)
    (custom / "antspace").symlink_to(INTEGRATION_DIR, target_is_directory=True)
    return config


def use_plain_resolver() -> None:
    """Resolve names without zeroconf, as Home Assistant's own tests do.

    Home Assistant's HTTP session resolves `.local` names through its zeroconf integration,
    which would send multicast queries on the machine's networks. The benchmark connects to
    127.0.0.1 only (an address: nothing is resolved), and sets up no zeroconf.
    """

    def make_resolver(hass: HomeAssistant) -> Any:
        resolver = aiohttp.ThreadedResolver()
        resolver.real_close = resolver.close  # type: ignore[attr-defined]
        return resolver

    aiohttp_client._async_make_resolver = make_resolver  # noqa: SLF001


async def load_base_functionality(hass: HomeAssistant) -> None:
    """What `bootstrap.async_load_base_functionality` does, less what the bench needs not.

    `homeassistant.bootstrap` itself is not imported: it imports the recorder, HTTP and
    cloud modules, four seconds of a run's start.
    """
    entity.async_setup(hass)
    frame.async_setup(hass)
    template.async_setup(hass)
    translation.async_setup(hass)
    device_registry.async_setup(hass)
    await asyncio.gather(
        get_internal_store_manager(hass).async_initialize(),
        area_registry.async_load(hass),
        category_registry.async_load(hass),
        device_registry.async_load(hass),
        er.async_load(hass),
        floor_registry.async_load(hass),
        issue_registry.async_load(hass),
        label_registry.async_load(hass),
        restore_state.async_load(hass),
        hass.config_entries.async_initialize(),
        condition.async_setup(hass),
        trigger.async_setup(hass),
    )


async def start_hass(config_dir: Path) -> HomeAssistant:
    """A Home Assistant core with its base functionality loaded, running; no recorder."""
    use_plain_resolver()
    hass = HomeAssistant(str(config_dir))
    hass.config.skip_pip = True
    await hass.config.async_set_time_zone("UTC")
    loader.async_setup(hass)
    hass.config_entries = config_entries.ConfigEntries(hass, {})
    await loader.async_get_custom_components(hass)
    await load_base_functionality(hass)
    for domain in CORE_INTEGRATIONS:
        if not await async_setup_component(hass, domain, {}):
            raise RuntimeError(f"{domain} did not set up")
    await hass.async_start()
    return hass


async def preload(hass: HomeAssistant, case: str) -> None:
    """Import the modules of a case, so that the empty baseline's RSS includes them."""
    if case == "A":
        integration = await async_get_integration(hass, "antspace")
        await integration.async_get_component()
        await integration.async_get_platforms(A_PLATFORMS)
        domains: Sequence[str] = A_PLATFORMS
    else:
        for domain, platforms in (
            ("rest", ("sensor", "binary_sensor")),
            ("integration", ("sensor",)),
        ):
            integration = await async_get_integration(hass, domain)
            await integration.async_get_component()
            await integration.async_get_platforms(platforms)
        domains = B_INTEGRATIONS
    for domain in domains:
        await (await async_get_integration(hass, domain)).async_get_component()


async def flush_storage(hass: HomeAssistant) -> None:
    """Write the registries' delayed saves now, so that none falls in the window."""
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()


def next_poll(coordinator: Any) -> float | None:
    """Loop time of a coordinator's next scheduled poll; None while one is in flight."""
    unsub = coordinator._unsub_refresh  # noqa: SLF001 - the bench reads HA's timer
    handle = getattr(unsub, "__self__", None)
    return handle.when() if isinstance(handle, asyncio.TimerHandle) else None


def b_matches(a_counts: dict[str, dict[str, int]]) -> dict[str, bool]:
    """Per kind, whether case B has an entity for each of case A's, platform by platform."""
    result: dict[str, bool] = {}
    for kind, counts in a_counts.items():
        b = b_counts(Kind(kind))
        result[kind] = all(
            counts.get(platform, 0) == b[f"as_{platform}"]
            for platform in ("sensor", "binary_sensor", "fan", "switch", "number")
        )
    return result


class Case:
    """The containers of one run, set up in one of the two ways."""

    def __init__(self, hass: HomeAssistant, config: RunConfig, containers: list[Container]) -> None:
        """Bind to a running Home Assistant."""
        self.hass = hass
        self.config = config
        self.containers = containers
        self.coordinators: list[Any] = []
        """Per container, the coordinator that reads `coolerState`."""
        self.all_coordinators: list[Any] = []
        self.polls_per_container_poll = 1
        self.fault_entities: dict[str, int] = {}
        """The binary sensor that shows the raised fault, to its container's index."""
        self.entries: dict[str, int] = {}
        """Config entry id to container index (case A)."""

    async def setup(self) -> None:
        """Set up every container."""
        if self.config.case == "A":
            await self._setup_a()
        else:
            await self._setup_b()
        await self.hass.async_block_till_done()

    async def _setup_a(self) -> None:
        entries = [config_entry(c, self.config.interval) for c in self.containers]
        for start in range(0, len(entries), 50):
            await asyncio.gather(
                *(self.hass.config_entries.async_add(e) for e in entries[start : start + 50])
            )
        registry = er.async_get(self.hass)
        for container, entry in zip(self.containers, entries, strict=True):
            if entry.state.value != "loaded":
                raise RuntimeError(f"container {container.index} did not set up: {entry.state}")
            self.entries[entry.entry_id] = container.index
            self.coordinators.append(entry.runtime_data)
            entity_id = registry.async_get_entity_id(
                "binary_sensor", "antspace", alert_unique_id(entry.entry_id)
            )
            if entity_id is None:
                raise RuntimeError("case A has no problem binary sensor for the raised fault")
            self.fault_entities[entity_id] = container.index
        self.all_coordinators = list(self.coordinators)

    async def _setup_b(self) -> None:
        config = rest_config(self.containers, self.config.interval)
        if not await async_setup_component(self.hass, "rest", config):
            raise RuntimeError("rest did not set up")
        if not await async_setup_component(self.hass, "sensor", config):
            raise RuntimeError("sensor did not set up")
        await self.hass.async_block_till_done()
        coordinators = self.hass.data["rest"]["coordinator"]
        self.all_coordinators = list(coordinators)
        self.coordinators = list(coordinators[0::2])  # coolerState, then minerInfo
        self.polls_per_container_poll = 2
        for container in self.containers:
            entity_id = b_entity_id("binary_sensor", container.index, f"alert_{FAULT_FLAG}")
            if self.hass.states.get(entity_id) is None:
                raise RuntimeError(f"case B has no {entity_id}")
            self.fault_entities[entity_id] = container.index

    def entity_counts(self) -> dict[str, dict[str, int]]:
        """Entities per container kind and platform (enabled ones, with a state)."""
        registry = er.async_get(self.hass)
        kind_of = {c.index: c.kind.value for c in self.containers}
        counts: dict[str, Counter[str]] = {}
        for state in self.hass.states.async_all():
            entry = registry.async_get(state.entity_id)
            if entry is None:
                continue
            if self.config.case == "A":
                index = self.entries.get(entry.config_entry_id or "")
            elif entry.unique_id.startswith("bench_"):
                index = int(entry.unique_id.split("_")[1])
            else:
                index = None
            if index is None:
                continue
            kind_counts = counts.setdefault(kind_of[index], Counter())
            kind_counts[state.domain] += 1
            kind_counts["total"] += 1
        n_by_kind = Counter(kind_of.values())
        return {
            kind: {domain: n // n_by_kind[kind] for domain, n in sorted(c.items())}
            for kind, c in counts.items()
        }


async def measure_faults(
    hass: HomeAssistant, case: Case, session: aiohttp.ClientSession, count: int
) -> tuple[list[FaultTiming], int]:
    """Raise a fault on `count` containers shortly before their next poll; time the result."""
    interval = case.config.interval
    loop = asyncio.get_running_loop()
    timings: dict[int, FaultTiming] = {}
    fault_at: dict[int, float] = {}
    raced: list[int] = []
    done = asyncio.Event()

    def _check_done() -> None:
        if all(
            t.to_state is not None and (case.config.case == "B" or t.to_event is not None)
            for t in timings.values()
        ):
            done.set()

    @callback
    def on_alert(event: Event[dict[str, Any]]) -> None:
        index = case.entries.get(event.data.get("entry_id", ""))
        data = event.data
        if index in timings and data.get("alert") == FAULT_FLAG and data.get("active"):
            timing = timings[index]
            if timing.to_event is None:
                timing.to_event = loop.time() - fault_at[index]
            _check_done()

    @callback
    def on_state(event: Event[EventStateChangedData]) -> None:
        index = case.fault_entities.get(event.data["entity_id"])
        new = event.data.get("new_state")
        if index in timings and new is not None and new.state == "on":
            timing = timings[index]
            if timing.to_state is None:
                timing.to_state = loop.time() - fault_at[index]
                if case.config.case == "B":
                    timing.to_event = timing.to_state
            _check_done()

    async def raise_fault(when: float, position: int) -> None:
        container = case.containers[position]
        url = f"http://127.0.0.1:{container.port}/_mock/fault"
        params = {"flag": FAULT_FLAG, "active": "1"}
        async with session.post(url, params=params) as response:
            response.raise_for_status()
            await response.read()
        raised = loop.time()
        if raised >= when:
            raced.append(container.index)
            return
        fault_at[container.index] = raised
        timings[container.index] = FaultTiming(
            container=container.index, kind=container.kind.value, to_next_poll=when - raised
        )

    unsubs = [hass.bus.async_listen(EVENT_STATE_CHANGED, on_state)]
    if case.config.case == "A":
        unsubs.append(hass.bus.async_listen("antspace_alert", on_alert))
    try:
        # Raise the fault on containers whose next poll is `lead` to `lead + WINDOW` s away,
        # soonest first, as they come, until `count` are raised or an interval has passed.
        lead = min(FAULT_LEAD, interval / 2)
        waiting = set(range(len(case.containers)))
        tasks: list[asyncio.Task[None]] = []
        give_up = loop.time() + interval + lead
        while len(tasks) < count and waiting and loop.time() < give_up:
            now = loop.time()
            eligible = sorted(
                (when, i)
                for i in waiting
                if (when := next_poll(case.coordinators[i])) is not None
                and lead <= when - now <= lead + FAULT_SLACK
            )
            for when, i in eligible[: count - len(tasks)]:
                waiting.discard(i)
                tasks.append(loop.create_task(raise_fault(when, i)))
            await asyncio.sleep(LAG_PERIOD)
        await asyncio.gather(*tasks)
        if timings:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout=interval + 10)
    finally:
        for unsub in unsubs:
            unsub()
    return sorted(timings.values(), key=lambda t: t.container), len(raced)


def summarize_faults(timings: list[FaultTiming], raced: int, interval: float) -> dict[str, Any]:
    """The fault figures: raw timings and the worst case against the target."""
    poll_to_event = [p for t in timings if (p := t.poll_to_event) is not None]
    to_event = [t.to_event for t in timings if t.to_event is not None]
    missed = sum(1 for t in timings if t.poll_to_event is None)
    worst = max(poll_to_event) if poll_to_event else math.nan
    return {
        "count": len(timings),
        "raced": raced,
        "missed": missed,
        "fault_to_event_max": max(to_event) if to_event else math.nan,
        "to_next_poll_max": max((t.to_next_poll for t in timings), default=math.nan),
        "poll_to_event_p50": statistics.median(poll_to_event) if poll_to_event else math.nan,
        "poll_to_event_max": worst,
        "worst_case_fault_to_event": interval + worst,
        "target": interval + 0.1,
        "timings": [asdict(t) | {"poll_to_event": t.poll_to_event} for t in timings],
    }


@contextlib.contextmanager
def profiled(path: str | None) -> Iterator[None]:
    """Profile this process with pyinstrument (of the `bench` group) while inside."""
    if path is None:
        yield
        return
    from pyinstrument import Profiler  # noqa: PLC0415 - only when asked for

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        out = Path(path)
        if out.suffix == ".html":
            out.write_text(profiler.output_html(), encoding="utf-8")
        else:
            text = profiler.output_text(unicode=True, show_all=True, time="percent_of_total")
            out.write_text(text, encoding="utf-8")


async def idle_cpu_rate(loop: asyncio.AbstractEventLoop) -> float:
    """CPU s/s of this process while Home Assistant idles (nothing set up)."""
    await asyncio.sleep(4 * LAG_PERIOD)
    t0, cpu0 = loop.time(), time.process_time()
    await asyncio.sleep(IDLE_SECONDS)
    return (time.process_time() - cpu0) / (loop.time() - t0)


async def sleep_until(loop: asyncio.AbstractEventLoop, when: float) -> None:
    """Sleep until loop time `when`."""
    await asyncio.sleep(max(0.0, when - loop.time()))


class Window:
    """Counts and meters that record while a measurement window is open."""

    def __init__(
        self, hass: HomeAssistant, case: Case, mock_pid: int, lag: LagMeter, idle_rate: float
    ) -> None:
        """Hook the counters into Home Assistant; nothing is recorded until `open`.

        `idle_rate` is the CPU s/s of the same process before anything was set up (the lag
        meter ticking): subtracted from the window's CPU to give the cost of the polls.
        """
        self._hass = hass
        self._case = case
        self._mock_pid = mock_pid
        self.recording = False
        self.polls = 0
        self.failed_polls = 0
        self.changed = 0
        self.reported = 0
        self.lag = lag
        self.idle_rate = idle_rate
        self.gc = GcMeter()
        self._unsubs = [
            hass.bus.async_listen(
                EVENT_STATE_CHANGED, _never_called, event_filter=self._count_changed
            ),
            hass.bus.async_listen(
                EVENT_STATE_REPORTED, _never_called, event_filter=self._count_reported
            ),
        ]
        self._unsubs.extend(
            coordinator.async_add_listener(self._poll_counter(coordinator))
            for coordinator in case.all_coordinators
        )
        self._t0 = self._cpu0 = self._mock0 = self._machine0 = 0.0

    @callback
    def _count_changed(self, event_data: Any) -> bool:
        """Count a `state_changed` event; let none through to the listener."""
        if self.recording:
            self.changed += 1
        return False

    @callback
    def _count_reported(self, event_data: Any) -> bool:
        """Count a `state_reported` event; let none through to the listener."""
        if self.recording:
            self.reported += 1
        return False

    def _poll_counter(self, coordinator: Any) -> Callable[[], None]:
        @callback
        def _counted() -> None:
            if self.recording:
                self.polls += 1
                if not coordinator.last_update_success:
                    self.failed_polls += 1

        return _counted

    def open(self) -> None:
        """Start recording from zero."""
        self.polls = self.failed_polls = self.changed = self.reported = 0
        self.lag.samples.clear()
        self.lag.outliers.clear()
        self.gc.pauses.clear()
        self.gc.outliers.clear()
        self._mock0, self._machine0 = cpu_of(self._mock_pid), busy_jiffies()
        self._t0, self._cpu0 = self._hass.loop.time(), time.process_time()
        self.recording = self.lag.recording = self.gc.recording = True

    def close(self) -> dict[str, Any]:
        """Stop recording; the window's figures."""
        self.recording = self.lag.recording = self.gc.recording = False
        seconds = self._hass.loop.time() - self._t0
        cpu = time.process_time() - self._cpu0
        mock = cpu_of(self._mock_pid) - self._mock0
        machine = (busy_jiffies() - self._machine0) / os.sysconf("SC_CLK_TCK")
        config = self._case.config
        polls = self.polls / self._case.polls_per_container_poll
        changed, reported = self.changed, self.reported
        lags, pauses = self.lag.samples, self.gc.pauses
        return {
            "window": {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "container_polls": polls,
                "expected_container_polls": config.size * config.cycles,
                "failed_polls": self.failed_polls,
                "mock_cpu_seconds": mock,
            },
            "cpu_per_container_poll": (
                max(0.0, cpu - self.idle_rate * seconds) / polls if polls else math.nan
            ),
            "cpu_per_container_poll_gross": cpu / polls if polls else math.nan,
            "cpu_idle_busy": self.idle_rate,
            "cpu_busy": cpu / seconds,
            "mock_busy": mock / seconds,
            "others_busy": max(0.0, machine - cpu - mock) / seconds,
            "lag_p50": percentile(lags, 0.50),
            "lag_p99": percentile(lags, 0.99),
            "lag_max": max(lags, default=math.nan),
            "lag_samples": len(lags),
            "gc_collections": len(pauses),
            "gc_seconds": sum(pauses),
            "gc_max_pause": max(pauses, default=0.0),
            "lag_outliers": [(round(t - self._t0, 3), round(v, 4)) for t, v in self.lag.outliers],
            "gc_outliers": [
                (round(t - self._t0, 3), round(v, 4), g) for t, v, g in self.gc.outliers
            ],
            "state_changed": changed,
            "state_reported": reported,
            "state_writes_per_container_poll": (changed + reported) / polls if polls else math.nan,
        }

    def remove(self) -> None:
        """Unhook everything."""
        self.lag.stop()
        self.gc.close()
        for unsub in self._unsubs:
            unsub()


@callback
def _never_called(event: Event[Any]) -> None:  # pragma: no cover - filtered out
    """The listener behind a counting filter, which lets no event through."""


async def run(config: RunConfig) -> dict[str, Any]:
    """Carry out one run and return its figures."""
    loop = asyncio.get_running_loop()
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
            await flush_storage(hass)
            stage("setup")

            # Warm-up, then a window of whole cycles that starts on a whole second (the
            # coordinators poll at whole seconds plus 0.05 to 0.5 s).
            window = Window(hass, case, mock.pid, lag, idle_rate)
            await asyncio.sleep(config.warmup * config.interval)
            await flush_storage(hass)
            await sleep_until(loop, math.ceil(loop.time()))
            async with aiohttp.ClientSession() as session:
                # Polls come at whole seconds plus 0.05 s or more: none between the count and
                # the window's opening, or between its closing and the count.
                sample = case.containers[:: max(1, len(case.containers) // REQUEST_SAMPLE)]
                requests = await mock_requests(session, sample)
                window.open()
                with profiled(config.profile):
                    await asyncio.sleep(config.cycles * config.interval)
                result.update(window.close())
                requests = await mock_requests(session, sample) - requests
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


async def mock_requests(session: aiohttp.ClientSession, containers: Sequence[Container]) -> int:
    """The requests the mock has received on `/cooler` from these containers, in all."""

    async def one(container: Container) -> int:
        url = f"http://127.0.0.1:{container.port}/_mock/state"
        async with session.get(url) as response:
            response.raise_for_status()
            state = await response.json()
        return sum(int(n) for n in state["requests"].values())

    return sum(await asyncio.gather(*(one(c) for c in containers)))


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
    args = parser.parse_args(argv)
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
