"""Hours of faults in seconds: many containers misbehaving at random while Home Assistant polls.

Time is compressed with Home Assistant's time helpers: each step fires the timers of the next
30 seconds (and those set further ahead). Some containers are down at start-up; the others
fail, answer garbage (4 MB answers among it), answer as a hostile controller would (markup in
fault flag names, absurd powers), lose their plant and stop loops at random. The default size (20 containers, 6 hours at 30 s: 14,400 container-polls) runs in
the suite; `--soak-long` runs 60 containers for a full day.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
import contextlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
import gc
import logging
from pathlib import Path
import random
from unittest.mock import patch

from _pytest.logging import LogCaptureHandler
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.antspace.const import CONF_SCAN_INTERVAL, DOMAIN, EVENT_ALERT
from custom_components.antspace.coordinator import alert_issue_id, alert_issues
from custom_components.antspace.pyantspace import (
    CONTAINER_UNREACHABLE,
    COOLING_STOPPED_WHILE_MINING,
    LOOP_STOPPED_WHILE_MINING,
    MINER_OVERHEATING,
    MINERS_NOT_HASHING,
    UNRECOGNISED_FAULT,
    Kind,
    alerts_for,
)
from custom_components.antspace.pyantspace.alerts import ALERTS_BY_KEY
from mock.plant import ContainerSpec, Failure, MockContainer
from mock.server import MockServer

from .conftest import make_entry

INTERVAL = 30
GARBAGE = (
    Failure.HTTP_500,
    Failure.BROKEN_JSON,
    Failure.OK_FALSE,
    Failure.WRONG_TYPES,
    Failure.OVERSIZE,
    Failure.HUGE_TEXT,
)


@dataclass
class Tally:
    """What the soak did and saw."""

    polls: int = 0
    outages: int = 0
    slow: int = 0
    garbage: int = 0
    hostile: int = 0
    missing: int = 0
    faults_raised: int = 0
    faults_cleared: int = 0
    setpoints: int = 0
    cooling_switched: int = 0
    miners_switched: int = 0
    miners_heated: int = 0
    loops_switched: int = 0
    events: Counter[tuple[str, str, bool]] = field(default_factory=Counter)


@contextmanager
def _error_messages() -> Iterator[list[str]]:
    """Collect the text of every error-level record, and nothing else.

    pytest's own capture keeps every record, and a record of a failed poll holds the
    exception with its frames: over hours of polls that would look like a leak. It is
    detached for the run; only the messages are kept.
    """
    root = logging.getLogger()
    captures = [h for h in root.handlers if isinstance(h, LogCaptureHandler)]
    messages: list[str] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    for capture in captures:
        root.removeHandler(capture)
    root.addHandler(handler)
    try:
        yield messages
    finally:
        root.removeHandler(handler)
        for capture in captures:
            root.addHandler(capture)


def _open_sockets() -> int:
    """How many sockets this process holds open."""
    fds = Path("/proc/self/fd")
    count = 0
    for fd in fds.iterdir():
        with contextlib.suppress(OSError):
            count += fd.readlink().name.startswith("socket:")
    return count


def _issues(hass: HomeAssistant, entry_id: str) -> set[str]:
    return set(alert_issues(hass, entry_id))


CIRCULATION = frozenset({COOLING_STOPPED_WHILE_MINING, *LOOP_STOPPED_WHILE_MINING})


def _circulation(container: MockContainer, hashing: bool) -> set[str]:
    """The alerts of stopped circulation that the mock's pumps and the miners call for."""
    if container.kind is Kind.HK3:
        pumps = (container.values["circulating_pump"],)
    else:
        pumps = (container.values["second_pump1"], container.values["second_pump2"])
    if not hashing:
        return set()
    if not any(pumps):
        return {COOLING_STOPPED_WHILE_MINING}
    if container.kind is Kind.HK3:
        return set()
    return {key for key, pump in zip(LOOP_STOPPED_WHILE_MINING, pumps, strict=True) if not pump}


