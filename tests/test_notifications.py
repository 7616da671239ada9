"""Critical and high alerts reach a person: a persistent notification, one for a site's fault."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.antspace.const import CONF_NOTIFY, DEFAULT_MINER_INTERVAL, DOMAIN
from custom_components.antspace.coordinator import alert_issue_id
from custom_components.antspace.helpers import inert_text
from custom_components.antspace.pyantspace import Kind
from mock.plant import ContainerSpec, MockContainer
from mock.server import MockServer

from .conftest import device_id, poll, setup_container


def _notifications(hass: HomeAssistant) -> list[persistent_notification.Notification]:
    return list(persistent_notification._async_get_or_create_notifications(hass).values())


async def test_critical_alert_makes_one_notification_until_it_clears(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """It names the container, the alert and what to check, links the device, and goes."""
    entry = await setup_container(hass, hk3)
    assert _notifications(hass) == []

    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    await poll(hass, freezer)  # still active: nothing new
    [notice] = _notifications(hass)
    assert notice["title"] == "Antspace HK3: Leakage"
    assert notice["message"] == (
        "A leak was detected. Inspect the pipework and the miners' cooling plates now; consider"
        " switching the miners off.\n\nThis notice goes away by itself when the container no "
        f"longer reports the fault.\n\nDevice: [Antspace HK3](/config/devices/device/"
        f"{device_id(hass, entry)})"
    )

    hk3.set_fault("leakage_fault", active=False)
    await poll(hass, freezer)
    assert _notifications(hass) == []


async def test_high_notifies_medium_does_not_by_default(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Critical and high alerts notify; a medium one has its repair issue only."""
    await setup_container(hass, hk3)
    hk3.set_fault("power_fault")  # medium
    await poll(hass, freezer)
    assert _notifications(hass) == []
    hk3.set_fault("spray_pump_fault")  # high
    await poll(hass, freezer)
    assert [n["title"] for n in _notifications(hass)] == ["Antspace HK3: Spray pump fault"]
    # A fixable issue's notification says what to check, not what the fix flow offers.
    assert "reset the cooling system" not in _notifications(hass)[0]["message"]


