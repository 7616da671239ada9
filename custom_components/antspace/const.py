"""Constants for the Antspace integration."""

from datetime import timedelta
import logging
from typing import Final

from .pyantspace import Kind
from .pyantspace.alerts import (
    DEFAULT_CHIP_TEMP_LIMIT,
    DEFAULT_LOW_SUPPLY_TEMP,
    DEFAULT_NOT_HASHING_SHARE,
)

DOMAIN: Final = "antspace"
LOGGER = logging.getLogger(__package__)

CONF_KIND: Final = "kind"

CONF_SCAN_INTERVAL: Final = "scan_interval"
DEFAULT_SCAN_INTERVAL: Final = 10
MIN_SCAN_INTERVAL: Final = 5
MAX_SCAN_INTERVAL: Final = 600

CONF_MINER_INTERVAL: Final = "miner_interval"
DEFAULT_MINER_INTERVAL: Final = 60
MAX_MINER_INTERVAL: Final = 600
"""The miner summary is read every this many seconds, never more often than the cooling state."""

CONF_LOW_SUPPLY_TEMP: Final = "low_supply_temperature"
DEFAULT_LOW_SUPPLY_TEMPERATURE: Final = DEFAULT_LOW_SUPPLY_TEMP
MIN_LOW_SUPPLY_TEMP: Final = 0.0
MAX_LOW_SUPPLY_TEMP: Final = 40.0

CONF_NOT_HASHING_SHARE: Final = "not_hashing_share"
DEFAULT_NOT_HASHING_PERCENT: Final = DEFAULT_NOT_HASHING_SHARE
MIN_NOT_HASHING_SHARE: Final = 1.0
MAX_NOT_HASHING_SHARE: Final = 100.0
"""%, of the miners that report a hashrate, from which `miners_not_hashing` is raised."""

CONF_CHIP_TEMP_LIMIT: Final = "chip_temperature_limit"
DEFAULT_CHIP_TEMPERATURE_LIMIT: Final = DEFAULT_CHIP_TEMP_LIMIT
MIN_CHIP_TEMP_LIMIT: Final = 40.0
MAX_CHIP_TEMP_LIMIT: Final = 130.0
"""°C, a miner's chip temperature above which `miner_overheating` is raised."""

CONF_ALLOW_COOLING_OFF: Final = "allow_cooling_off"
DEFAULT_ALLOW_COOLING_OFF: Final = False

CONF_NOTIFY: Final = "notify"
NOTIFY_OFF: Final = "off"
DEFAULT_NOTIFY: Final = "high"
"""Alerts of this severity and above post a persistent notification: critical and high."""

DEFAULT_MAINTENANCE: Final = timedelta(hours=4)
"""How long maintenance lasts when the switch turns it on, or the action gives no duration."""
MAX_MAINTENANCE: Final = timedelta(days=7)

EVENT_ALERT: Final = f"{DOMAIN}_alert"

MANUFACTURER: Final = "Bitmain"
MODELS: Final = {Kind.HK3: "Antspace HK3", Kind.IMMERSION: "Antspace Immersion"}
REQUEST_TIMEOUT: Final = timedelta(seconds=5)
"""How long a container gets to answer one request. Controllers are slow (field tools allow
them at least 1.5 s); half the default polling interval keeps a poll inside its interval."""
