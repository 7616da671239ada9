"""The harness of one benchmark run: the mock, a Home Assistant core, and the case set up in it.

- `RunConfig`: what one run measures (case, number of containers, interval, cycles...);
- the mock: `python -m mock --bulk FILE` in a child process, its containers' kinds and ports;
- Home Assistant: a real core in this process, with the base functionality a bare
  `bootstrap` would load, less the recorder, HTTP and cloud (`start_hass`), and the case's
  modules imported before the baseline's memory is taken (`preload`);
- `Case`: the containers of the run set up in one of the two ways `bench.cases` describes,
  with the coordinators, entities and config entries that `bench.meters` watches.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
import sys
from typing import Any, Final

import aiohttp
from homeassistant import config_entries, loader
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
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

from bench.cases import (
    A_ONLY,
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

A_PLATFORMS: Final = ("binary_sensor", "button", "event", "number", "sensor", "switch")
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
    miners_view: bool = False
    """Case A with every container's miners view open (`bench.views`)."""


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


def b_matches(a_counts: dict[str, dict[str, int]]) -> dict[str, bool]:
    """Per kind, whether case B has an entity for each of case A's, platform by platform."""
    result: dict[str, bool] = {}
    for kind, counts in a_counts.items():
        b = b_counts(Kind(kind))
        result[kind] = all(
            counts.get(platform, 0) - A_ONLY.get(platform, 0) == b[f"as_{platform}"]
            for platform in ("sensor", "binary_sensor", "switch", "number")
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