async def test_a_miner_alert_notifies_positions_not_addresses(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Every user sees notifications: an overheating miner is named by its position there, and
    by its address too only in the repair issue, which administrators see."""
    entry = await setup_container(hass, hk3)
    addresses = list(hk3.miner_info()["miner_info"])
    hk3.set_miner_chip_temp(7, 101)
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    [notice] = _notifications(hass)
    assert notice["title"] == "Antspace HK3: Miner overheating"
    assert notice["message"].startswith(
        "These miners run with a chip temperature above the limit set in the integration's "
        "options, by position: 7. "
    )
    assert not any(
        address in notice["message"] or inert_text(address) in notice["message"]
        for address in addresses
    )
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, alert_issue_id(entry.entry_id, "miner_overheating")
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["miners"] == f"7 ({inert_text(addresses[6])})"


@pytest.mark.parametrize(
    ("option", "notified"),
    [
        ("off", []),
        ("critical", ["Antspace HK3: Leakage"]),
        ("medium", ["Antspace HK3: Leakage", "Antspace HK3: Power fault"]),
    ],
)
async def test_the_option_says_which_severities_notify(
    hass: HomeAssistant,
    hk3: MockContainer,
    freezer: FrozenDateTimeFactory,
    option: str,
    notified: list[str],
) -> None:
    """Off, critical only, or every alert; the repair issues are there whatever it says."""
    entry = await setup_container(hass, hk3, **{CONF_NOTIFY: option})
    for flag in ("leakage_fault", "spray_pump_fault", "power_fault"):
        hk3.set_fault(flag)
    await poll(hass, freezer)
    expected = set(notified)
    if option == "medium":
        expected.add("Antspace HK3: Spray pump fault")
    assert {n["title"] for n in _notifications(hass)} == expected
    issues = ir.async_get(hass).issues
    assert {issue_id for (domain, issue_id) in issues if domain == DOMAIN} >= {
        f"alert_{entry.entry_id}_{key}" for key in ("leakage_fault", "power_fault")
    }


@pytest.fixture
async def three(socket_enabled: None) -> AsyncIterator[MockServer]:
    """Three HK3 containers on one site."""
    async with MockServer(
        [ContainerSpec(kind=Kind.HK3, frozen=True, seed=seed) for seed in (1, 2, 3)]
    ) as server:
        yield server


async def _setup_three(hass: HomeAssistant, server: MockServer) -> list[str]:
    titles = ["Row A", "Row B", "Row C"]
    for number, (container, title) in enumerate(zip(server.containers, titles, strict=True)):
        await setup_container(hass, container, entry_id=f"01JROW{number}", title=title)
    return titles


async def test_three_containers_unreachable_share_one_notification(
    hass: HomeAssistant, three: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """A site's switch fails: one notification names all three and follows them back."""
    await _setup_three(hass, three)
    for container in three.containers:
        await three.stop_container(container)
    for _ in range(4):
        await poll(hass, freezer)

    [notice] = _notifications(hass)
    assert notice["title"] == "Container unreachable on 3 containers"
    lines = notice["message"].split("\n\n")[0].split("\n")
    assert [line.split("](")[0] for line in lines] == ["- [Row A", "- [Row B", "- [Row C"]
    assert all("(/config/devices/device/" in line for line in lines)
    assert "The container has not answered three polls in a row" in notice["message"]
    # The repair issues stay one per container.
    unreachable = [i for (d, i) in ir.async_get(hass).issues if i.endswith("_unreachable")]
    assert len(unreachable) == 3

    await three.start_container(three.containers[1])
    await poll(hass, freezer)
    [notice] = _notifications(hass)
    assert notice["title"] == "Container unreachable on 2 containers"
    assert "Row B" not in notice["message"]

    await three.start_container(three.containers[0])
    await poll(hass, freezer)
    [notice] = _notifications(hass)
    assert notice["title"] == "Row C: Container unreachable"  # one left: its own words

    await three.start_container(three.containers[2])
    await poll(hass, freezer)
    assert _notifications(hass) == []


async def test_the_same_alert_a_while_later_is_a_notice_of_its_own(
    hass: HomeAssistant, three: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """Only alerts that start within a minute of each other share a notification."""
    await _setup_three(hass, three)
    first, second, _ = three.containers
    first.set_fault("leakage_fault")
    await poll(hass, freezer)
    freezer.tick(timedelta(minutes=2))
    second.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert sorted(n["title"] for n in _notifications(hass)) == [
        "Row A: Leakage",
        "Row B: Leakage",
    ]


async def test_a_dismissed_notice_stays_dismissed_until_another_joins(
    hass: HomeAssistant, three: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """The user dismissed it: a clear does not bring it back; a new container does."""
    await _setup_three(hass, three)
    first, second, third = three.containers
    first.set_fault("leakage_fault")
    second.set_fault("leakage_fault")
    await poll(hass, freezer)
    [notice] = _notifications(hass)
    persistent_notification.async_dismiss(hass, notice["notification_id"])

    second.set_fault("leakage_fault", active=False)
    await poll(hass, freezer)
    assert _notifications(hass) == []

    third.set_fault("leakage_fault")
    await poll(hass, freezer)
    [notice] = _notifications(hass)
    assert notice["title"] == "Leakage on 2 containers"


async def test_a_reload_posts_what_is_still_active_and_unloading_takes_it_away(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Notifications do not survive a restart: an alert still active notifies again."""
    entry = await setup_container(hass, hk3)
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert _notifications(hass) == []
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert [n["title"] for n in _notifications(hass)] == ["Antspace HK3: Leakage"]
