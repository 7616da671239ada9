"""Polling: the cooling state every interval, the miner summary at its own pace."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.antspace.const import (
    CONF_KIND,
    CONF_MINER_INTERVAL,
    CONF_SCAN_INTERVAL,
    DOMAIN,
)
from custom_components.antspace.coordinator import AntspaceCoordinator
from custom_components.antspace.polling import (
    POLL_BATCH,
    POLL_BATCHES,
    PollBatches,
    slot_phase,
)
from custom_components.antspace.pyantspace import Kind
from mock.plant import ContainerSpec, Failure, MockContainer
from mock.server import MockServer

from .conftest import make_entry, poll, setup_container

HASHRATE = "sensor.antspace_hk3_total_hashrate"
MINER_COUNT = "sensor.antspace_hk3_miners"
RESET = "button.antspace_hk3_reset"


async def test_miner_summary_at_its_own_pace(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """By default the cooling state is read every 10 s and the miner summary every 60 s."""
    entry = await setup_container(hass, hk3)
    assert hk3.requests == {"coolerState": 1, "minerInfo": 1}
    count = hass.states.get(MINER_COUNT).state
    assert count == "120"
    first = entry.runtime_data.data.snapshot.miners

    for polls in range(2, 7):
        await poll(hass, freezer)
        assert hk3.requests == {"coolerState": polls, "minerInfo": 1}
        # Between two reads the miner sensors keep the last summary read.
        assert entry.runtime_data.data.snapshot.miners is first
        assert hass.states.get(MINER_COUNT).state == count

    await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 7, "minerInfo": 2}
    for _ in range(6):
        await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 13, "minerInfo": 3}


async def test_miner_sensors_show_the_new_summary(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """What changed in the miners shows with the next summary read, not before."""
    await setup_container(hass, hk3, **{CONF_SCAN_INTERVAL: 10, CONF_MINER_INTERVAL: 20})
    before = hass.states.get(HASHRATE).state
    hk3.current_load = 0.5  # the miners throttle down
    await poll(hass, freezer)
    assert hk3.requests["minerInfo"] == 1
    assert hass.states.get(HASHRATE).state == before
    await poll(hass, freezer)
    assert hk3.requests["minerInfo"] == 2
    assert float(hass.states.get(HASHRATE).state) < float(before)


async def test_miner_interval_never_below_polling_interval(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A miner summary interval below the polling interval reads both at every poll."""
    entry = await setup_container(hass, hk3, **{CONF_SCAN_INTERVAL: 30, CONF_MINER_INTERVAL: 5})
    assert entry.runtime_data.miner_interval == timedelta(seconds=30)
    await poll(hass, freezer, 30)
    await poll(hass, freezer, 30)
    assert hk3.requests == {"coolerState": 3, "minerInfo": 3}


async def test_polled_more_often_than_a_last_try_would_come(
    hass: HomeAssistant,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
) -> None:
    """Polled every 2 s (below what the options allow), the container is read once a poll:
    there is no last try before the deadline, which would fall before the next poll; the
    alarm still comes three intervals after the last good answer."""
    hk3 = mock_server.containers[0]
    entry = await setup_container(hass, hk3, **{CONF_SCAN_INTERVAL: 2})
    for _ in range(10):
        await poll(hass, freezer, 1)
    assert hk3.requests["coolerState"] == 6
    await mock_server.stop_container(hk3)
    seconds = 0
    while not entry.runtime_data.unreachable and seconds < 8:
        seconds += 1
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert seconds == 6


async def test_miner_summary_read_after_outage(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The first good poll after an outage reads the miner summary too."""
    await setup_container(hass, hk3)
    hk3.set_failure(Failure.DROP)
    await poll(hass, freezer)
    assert hass.states.get(MINER_COUNT).state == STATE_UNAVAILABLE
    hk3.set_failure(Failure.NONE)
    before = dict(hk3.requests)
    await poll(hass, freezer)
    assert hk3.requests["coolerState"] == before["coolerState"] + 1
    assert hk3.requests["minerInfo"] == before["minerInfo"] + 1
    assert hass.states.get(MINER_COUNT).state == "120"
    # And then at its own pace again.
    await poll(hass, freezer)
    assert hk3.requests["minerInfo"] == before["minerInfo"] + 1


async def test_miner_summary_read_after_command(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A command of an entity or an action is followed by a read of both resources."""
    await setup_container(hass, hk3)
    await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 2, "minerInfo": 1}

    await hass.services.async_call("button", SERVICE_PRESS, {ATTR_ENTITY_ID: RESET}, blocking=True)
    assert hk3.requests == {"coolerState": 3, "minerInfo": 2, "reset": 1}

    await hass.services.async_call(DOMAIN, "reset", {ATTR_ENTITY_ID: RESET}, blocking=True)
    assert hk3.requests == {"coolerState": 4, "minerInfo": 3, "reset": 2}

    await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 5, "minerInfo": 3, "reset": 2}


class _Member:
    """A stand-in for a coordinator in a batch: counts the polls asked of it."""

    def __init__(self) -> None:
        self.polls = 0

    def async_poll_now(self) -> None:
        self.polls += 1


