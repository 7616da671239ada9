"""The measurements of one benchmark run: CPU, memory, loop lag, collector, state writes, faults.

- `rss_bytes`, `cpu_of`, `busy_jiffies`: this process's memory, another's CPU and the whole
  machine's, from `/proc`; `percentile`;
- `LagMeter`: a timer due every 50 ms that notes how late it ran (the event loop's lag);
- `GcMeter`: how long the cyclic garbage collector holds the loop;
- `Window`: the counters (polls, `state_changed` and `state_reported` events) and meters that
  record while a measurement window is open, and the window's figures;
- `measure_faults`, `summarize_faults`, `FaultTiming`: a fault raised on mock containers
  shortly before their next poll, timed until Home Assistant shows it;
- `idle_cpu_rate`, `mock_requests`, `profiled`: the idle core's CPU, the requests the mock
  counted, a pyinstrument profile of the window.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
import contextlib
from dataclasses import asdict, dataclass
import gc
import math
import os
from pathlib import Path
import statistics
import time
from typing import Any, Final

import aiohttp
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback

from bench.cases import FAULT_FLAG, Container
from bench.harness import Case

LAG_PERIOD: Final = 0.05
"""s between two ticks of the loop-lag meter."""
FAULT_LEAD: Final = 1.0
"""s a fault is raised at least before the container's next scheduled poll (at most half an
interval): time enough for the control request to reach a busy mock."""
FAULT_SLACK: Final = 0.5
"""s beyond FAULT_LEAD within which a container's next poll may be when its fault is raised."""
IDLE_SECONDS: Final = 2.0
"""s over which the CPU of the idle Home Assistant is measured."""
OUTLIER: Final = 0.05
"""s of loop lag or collector pause worth noting with its time."""


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


def next_poll(coordinator: Any) -> float | None:
    """Loop time of a coordinator's next scheduled poll (its batch's); None while it has none."""
    batch = getattr(coordinator, "poll_batch", None)
    return getattr(batch, "next_poll", None)


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


async def mock_requests(session: aiohttp.ClientSession, containers: Sequence[Container]) -> int:
    """The requests the mock has received on `/cooler` from these containers, in all."""

    async def one(container: Container) -> int:
        url = f"http://127.0.0.1:{container.port}/_mock/state"
        async with session.get(url) as response:
            response.raise_for_status()
            state = await response.json()
        return sum(int(n) for n in state["requests"].values())

    return sum(await asyncio.gather(*(one(c) for c in containers)))
