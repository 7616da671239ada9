"""The config flow's steps that add a whole site: the scan of a range and what follows it.

A scan asks a range of addresses whether they are containers (`pyantspace.scan`), showing its
progress; then the user picks which of those found to add. The first picked is this flow's
entry, each other one that of a flow of its own (source `scanned`); those not picked can wait
under Discovered (integration discovery flows), each asked again before it is added.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Final

from homeassistant.config_entries import (
    SOURCE_INTEGRATION_DISCOVERY,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.typing import DiscoveryInfoType
import probatio as vol

from .const import CONF_KIND, DOMAIN, LOGGER, MODELS
from .identity import container_id, default_title, entry_ids
from .pyantspace import (
    MAX_SCAN_ADDRESSES,
    PORTS,
    AntspaceConnectionError,
    AntspaceResponseError,
    Found,
    Kind,
    ScanInputError,
    ScanRange,
    parse_address,
    parse_ports,
    parse_range,
    probe,
    scan,
)

SOURCE_SCANNED: Final = "scanned"
"""The source of the flows that add the second and later containers a scan's user picked:
one flow, and one entry, each."""
CONF_RANGE: Final = "range"
CONF_PORTS: Final = "ports"
CONF_CONTAINERS: Final = "containers"
CONF_DISCOVER: Final = "discover"
PROGRESS_SHOWN: Final = 1.5
"""s a scan's progress is shown at least. The frontend follows a flow's progress from the
moment it shows it: a scan that ended before (a small range on a fast network) would leave it
waiting for news that came already."""
NONE_SHOWN: Final = "\u2014"
"""What a list of none shows (an em dash): the same in every language."""


def ports_text(ports: tuple[int, ...]) -> str:
    """Ports as a form shows them: `80, 8000`."""
    return ", ".join(str(port) for port in ports)


def _scan_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_RANGE): TextSelector(),
            vol.Required(CONF_PORTS, default=ports_text(PORTS)): TextSelector(),
        }
    )


def _found_data(found: Found) -> dict[str, Any]:
    """The data of a found container's entry (and of the flows that add or offer it)."""
    return {CONF_HOST: found.address, CONF_PORT: found.port, CONF_KIND: found.kind.value}


def _found_of(data: DiscoveryInfoType) -> Found:
    """The container of a scanned or discovery flow's data, as `_found_data` made it."""
    address = parse_address(str(data[CONF_HOST]))
    return Found(str(address), int(data[CONF_PORT]), Kind(data[CONF_KIND]))