async def test_batches_fill_in_turn_and_per_interval(hass: HomeAssistant) -> None:
    """A batch takes up to `POLL_BATCH` containers of one interval; one that leaves makes room
    for the next, and an empty batch goes (its slot is taken by the next new batch)."""
    batches = PollBatches(hass)
    members = [_Member() for _ in range(2 * POLL_BATCH + 1)]
    joined = [batches.join(member, 10) for member in members]
    assert [batch.slot for batch in joined] == [0] * POLL_BATCH + [1] * POLL_BATCH + [2]
    # Another interval never shares a batch.
    other = batches.join(_Member(), 30)
    assert other.slot == 3
    batches.leave(members[-1], joined[-1])
    assert joined[-1] not in batches.batches
    assert batches.join(_Member(), 10).slot == 2
    batches.leave(members[0], joined[0])
    assert batches.join(_Member(), 10) is joined[0]
    for batch in batches.batches:
        for member in list(batch.members):
            batches.leave(member, batch)
    assert batches.batches == ()


async def test_a_batch_polls_its_members_at_its_instant(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """One interval after the first container joined, and every interval after, each member of
    the first batch is asked to poll; an empty batch stops."""
    batches = PollBatches(hass)
    first, second = _Member(), _Member()
    joined_at = hass.loop.time()
    batch = batches.join(first, 10)
    assert batches.join(second, 10) is batch
    assert batch.next_poll is not None
    assert batch.next_poll == pytest.approx(joined_at + 10)
    for polls in (1, 2):
        await poll(hass, freezer)
        assert (first.polls, second.polls) == (polls, polls)
    batches.leave(first, batch)
    batches.leave(second, batch)
    assert batch.next_poll is None
    await poll(hass, freezer)
    assert first.polls == 2


async def test_batches_spread_over_the_interval(hass: HomeAssistant) -> None:
    """A site set up at once still polls evenly over the interval: each batch at its slot's
    share of it, counted from the first batch's instant, its first poll at least half an
    interval away; a site set up anew counts from its own first container."""
    batches = PollBatches(hass)
    members = [_Member() for _ in range(5 * POLL_BATCH)]
    joined = [batches.join(member, 10) for member in members]
    polls = sorted({batch.next_poll for batch in joined if batch.next_poll is not None})
    assert len(polls) == 5
    origin = joined[0].next_poll
    assert origin is not None
    for batch in joined:
        assert batch.next_poll is not None
        assert batch.next_poll - hass.loop.time() >= 5
        assert round((batch.next_poll - origin) / 10 % 1, 6) in (slot_phase(batch.slot), 1.0)
    for member, batch in zip(members, joined, strict=True):
        batches.leave(member, batch)
    again = batches.join(_Member(), 10)
    assert again.slot == 0
    assert again.next_poll is not None
    assert again.next_poll - hass.loop.time() == pytest.approx(10, abs=0.1)


def test_slot_phases_spread_over_the_interval() -> None:
    """Every slot starts within the interval; no two of the first hundred at once.

    However many slots there are, they are spread evenly: the first n split the interval into
    gaps of at most three sizes (golden-ratio sequence), none below a third of the mean.
    """
    for count in (1, 2, 5, 10, 100):
        phases = sorted(slot_phase(slot) for slot in range(count))
        assert all(0 <= phase < 1 for phase in phases)
        assert len(set(phases)) == count
        gaps = [b - a for a, b in pairwise([*phases, 1.0])]
        assert all(gap > 1 / count / 3 for gap in gaps)


def _poll_instant(coordinator: AntspaceCoordinator) -> float:
    """The loop time at which the coordinator's batch starts its next polls."""
    assert coordinator.poll_batch is not None
    assert coordinator.poll_batch.next_poll is not None
    return coordinator.poll_batch.next_poll


async def test_containers_poll_in_batches(hass: HomeAssistant, socket_enabled: None) -> None:
    """A batch of containers polls at one instant, the next batch at another; a container
    unloaded or failing to set up leaves its batch, and the next one added takes its place."""
    specs = [ContainerSpec(kind=Kind.HK3, frozen=True, seed=seed) for seed in range(6)]
    with patch("custom_components.antspace.polling.POLL_BATCH", 2):
        async with MockServer(specs) as server:
            entries = [
                await setup_container(
                    hass, container, entry_id=f"E{index}", title=f"Antspace HK3 {index}"
                )
                for index, container in enumerate(server.containers[:5])
            ]
            coordinators = [entry.runtime_data for entry in entries]
            assert [c.poll_slot for c in coordinators] == [0, 0, 1, 1, 2]
            starts = [_poll_instant(c) for c in coordinators]
            assert starts[0] == starts[1] != starts[2] == starts[3] != starts[4] != starts[0]

            # Unloaded, a container leaves its batch; the next one set up takes its place.
            await hass.config_entries.async_unload(entries[1].entry_id)
            assert coordinators[1].poll_slot is None
            await hass.config_entries.async_setup(entries[1].entry_id)
            await hass.async_block_till_done()
            assert entries[1].runtime_data.poll_slot == 0
            assert _poll_instant(entries[1].runtime_data) == starts[0]

            # One that fails to set up (it answers as the other kind) keeps no place.
            failing = make_entry(server.containers[5], entry_id="E5", title="Antspace HK3 5")
            failing.add_to_hass(hass)
            hass.config_entries.async_update_entry(
                failing, data={**failing.data, CONF_KIND: Kind.IMMERSION.value}
            )
            await hass.config_entries.async_setup(failing.entry_id)
            await hass.async_block_till_done()
            assert failing.state is ConfigEntryState.SETUP_ERROR
            assert [len(batch.members) for batch in hass.data[POLL_BATCHES].batches] == [2, 2, 1]
            for entry in entries:
                await hass.config_entries.async_unload(entry.entry_id)
