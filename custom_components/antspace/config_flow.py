"""Config flow for Antspace: add a container, change its address, set its options."""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Final

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigFlow,
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
from .identity import async_resolve, container_id, default_title
from .migration import FANS_MINOR_VERSION
from .pyantspace import (
    DEFAULT_PORT,
    AntspaceClient,
    AntspaceConnectionError,
    AntspaceResponseError,
    Kind,
    Severity,
)
from .pyantspace.alerts import (
    ALERTS_BY_KEY,
    MINER_OVERHEATING,
    MINERS_NOT_HASHING,
    SUPPLY_LIQUID_TEMP_LOW,
)

_HOSTNAME: Final = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$",
    re.IGNORECASE,
)


def normalize_host(value: str) -> str | None:
    """The host as the client wants it, or None if it is not a host name or IP address."""
    host = value.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if _HOSTNAME.match(host):
        return host.lower().rstrip(".")
    return None


def valid_port(value: Any) -> int | None:
    """The port as an int, or None if it is not a whole number from 1 to 65535."""
    try:
        port = int(value)
    except TypeError, ValueError, OverflowError:
        return None
    return port if 1 <= port <= 65535 and port == value else None


def _address_schema(host: str = "", port: int = DEFAULT_PORT, *, name: bool) -> vol.Schema:
    fields: dict[Any, Any] = {
        vol.Required(CONF_HOST, default=host): TextSelector(),
        # Range checked by the flow, so that a bad port gets a translated error.
        vol.Required(CONF_PORT, default=port): NumberSelector(
            NumberSelectorConfig(step=1, mode=NumberSelectorMode.BOX)
        ),
    }
    if name:
        fields[vol.Optional(CONF_NAME)] = TextSelector()
    return vol.Schema(fields)


class AntspaceConfigFlow(ConfigFlow, domain=DOMAIN):
    """Adds an Antspace container after talking to it."""

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

        The address is resolved first: if another entry (not `entry`) is the container at
        that address and port, however its host was written, the flow aborts before
        anything is sent. The flow's unique id becomes the resolved address and port.
        """
        host = normalize_host(str(user_input.get(CONF_HOST, "")))
        port = valid_port(user_input.get(CONF_PORT))
        if host is None:
            return "", 0, None, {CONF_HOST: "invalid_host"}
        if port is None:
            return host, 0, None, {CONF_PORT: "invalid_port"}
        if not (addresses := await async_resolve(self.hass, host)):
            LOGGER.debug("The container's host name does not resolve")
            return host, port, None, {"base": "cannot_connect"}
        ids = {container_id(address, port) for address in addresses}
        ids.add(container_id(host, port))
        for other in self._async_current_entries(include_ignore=False):
            if other.entry_id != (entry and entry.entry_id) and (
                other.unique_id in ids
                or container_id(other.data[CONF_HOST], other.data[CONF_PORT]) in ids
            ):
                raise AbortFlow("already_configured")
        await self.async_set_unique_id(
            container_id(addresses[0], port), raise_on_progress=entry is None
        )
        client = AntspaceClient(host, port, session=async_get_clientsession(self.hass))
        try:
            state = await client.cooler_state()
        except AntspaceConnectionError as err:
            LOGGER.debug("Cannot connect to the container: %s", err)
            return host, port, None, {"base": "cannot_connect"}
        except AntspaceResponseError as err:
            LOGGER.debug("Not an Antspace container: %s", err)
            return host, port, None, {"base": "not_antspace"}
        return host, port, state.kind, {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the address of a container."""
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, kind, errors = await self._probe(user_input)
            if kind is not None:
                self._abort_if_unique_id_configured()
                name = str(user_input.get(CONF_NAME) or "").strip()
                taken = (other.title for other in self._async_current_entries())
                return self.async_create_entry(
                    title=name or default_title(kind, taken),
                    data={CONF_HOST: host, CONF_PORT: port, CONF_KIND: kind.value},
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(_address_schema(name=True), user_input),
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
                _address_schema(entry.data[CONF_HOST], entry.data[CONF_PORT], name=False),
                user_input,
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
            description_placeholders={"name": self.config_entry.title},
            errors=errors,
        )
