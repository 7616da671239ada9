"""The reference mock's captured answers, read in place from the shared directory (for the
mock's tests and the device library's)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REFERENCE = Path(
    os.environ.get("ANTSPACE_REFERENCE_FIXTURES", "/work/shared/fixtures/reference-mock")
)


def reference_json(name: str) -> dict[str, Any]:
    """One captured JSON answer, envelope included."""
    data: dict[str, Any] = json.loads((REFERENCE / name).read_text(encoding="utf-8"))
    return data


def reference_http(name: str) -> tuple[int, dict[str, str], bytes]:
    """One captured raw HTTP answer: status, headers (lower-case names), body."""
    raw = (REFERENCE / name).read_bytes().replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    lines = head.decode().splitlines()
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return status, headers, body.rstrip(b"\n")


def json_type(value: Any) -> str:
    """The JSON type of a decoded value: bool and number kept apart."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
