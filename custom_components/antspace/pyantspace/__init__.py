"""Client for the HTTP API of Bitmain Antspace liquid-cooling containers.

This package imports nothing from Home Assistant: it could be published on its own. Its
modules depend in one direction: `kinds` ← `alerts` (the table) ← `models` (the answers) ←
`rules` (which alerts an answer raises) and `client` ← `scan` (finding the containers of a
range of addresses).

Published on its own as `pyantspace` (lib/pyantspace in the integration's repository); the
integration ships this same copy inside, so that installing it needs nothing else.
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
    MOCK_PORT,
    PORTS,
    SETPOINT_MAX,
    SETPOINT_MIN,
    SETPOINT_STEP,
    AntspaceClient,
    Operation,
    probe,
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
from .scan import (
    MAX_SCAN_ADDRESSES,
    Found,
    ScanInputError,
    ScanRange,
    host_port,
    is_numeric_host,
    parse_address,
    parse_ports,
    parse_range,
    scan,
)

__version__ = "0.1.0"

__all__ = [
    "ALERTS",
    "CONTAINER_UNREACHABLE",
    "COOLING_STOPPED_WHILE_MINING",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "LOOP_STOPPED_WHILE_MINING",
    "MAX_RESPONSE_BYTES",
    "MAX_SCAN_ADDRESSES",
    "MINERS_NOT_HASHING",
    "MINER_OVERHEATING",
    "MOCK_PORT",
    "PORTS",
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
    "Found",
    "InvalidSetpointError",
    "Kind",
    "Miner",
    "MinerRef",
    "MinerSummary",
    "Operation",
    "Role",
    "ScanInputError",
    "ScanRange",
    "Severity",
    "Snapshot",
    "Status",
    "WireField",
    "active_alerts",
    "alerts_for",
    "detect_kind",
    "host_port",
    "is_numeric_host",
    "parse_address",
    "parse_ports",
    "parse_range",
    "probe",
    "scan",
    "undetermined_alerts",
    "validate_setpoint",
    "wire_fields",
]