async def _soak(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, containers: int, hours: float
) -> Tally:
    # Keep the run's own log short: debug records of 14,400 polls would be held in memory.
    for name in (None, "homeassistant", "custom_components.antspace", "aiohttp", "asyncio"):
        caplog.set_level(logging.INFO, logger=name)
    # The test harness runs the loop in debug mode, which records a traceback for every task
    # and future; at this many polls that would be most of the run.
    hass.loop.set_debug(False)
    rng = random.Random(20261128)
    specs = [
        ContainerSpec(kind=Kind.HK3 if i % 2 == 0 else Kind.IMMERSION, seed=i, miners=12)
        for i in range(containers)
    ]
    tally = Tally()
    steps = int(hours * 3600 / INTERVAL)
    # Some containers are down when Home Assistant starts, and come up later.
    down_at_start = {i: rng.randint(1, 20) for i in rng.sample(range(containers), 2)}

    sockets_before = _open_sockets()
    async with MockServer(specs) as server:
        for i in down_at_start:
            await server.stop_container(server.containers[i])
        entries = []
        with patch(
            "custom_components.antspace.coordinator.REQUEST_TIMEOUT", timedelta(seconds=0.5)
        ):
            for i, container in enumerate(server.containers):
                entry = make_entry(
                    container,
                    entry_id=f"01JSOAK{i:019d}",
                    title=f"Container {i}",
                    **{CONF_SCAN_INTERVAL: INTERVAL},
                )
                entry.add_to_hass(hass)
                assert await hass.config_entries.async_setup(entry.entry_id)
                entries.append(entry)
            await hass.async_block_till_done()
        registry = er.async_get(hass)
        energies = [
            registry.async_get_entity_id("sensor", DOMAIN, f"{entry.entry_id}_energy")
            for entry in entries
        ]
        energy_seen = [0.0] * containers

        @callback
        def on_alert(event: Event) -> None:
            data = event.data
            tally.events[(data["entry_id"], data["alert"], data["active"])] += 1

        hass.bus.async_listen(EVENT_ALERT, on_alert)
        flags = {c.kind: [spec.flag for spec in alerts_for(c.kind) if spec.flag] for c in specs}
        down: dict[int, int] = dict(down_at_start)
        tally.outages += len(down)
        was_up = [i not in down for i in range(containers)]
        failed_steps = [0] * containers
        """Steps in a row whose poll failed, per container."""
        went_down = 0
        start = dt_util.utcnow()
        objects_at: dict[int, int] = {}

        with _error_messages() as errors:
            for step in range(1, steps + 1):
                slow: list[MockContainer] = []
                missing: set[int] = set()
                hostile: set[int] = set()
                for i, container in enumerate(server.containers):
                    if i in down:
                        down[i] -= 1
                        if down[i] == 0:
                            del down[i]
                            await server.start_container(container)
                        continue
                    roll = rng.random()
                    if roll < 0.004:
                        tally.outages += 1
                        down[i] = rng.randint(1, 20)
                        await server.stop_container(container)
                    elif roll < 0.005:
                        tally.slow += 1
                        container.delay = 1.0
                        slow.append(container)
                    elif roll < 0.012:
                        tally.garbage += 1
                        container.set_failure(rng.choice(GARBAGE), count=1)
                    elif roll < 0.014:
                        # A good answer as a hostile controller sends it: the poll reads
                        # the cooling state first, which this failure makes hostile.
                        tally.hostile += 1
                        hostile.add(i)
                        container.set_failure(Failure.HOSTILE, count=1)
                    elif roll < 0.017:
                        tally.missing += 1
                        missing.add(i)
                        container.set_failure(Failure.MISSING_FIELDS, count=1)
                    elif roll < 0.03:
                        flag = rng.choice(flags[container.kind])
                        active = not container.faults.get(flag, False)
                        container.set_fault(flag, active)
                        if active:
                            tally.faults_raised += 1
                        else:
                            tally.faults_cleared += 1
                    elif roll < 0.033:
                        tally.setpoints += 1
                        container.set_temp(str(rng.choice((30, 32.5, 35, 38))))
                    elif roll < 0.036:
                        tally.cooling_switched += 1
                        if container.cooling_on:
                            container.close_cooling()
                        else:
                            container.open_cooling()
                    elif roll < 0.038:
                        tally.miners_switched += 1
                        container.miners_hashing = not container.miners_hashing
                    elif roll < 0.040 and container.kind is Kind.IMMERSION:
                        tally.loops_switched += 1
                        pump = rng.choice(("second_pump1", "second_pump2"))
                        container.set_value(pump, not container.values[pump])
                    elif 0.040 <= roll < 0.042:
                        tally.miners_heated += 1
                        position = rng.randint(1, 12)
                        hot = position in container.miner_chip_temps
                        container.set_miner_chip_temp(position, None if hot else 99.0)
                async_fire_time_changed(hass, start + timedelta(seconds=INTERVAL * step))
                await hass.async_block_till_done(wait_background_tasks=True)
                tally.polls += containers
                for container in slow:
                    container.delay = 0.0

                for i, (entry, container) in enumerate(
                    zip(entries, server.containers, strict=True)
                ):
                    coordinator = entry.runtime_data
                    up = coordinator.last_update_success
                    if was_up[i] and not up:
                        went_down += 1
                    was_up[i] = up
                    failed_steps[i] = 0 if up else failed_steps[i] + 1
                    active = coordinator.alerts.active
                    # The repair issues are exactly the active alerts.
                    assert _issues(hass, entry.entry_id) == set(active), (step, i)
                    # `container_unreachable` never while the container answers, and always
                    # after three steps without an answer. (Each step fires the timers of its
                    # 30 seconds at once, and those set longer ahead too: the alarm's timing
                    # is tested in test_alerting.py, its bookkeeping here.)
                    if up:
                        assert not coordinator.unreachable, (step, i)
                    if failed_steps[i] >= 3:
                        assert coordinator.unreachable, (step, i)
                    if up and i not in missing:
                        # The miners as the last summary read says: it comes at its own pace.
                        summary = coordinator.data.snapshot.miners
                        hashing = (summary.total_hashrate or 0) > 0
                        computed = {key for key in active if key in CIRCULATION}
                        assert computed == _circulation(container, hashing), (step, i)
                        # The miners all hash or all stop: none hashing, with the cooling
                        # circulating, is the one case of `miners_not_hashing` (at 10 %).
                        idle = summary.hashing == 0 and bool(summary.listed)
                        assert (MINERS_NOT_HASHING in active) is (
                            idle and container.cooling_on and not computed
                        ), (step, i)
                        assert (MINER_OVERHEATING in active) is bool(summary.over_chip_limit)
                        truth = {
                            spec.key
                            for spec in alerts_for(container.kind)
                            if spec.flag and container.faults.get(spec.flag, False)
                        }
                        flagged = {key for key in active if ALERTS_BY_KEY[key].flag}
                        assert flagged == truth, (step, i)
                        # The mock knows no flag the table does not: only a hostile answer
                        # brings unknown ones.
                        assert (UNRECOGNISED_FAULT in active) is (i in hostile), (step, i)
                    if up and i in hostile:
                        issue = ir.async_get(hass).async_get_issue(
                            DOMAIN, alert_issue_id(entry.entry_id, UNRECOGNISED_FAULT)
                        )
                        assert issue is not None
                        assert issue.translation_placeholders is not None
                        named = issue.translation_placeholders["flags"]
                        assert "<" not in named
                        assert "](" not in named
                        assert len(named) < 600
                    # The energy only grows, by finite amounts, absurd powers or not.
                    energy = hass.states.get(energies[i] or "")
                    if energy is not None and energy.state not in ("unavailable", "unknown"):
                        total = float(energy.state)
                        assert energy_seen[i] <= total < 1e9, (step, i, total)
                        energy_seen[i] = total
                if step % (steps // 4) == 0:
                    gc.collect()
                    objects_at[step] = len(gc.get_objects())

            # Heal everything, and let each container answer twice more.
            for i in list(down):
                await server.start_container(server.containers[i])
            for container in server.containers:
                container.set_failure(Failure.NONE)
                container.open_cooling()
                container.restore_miners()
                container.set_all_faults(False)
            for extra in (1, 2):
                async_fire_time_changed(hass, start + timedelta(seconds=INTERVAL * (steps + extra)))
                await hass.async_block_till_done(wait_background_tasks=True)
            # The miner summary comes at its own pace, in real time (the steps compress it):
            # read it now, as after a command.
            for entry in entries:
                await entry.runtime_data.async_refresh_after_command()
            await hass.async_block_till_done(wait_background_tasks=True)
        # No unhandled exception and no error-level log, but the one line per outage.
        unexpected = [message for message in errors if "Error fetching" not in message]
        assert unexpected == []
        assert len(errors) == went_down
        # Each short, however long the answer (4 MB ones among them).
        assert max(map(len, errors), default=0) < 300
        # Every raise has one clear.
        for (entry_id, alert, active), count in tally.events.items():
            if active:
                assert tally.events[(entry_id, alert, False)] == count, (entry_id, alert)
        assert all(not _issues(hass, entry.entry_id) for entry in entries)
        # Memory does not grow with time: once the registries have been written, the number
        # of live objects stays put from one quarter of the run to the next (give or take the
        # alerts, issues and outages active at that step: about 1 %).
        counts = [objects_at[step] for step in sorted(objects_at)][1:]
        assert max(counts) - min(counts) < 0.02 * min(counts), objects_at

        for entry in entries:
            assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    # No socket is left open: neither the mock's nor the client's connections to it.
    await asyncio.sleep(0)
    assert _open_sockets() <= sockets_before, (sockets_before, _open_sockets())
    return tally


async def test_soak(
    hass: HomeAssistant,
    socket_enabled: None,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    """Six hours of 20 containers at 30 s; with --soak-long a day of 60 containers."""
    long = bool(request.config.getoption("--soak-long"))
    hours = float(request.config.getoption("--soak-hours") or (24 if long else 6))
    tally = await _soak(hass, caplog, containers=60 if long else 20, hours=hours)
    raised = sum(n for (_, _, active), n in tally.events.items() if active)
    cleared = sum(n for (_, _, active), n in tally.events.items() if not active)
    print(  # noqa: T201 - the figures of the run, shown with -s
        f"\nsoak: {tally.polls} container-polls, {tally.outages} outages, {tally.slow} slow, "
        f"{tally.garbage} garbage, {tally.hostile} hostile, "
        f"{tally.missing} missing-field answers, "
        f"{tally.faults_raised} faults raised and {tally.faults_cleared} cleared on the mock, "
        f"{tally.setpoints} setpoint changes, {tally.cooling_switched} cooling and "
        f"{tally.miners_switched} miner and {tally.loops_switched} loop switches, "
        f"{tally.miners_heated} miners heated or cooled; "
        f"alerts raised {raised}, cleared {cleared}"
    )
    assert tally.polls >= 14_000
    assert min(tally.outages, tally.slow, tally.garbage, tally.hostile, tally.missing) > 0
    assert raised == cleared
    assert raised > 0
    for alert in (
        CONTAINER_UNREACHABLE,
        COOLING_STOPPED_WHILE_MINING,
        *LOOP_STOPPED_WHILE_MINING,
        MINERS_NOT_HASHING,
        MINER_OVERHEATING,
        "controller_disconnected",
        "power_relay_fault",
        "liquid_level_high",
        UNRECOGNISED_FAULT,
    ):
        assert sum(n for (_, key, active), n in tally.events.items() if key == alert and active)
