"""Errors raised by the Antspace client, and how they quote what a device sent."""

from __future__ import annotations

import math
from typing import Final

EXCERPT_CHARS: Final = 40
"""Characters of a value, at most, that an error message quotes. A container may send text of
any length; a message (and the log line made of it) stays short whatever it sent."""


def excerpt(value: object) -> str:
    """A short, printable sketch of a value a device (or a caller) sent, for error messages.

    None, booleans and numbers as they are (a huge whole number in scientific notation); text
    as its `ascii()` (so no line break, control or direction character gets through), cut to
    `EXCERPT_CHARS`; other JSON values by their kind. Long text says how long it was.
    """
    if value is None or isinstance(value, (bool, float)):
        text = repr(value)
    elif isinstance(value, int):
        # A huge whole number has more digits than Python turns into text.
        text = repr(value) if value.bit_length() <= 4 * EXCERPT_CHARS else _scientific(value)
    elif isinstance(value, str):
        if len(value) > EXCERPT_CHARS:
            return f"{value[:EXCERPT_CHARS]!a}… ({len(value)} characters)"
        text = ascii(value)
    elif isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    elif isinstance(value, dict):
        return f"an object of {len(value)}"
    else:
        return f"a {type(value).__name__}"
    return text if len(text) <= EXCERPT_CHARS else f"{text[:EXCERPT_CHARS]}…"


def _scientific(value: int) -> str:
    """A whole number of any size as `1.234e+400`."""
    magnitude = abs(value)
    exponent = int(math.log10(magnitude))
    lead = magnitude // 10 ** (exponent - 3)
    if lead < 1000:  # log10 rounded up to the next power of ten
        exponent -= 1
        lead = magnitude // 10 ** (exponent - 3)
    elif lead >= 10_000:  # or down from it
        exponent += 1
        lead = magnitude // 10 ** (exponent - 3)
    sign = "-" if value < 0 else ""
    return f"{sign}{lead // 1000}.{lead % 1000:03d}e+{exponent}"


class AntspaceError(Exception):
    """Base class of every error the client raises."""


class AntspaceConnectionError(AntspaceError):
    """The container could not be reached: refused, unknown host, timeout, dropped."""


class AntspaceResponseError(AntspaceError):
    """The container answered something this client cannot use."""


class InvalidSetpointError(AntspaceError, ValueError):
    """A supply temperature setpoint is not a finite number within the allowed range."""
