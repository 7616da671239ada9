"""Client for the HTTP API of Bitmain Antspace liquid-cooling containers.

This package imports nothing from Home Assistant: it could be published on its own.
"""

from .alerts import (
    ALERTS,
    CONTAINER_UNREACHABLE,
    COOLING_STOPPED_WHILE_MINING,
    LOOP_STOPPED_WHILE_MINING,
    SUPPLY_LIQUID_TEMP_LOW,
    UNRECOGNISED_FAULT,
    Alert,
    AlertSpec,
    Severity,
    active_alerts,
    alerts_for,
    undetermined_alerts,
)
from .client import (
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    MAX_RESPONSE_BYTES,
    SETPOINT_MAX,
    SETPOINT_MIN,
    AntspaceClient,
    Operation,
    validate_setpoint,
)
from .exceptions import (
    AntspaceConnectionError,
    AntspaceError,
    AntspaceResponseError,
    InvalidSetpointError,
)
from .models import (
    CoolerState,
    Kind,
    Miner,
    MinerSummary,
    Role,
    Snapshot,
    Status,
    WireField,
    detect_kind,
    wire_fields,
)

__all__ = [
    "ALERTS",
    "CONTAINER_UNREACHABLE",
    "COOLING_STOPPED_WHILE_MINING",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "LOOP_STOPPED_WHILE_MINING",
    "MAX_RESPONSE_BYTES",
    "SETPOINT_MAX",
    "SETPOINT_MIN",
    "SUPPLY_LIQUID_TEMP_LOW",
    "UNRECOGNISED_FAULT",
    "Alert",
    "AlertSpec",
    "AntspaceClient",
    "AntspaceConnectionError",
    "AntspaceError",
    "AntspaceResponseError",
    "CoolerState",
    "InvalidSetpointError",
    "Kind",
    "Miner",
    "MinerSummary",
    "Operation",
    "Role",
    "Severity",
    "Snapshot",
    "Status",
    "WireField",
    "active_alerts",
    "alerts_for",
    "detect_kind",
    "undetermined_alerts",
    "validate_setpoint",
    "wire_fields",
]
