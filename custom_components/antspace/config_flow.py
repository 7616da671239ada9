"""Config flow for Antspace: add a container or a site's, change its address, set its options."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Final

from homeassistant.config_entries import (
    SOURCE_INTEGRATION_DISCOVERY,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.typing import DiscoveryInfoType
import probatio as vol

from .const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_KIND,
    CONF_LOW_SUPPLY_TEMP,
    CONF_MINER_INTERVAL,
    CONF_NOTIFY,
    CONF_SCAN_INTERVAL,
    DEFAULT_ALLOW_COOLING_OFF,
    DEFAULT_LOW_SUPPLY_TEMPERATURE,
    DEFAULT_MINER_INTERVAL,
    DEFAULT_NOTIFY,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_LOW_SUPPLY_TEMP,
    MAX_MINER_INTERVAL,
    MAX_SCAN_INTERVAL,
    MIN_LOW_SUPPLY_TEMP,
    MIN_SCAN_INTERVAL,
    MODELS,
    NOTIFY_OFF,
)
from .coordinator import AntspaceConfigEntry
from .identity import async_resolve, container_id, default_title, entry_ids, normalize_host
from .migration import FANS_MINOR_VERSION
from .pyantspace import (
    MAX_SCAN_ADDRESSES,
    PORTS,
    AntspaceConnectionError,
    AntspaceResponseError,
    Found,
    Kind,
    ScanInputError,
    ScanRange,
    Severity,
    host_port,
    is_numeric_host,
    parse_address,
    parse_ports,
    parse_range,
    probe,
    scan,
)
from .pyantspace.alerts import ALERTS_BY_KEY, SUPPLY_LIQUID_TEMP_LOW

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


def valid_port(value: Any) -> int | None:
    """The port as an int, or None if it is not a whole number from 1 to 65535."""
    try:
        port = int(value)
    except TypeError, ValueError, OverflowError:
        return None
    return port if 1 <= port <= 65535 and port == value else None


def _ports_text(ports: tuple[int, ...]) -> str:
    return ", ".join(str(port) for port in ports)


def _port_box() -> NumberSelector:
    # Range checked by the flow, so that a bad port gets a translated error.
    return NumberSelector(NumberSelectorConfig(step=1, mode=NumberSelectorMode.BOX))


def _manual_schema() -> vol.Schema:
    """Host, port (none: each of PORTS in turn) and name of one container."""
    return vol.Schema(
        {
            vol.Required(CONF_HOST): TextSelector(),
            vol.Optional(CONF_PORT): _port_box(),
            vol.Optional(CONF_NAME): TextSelector(),
        }
    )


def _address_schema(host: str, port: int) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_HOST, default=host): TextSelector(),
            vol.Required(CONF_PORT, default=port): _port_box(),
        }
    )


def _scan_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_RANGE): TextSelector(),
            vol.Required(CONF_PORTS, default=_ports_text(PORTS)): TextSelector(),
        }
    )


def _found_data(found: Found) -> dict[str, Any]:
    """The data of a found container's entry (and of the flows that add or offer it)."""
    return {CONF_HOST: found.address, CONF_PORT: found.port, CONF_KIND: found.kind.value}


def _found_of(data: DiscoveryInfoType) -> Found:
    """The container of a scanned or discovery flow's data, as `_found_data` made it."""
    address = parse_address(str(data[CONF_HOST]))
    return Found(str(address), int(data[CONF_PORT]), Kind(data[CONF_KIND]))


