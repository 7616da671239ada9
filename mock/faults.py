"""How a mock container misbehaves, and which fault flags it sends (from the alert table)."""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from custom_components.antspace.pyantspace.alerts import alerts_for
from custom_components.antspace.pyantspace.kinds import Kind


class Failure(StrEnum):
    """How a mock container misbehaves when asked for something on `/cooler`.

    Only MISSING_FIELDS, WRONG_TYPES and HOSTILE carry out a control operation (open, close,
    reset, setTemp); with any other failure the container answers badly and does nothing.
    """

    NONE = "none"
    DROP = "drop"
    """Close the connection without answering. aiohttp retries a request once when a kept-alive
    connection closes, so a client sees this only from the second dropped request on."""
    HTTP_500 = "http500"
    BROKEN_JSON = "broken_json"
    """Send the first half of the answer."""
    OK_FALSE = "ok_false"
    MISSING_FIELDS = "missing_fields"
    """Omit about half the fields of every role, but keep the fields that tell the kind."""
    WRONG_TYPES = "wrong_types"
    """Send about half the values as strings: numbers as "35.0", bools as "true"."""
    OVERSIZE = "oversize"
    """Answer with a body larger than the client accepts."""
    HUGE_TEXT = "huge_text"
    """Answer just under the client's size cap, with megabytes of text where `ok` should be."""
    HOSTILE = "hostile"
    """A well-formed cooling state as a hostile controller might send it: fault flags named
    with Markdown and HTML (an image, a link, an `<svg>`, and one of 10,000 characters), set,
    and absurd powers (1e308, 1e300 or -10 MW, in turn)."""


@cache
def fault_flags(kind: Kind) -> tuple[str, ...]:
    """The fault flags every container of a kind sends, in the alert table's order."""
    return tuple(
        flag for spec in alerts_for(kind) if (flag := spec.flag) is not None and not spec.optional
    )


@cache
def optional_flags(kind: Kind) -> tuple[str, ...]:
    """The fault flags some controllers of a kind send: sent once set, until `reset`."""
    return tuple(flag for spec in alerts_for(kind) if (flag := spec.flag) and spec.optional)
