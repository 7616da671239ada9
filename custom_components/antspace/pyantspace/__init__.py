"""Client for the HTTP API of Bitmain Antspace liquid-cooling containers.

This package imports nothing from Home Assistant: it could be published on its own. Its
modules depend in one direction: `kinds` ← `alerts` (the table) ← `models` (the answers) ←
`rules` (which alerts an answer raises) and `client`.
"""

from .alerts import (
    ALERTS,
    CONTAINER_UNREACHABLE,
    COOLING_STOPPED_WHILE_MINING,
    LOOP_STOPPED_WHILE_MINING,
    MINER_OVERHEATING,
    MINERS_NOT_HASHING,
    SUPPLY_LIQUID_TEMP_LOW,
    UNRECOGNISED_FAULT,
    AlertSpec,
    Severity,
    alerts_for,
)
from .client import (
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    MAX_RESPONSE_BYTES,
    SETPOINT_MAX,
    SETPOINT_MIN,
    SETPOINT_STEP,
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
from .kinds import Kind
from .models import (
    CoolerState,
    Miner,
    MinerRef,
    MinerSummary,
    Role,
    Snapshot,
    Status,
    WireField,
    detect_kind,
    wire_fields,
)
from .rules import Alert, active_alerts, undetermined_alerts

__all__ = [
    "ALERTS",
    "CONTAINER_UNREACHABLE",
    "COOLING_STOPPED_WHILE_MINING",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "LOOP_STOPPED_WHILE_MINING",
    "MAX_RESPONSE_BYTES",
    "MINERS_NOT_HASHING",
    "MINER_OVERHEATING",
    "SETPOINT_MAX",
    "SETPOINT_MIN",
    "SETPOINT_STEP",
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
    "MinerRef",
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
