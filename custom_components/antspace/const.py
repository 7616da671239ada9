"""Constants for the Antspace integration."""

import logging
from typing import Final

DOMAIN: Final = "antspace"
LOGGER = logging.getLogger(__package__)