class AntspaceConfigFlow(ConfigFlow, domain=DOMAIN):
    """Adds Antspace containers after talking to them: one by its address, or a range's."""

    VERSION = 2
    MINOR_VERSION = FANS_MINOR_VERSION

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

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: AntspaceConfigEntry) -> AntspaceOptionsFlow:
        """The options of a container."""
        return AntspaceOptionsFlow()

    def _configured(self, ids: set[str], entry: ConfigEntry | None = None) -> ConfigEntry | None:
        """The entry, other than `entry`, of the container these ids name; ignored ones not."""
        for other in self._async_current_entries(include_ignore=False):
            if other.entry_id != (entry and entry.entry_id) and entry_ids(other) & ids:
                return other
        return None

    def _titles(self) -> set[str]:
        """The titles of the entries there are."""
        return {other.title for other in self._async_current_entries(include_ignore=False)}

    async def _probe(
        self, user_input: dict[str, Any], entry: AntspaceConfigEntry | None = None
    ) -> tuple[str, int, Kind | None, dict[str, str]]:
        """Check the address, and ask the container there what it is.

        Without a port, each of PORTS is tried in turn, and the first that answers as a
        container is kept. The address is resolved first: if another entry (not `entry`) is
        the container at that address and one of those ports, however its host was written,
        the flow aborts naming it, before anything is sent. The flow's unique id becomes the
        resolved address and the port kept.
        """
        text = str(user_input.get(CONF_HOST, ""))
        if (host := normalize_host(text)) is None:
            if is_numeric_host(text.strip().strip("[]")):
                return "", 0, None, {CONF_HOST: "invalid_ipv4"}
            return "", 0, None, {CONF_HOST: "invalid_host"}
        if (given := user_input.get(CONF_PORT)) is None:
            ports = tuple(PORTS)
        elif (port := valid_port(given)) is None:
            return host, 0, None, {CONF_PORT: "invalid_port"}
        else:
            ports = (port,)
        if not (addresses := await async_resolve(self.hass, host)):
            LOGGER.debug("The container's host name does not resolve")
            return host, ports[0], None, {"base": "cannot_connect"}
        for port in ports:
            ids = {container_id(address, port) for address in (*addresses, host)}
            if (other := self._configured(ids, entry)) is not None:
                raise AbortFlow(
                    "already_configured_container", description_placeholders={"name": other.title}
                )
        answered = False
        session = async_get_clientsession(self.hass)
        for port in ports:
            try:
                kind = await probe(session, host, port)
            except AntspaceConnectionError as err:
                LOGGER.debug("Cannot connect to the container: %s", err)
                continue
            except AntspaceResponseError as err:
                LOGGER.debug("Not an Antspace container: %s", err)
                answered = True
                continue
            await self.async_set_unique_id(
                container_id(addresses[0], port), raise_on_progress=entry is None
            )
            return host, port, kind, {}
        if answered:
            return host, ports[0], None, {"base": "not_antspace"}
        if given is None:
            return host, ports[0], None, {"base": "no_port_answered"}
        return host, ports[0], None, {"base": "cannot_connect"}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Add one container by its address, or find those of a range of addresses."""
        return self.async_show_menu(step_id="user", menu_options=["manual", "scan"])

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the address of a container."""
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, kind, errors = await self._probe(user_input)
            if kind is not None:
                self._abort_if_unique_id_configured()
                name = str(user_input.get(CONF_NAME) or "").strip()
                return self.async_create_entry(
                    title=name or default_title(kind, self._titles()),
                    data={CONF_HOST: host, CONF_PORT: port, CONF_KIND: kind.value},
                )
        return self.async_show_form(
            step_id="manual",
            data_schema=self.add_suggested_values_to_schema(_manual_schema(), user_input),
            description_placeholders={"ports": _ports_text(PORTS)},
            errors=errors,
        )

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
                    "ports": _ports_text(self._scan_ports),
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

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address of a container; it must be of the same kind."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, kind, errors = await self._probe(user_input, entry)
            if kind is not None and kind.value != entry.data[CONF_KIND]:
                errors = {"base": "different_kind"}
            elif kind is not None:
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=self.unique_id,
                    data_updates={CONF_HOST: host, CONF_PORT: port},
                )
        return self.async_show_form(
            step_id=SOURCE_RECONFIGURE,
            data_schema=self.add_suggested_values_to_schema(
                _address_schema(entry.data[CONF_HOST], entry.data[CONF_PORT]), user_input
            ),
            description_placeholders={"name": entry.title},
            errors=errors,
        )