class SiteFlow(ConfigFlow):
    """The steps of a site's scan, and what the flow's other steps share with them."""

    def __init__(self) -> None:
        """A flow that has asked nothing yet."""
        super().__init__()
        self._scan_input: dict[str, Any] = {}
        self._scan_ports: tuple[int, ...] = ()
        self._scan_task: asyncio.Task[list[Found]] | None = None
        self._scanning: dict[str, str] = {}
        """The placeholders of the scan's progress: how many addresses, which ports."""
        self._scan_range = ""
        self._found: list[Found] = []

    def _configured(self, ids: set[str], entry: ConfigEntry | None = None) -> ConfigEntry | None:
        """The entry, other than `entry`, of the container these ids name; ignored ones not."""
        for other in self._async_current_entries(include_ignore=False):
            if other.entry_id != (entry and entry.entry_id) and entry_ids(other) & ids:
                return other
        return None

    def _titles(self) -> set[str]:
        """The titles of the entries there are."""
        return {other.title for other in self._async_current_entries(include_ignore=False)}

    async def async_step_scan(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for a range of addresses, and the ports to try on each."""
        errors: dict[str, str] = {}
        if user_input is not None:
            scan_range: ScanRange | None = None
            try:
                scan_range = parse_range(str(user_input.get(CONF_RANGE, "")))
            except ScanInputError as err:
                errors[CONF_RANGE] = err.reason
            try:
                self._scan_ports = parse_ports(str(user_input.get(CONF_PORTS, "")))
            except ScanInputError as err:
                errors[CONF_PORTS] = err.reason
            self._scan_input = user_input
            if scan_range is not None and not errors:
                self._scan_task = self.hass.async_create_task(
                    self._async_scan(scan_range), "antspace scan", eager_start=False
                )
                self._scan_range = str(scan_range)
                self._scanning = {
                    "addresses": f"{len(scan_range):,}",
                    "ports": ports_text(self._scan_ports),
                }
                return await self.async_step_scanning()
        return self._show_scan_form(errors)

    def _show_scan_form(self, errors: dict[str, str]) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="scan",
            data_schema=self.add_suggested_values_to_schema(_scan_schema(), self._scan_input),
            description_placeholders={"limit": f"{MAX_SCAN_ADDRESSES:,}"},
            errors=errors,
        )

    async def async_step_scanning(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show how far the scan (started by the scan step) got; then what it found."""
        task = self._scan_task
        if task is not None and not task.done():
            return self.async_show_progress(
                step_id="scanning",
                progress_action="scanning",
                progress_task=task,
                description_placeholders=self._scanning,
            )
        if task is not None:
            self._found = task.result()
            self._scan_task = None
        return self.async_show_progress_done(next_step_id="pick")

    async def _async_scan(self, scan_range: ScanRange) -> list[Found]:
        """The containers of the range, the progress told as whole percents."""
        shown = 0

        def progress(done: int, total: int) -> None:
            nonlocal shown
            if (percent := 100 * done // total) > shown:
                shown = percent
                self.async_update_progress(percent / 100)

        started = time.monotonic()
        found = await scan(
            async_get_clientsession(self.hass), scan_range, self._scan_ports, progress=progress
        )
        await asyncio.sleep(PROGRESS_SHOWN - (time.monotonic() - started))
        LOGGER.debug("The scan of %d addresses found %d containers", len(scan_range), len(found))
        return found

    async def async_step_pick(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """List what the scan found; add those picked, offer the others under Discovered."""
        configured = {
            str(found): other
            for found in self._found
            if (other := self._configured({container_id(found.address, found.port)}))
        }
        new = {str(found): found for found in self._found if str(found) not in configured}
        if not new:
            if self._found:
                return self._show_scan_form({"base": "all_configured"})
            return self._show_scan_form({"base": "none_found"})
        errors: dict[str, str] = {}
        if user_input is not None:
            chosen = set(user_input.get(CONF_CONTAINERS, []))
            picked = [found for key, found in new.items() if key in chosen]
            rest = [found for key, found in new.items() if key not in chosen]
            offer = bool(user_input.get(CONF_DISCOVER))
            if picked or offer:
                for found in rest if offer else ():
                    discovery_flow.async_create_flow(
                        self.hass,
                        DOMAIN,
                        context={"source": SOURCE_INTEGRATION_DISCOVERY},
                        data=_found_data(found),
                    )
                if not picked:
                    return self.async_abort(
                        reason="scan_offered", description_placeholders={"count": str(len(rest))}
                    )
                return await self._async_add_picked(picked)
            errors = {"base": "none_picked"}
        options = [
            SelectOptionDict(value=key, label=f"{MODELS[found.kind]} \u00b7 {key}")
            for key, found in new.items()
        ]
        schema = vol.Schema(
            {
                vol.Required(CONF_CONTAINERS, default=list(new)): SelectSelector(
                    SelectSelectorConfig(
                        options=options, multiple=True, mode=SelectSelectorMode.LIST
                    )
                ),
                vol.Required(CONF_DISCOVER, default=True): BooleanSelector(),
            }
        )
        listed = "".join(
            f"\n- {MODELS[found.kind]} \u00b7 {key} \u2192 **{configured[key].title}**"
            for key, found in ((str(found), found) for found in self._found)
            if key in configured
        )
        return self.async_show_form(
            step_id="pick",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            description_placeholders={
                "found": str(len(self._found)),
                "range": self._scan_range,
                "configured": listed or NONE_SHOWN,
            },
            errors=errors,
        )

    async def _async_add_picked(self, picked: list[Found]) -> ConfigFlowResult:
        """One entry each: this flow's for the first, a flow of its own for each other."""
        taken = self._titles()
        titles: list[str] = []
        for found in picked:
            titles.append(default_title(found.kind, taken))
            taken.add(titles[-1])
        for found, title in zip(picked[1:], titles[1:], strict=True):
            self.hass.async_create_task(
                self.hass.config_entries.flow.async_init(
                    DOMAIN,
                    context={"source": SOURCE_SCANNED},
                    data={**_found_data(found), CONF_NAME: title},
                ),
                "antspace add a scanned container",
            )
        first = picked[0]
        await self.async_set_unique_id(
            container_id(first.address, first.port), raise_on_progress=False
        )
        return self.async_create_entry(
            title=titles[0],
            data=_found_data(first),
            description="scanned",
            description_placeholders={"count": str(len(picked)), "titles": ", ".join(titles)},
        )

    async def async_step_scanned(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Add a container that a scan found and its user picked, titled as picked."""
        found = _found_of(data)
        await self.async_set_unique_id(
            container_id(found.address, found.port), raise_on_progress=False
        )
        if (other := self._configured({container_id(found.address, found.port)})) is not None:
            return self.async_abort(
                reason="already_configured_container",
                description_placeholders={"name": other.title},
            )
        return self.async_create_entry(title=str(data[CONF_NAME]), data=_found_data(found))

    async def async_step_integration_discovery(
        self, discovery_info: DiscoveryInfoType
    ) -> ConfigFlowResult:
        """A container a scan found and its user did not add: offered under Discovered."""
        found = _found_of(discovery_info)
        await self.async_set_unique_id(container_id(found.address, found.port))
        self._abort_if_unique_id_configured()
        if (other := self._configured({container_id(found.address, found.port)})) is not None:
            return self.async_abort(
                reason="already_configured_container",
                description_placeholders={"name": other.title},
            )
        self.context["title_placeholders"] = {"name": MODELS[found.kind], "address": str(found)}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add the discovered container once it answers again."""
        found = _found_of(self.init_data)
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                kind = await probe(async_get_clientsession(self.hass), found.address, found.port)
            except AntspaceConnectionError as err:
                LOGGER.debug("Cannot connect to the container: %s", err)
                errors["base"] = "cannot_connect"
            except AntspaceResponseError as err:
                LOGGER.debug("Not an Antspace container: %s", err)
                errors["base"] = "not_antspace"
            else:
                return self.async_create_entry(
                    title=default_title(kind, self._titles()),
                    data=_found_data(Found(found.address, found.port, kind)),
                )
        self._set_confirm_only()
        return self.async_show_form(
            step_id="discovery_confirm",
            description_placeholders={"name": MODELS[found.kind], "address": str(found)},
            errors=errors,
        )
