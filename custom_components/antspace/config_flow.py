"""Config flow for Antspace: add a container or a site's, change its address, set its options."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import probatio as vol

from .const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_CHIP_TEMP_LIMIT,
    CONF_KIND,
    CONF_LOW_SUPPLY_TEMP,
    CONF_MINER_INTERVAL,
    CONF_NOT_HASHING_SHARE,
    CONF_NOTIFY,
    CONF_SCAN_INTERVAL,
    DEFAULT_ALLOW_COOLING_OFF,
    DEFAULT_CHIP_TEMPERATURE_LIMIT,
    DEFAULT_LOW_SUPPLY_TEMPERATURE,
    DEFAULT_MINER_INTERVAL,
    DEFAULT_NOT_HASHING_PERCENT,
    DEFAULT_NOTIFY,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_CHIP_TEMP_LIMIT,
    MAX_LOW_SUPPLY_TEMP,
    MAX_MINER_INTERVAL,
    MAX_NOT_HASHING_SHARE,
    MAX_SCAN_INTERVAL,
    MIN_CHIP_TEMP_LIMIT,
    MIN_LOW_SUPPLY_TEMP,
    MIN_NOT_HASHING_SHARE,
    MIN_SCAN_INTERVAL,
    NOTIFY_OFF,
)
from .coordinator import AntspaceConfigEntry
from .identity import async_resolve, container_id, default_title, normalize_host
from .migration import FANS_MINOR_VERSION
from .pyantspace import (
    PORTS,
    AntspaceConnectionError,
    AntspaceResponseError,
    Kind,
    Severity,
    host_port,
    is_numeric_host,
    probe,
)
from .pyantspace.alerts import (
    ALERTS_BY_KEY,
    MINER_OVERHEATING,
    MINERS_NOT_HASHING,
    SUPPLY_LIQUID_TEMP_LOW,
)
from .site_flow import SiteFlow, ports_text


def valid_port(value: Any) -> int | None:
    """The port as an int, or None if it is not a whole number from 1 to 65535."""
    try:
        port = int(value)
    except TypeError, ValueError, OverflowError:
        return None
    return port if 1 <= port <= 65535 and port == value else None


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


class AntspaceConfigFlow(SiteFlow, domain=DOMAIN):
    """Adds Antspace containers after talking to them: one by its address, or a range's."""

    VERSION = 2
    MINOR_VERSION = FANS_MINOR_VERSION

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: AntspaceConfigEntry) -> AntspaceOptionsFlow:
        """The options of a container."""
        return AntspaceOptionsFlow()

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
            description_placeholders={"ports": ports_text(PORTS)},
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
        vol.Required(CONF_NOT_HASHING_SHARE, default=DEFAULT_NOT_HASHING_PERCENT): _box(
            MIN_NOT_HASHING_SHARE, MAX_NOT_HASHING_SHARE, "%"
        ),
        vol.Required(CONF_CHIP_TEMP_LIMIT, default=DEFAULT_CHIP_TEMPERATURE_LIMIT): _box(
            MIN_CHIP_TEMP_LIMIT, MAX_CHIP_TEMP_LIMIT, "°C"
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


OPTION_ALERTS: Final = {
    CONF_LOW_SUPPLY_TEMP: ALERTS_BY_KEY[SUPPLY_LIQUID_TEMP_LOW],
    CONF_NOT_HASHING_SHARE: ALERTS_BY_KEY[MINERS_NOT_HASHING],
    CONF_CHIP_TEMP_LIMIT: ALERTS_BY_KEY[MINER_OVERHEATING],
}
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
    """Intervals, the thresholds of alerts, cooling off allowed, which alerts notify."""

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
            for threshold in OPTION_ALERTS:
                if threshold in user_input:
                    options[threshold] = float(user_input[threshold])
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