def _box(minimum: float, maximum: float, unit: str, step: float = 1) -> NumberSelector:
    """A number typed into a box, within bounds, in a unit."""
    return NumberSelector(
        NumberSelectorConfig(
            min=minimum,
            max=maximum,
            step=step,
            unit_of_measurement=unit,
            mode=NumberSelectorMode.BOX,
        )
    )


OPTIONS_SCHEMA: Final = vol.Schema(
    {
        vol.Required(CONF_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL): _box(
            MIN_SCAN_INTERVAL, MAX_SCAN_INTERVAL, "s"
        ),
        # Not below the polling interval: checked by the flow, for a translated error.
        vol.Required(CONF_MINER_INTERVAL, default=DEFAULT_MINER_INTERVAL): _box(
            MIN_SCAN_INTERVAL, MAX_MINER_INTERVAL, "s"
        ),
        vol.Required(CONF_LOW_SUPPLY_TEMP, default=DEFAULT_LOW_SUPPLY_TEMPERATURE): _box(
            MIN_LOW_SUPPLY_TEMP, MAX_LOW_SUPPLY_TEMP, "°C", step=0.5
        ),
        vol.Required(CONF_ALLOW_COOLING_OFF, default=DEFAULT_ALLOW_COOLING_OFF): BooleanSelector(),
        # The least severity that posts a persistent notification, or off.
        vol.Required(CONF_NOTIFY, default=DEFAULT_NOTIFY): SelectSelector(
            SelectSelectorConfig(
                options=[NOTIFY_OFF, *(str(severity) for severity in reversed(Severity))],
                translation_key=CONF_NOTIFY,
                mode=SelectSelectorMode.DROPDOWN,
            )
        ),
    }
)


OPTION_ALERTS: Final = {CONF_LOW_SUPPLY_TEMP: ALERTS_BY_KEY[SUPPLY_LIQUID_TEMP_LOW]}
"""Options that set an alert: offered only to the kinds that have the alert."""


def options_schema(kind: Kind) -> vol.Schema:
    """The options a container of this kind has."""
    return vol.Schema(
        {
            key: selector
            for key, selector in OPTIONS_SCHEMA.schema.items()
            if (alert := OPTION_ALERTS.get(str(key))) is None or kind in alert.kinds
        }
    )


class AntspaceOptionsFlow(OptionsFlowWithReload):
    """Intervals, low supply temperature, cooling off allowed, which alerts notify."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the options."""
        schema = options_schema(Kind(self.config_entry.data[CONF_KIND]))
        errors: dict[str, str] = {}
        if user_input is not None and int(user_input[CONF_MINER_INTERVAL]) < int(
            user_input[CONF_SCAN_INTERVAL]
        ):
            errors[CONF_MINER_INTERVAL] = "miner_interval_too_short"
        elif user_input is not None:
            options: dict[str, Any] = {
                CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
                CONF_MINER_INTERVAL: int(user_input[CONF_MINER_INTERVAL]),
                CONF_ALLOW_COOLING_OFF: bool(user_input[CONF_ALLOW_COOLING_OFF]),
                CONF_NOTIFY: str(user_input[CONF_NOTIFY]),
            }
            if CONF_LOW_SUPPLY_TEMP in user_input:
                options[CONF_LOW_SUPPLY_TEMP] = float(user_input[CONF_LOW_SUPPLY_TEMP])
            return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or self.config_entry.options
            ),
            description_placeholders={
                "name": self.config_entry.title,
                "address": host_port(
                    self.config_entry.data[CONF_HOST], self.config_entry.data[CONF_PORT]
                ),
            },
            errors=errors,
        )
