"""Helpers shared by the entity platforms and the actions."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
import contextlib
import string
from typing import Any, Concatenate, Final

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .entity import AntspaceEntity
from .pyantspace import (
    SETPOINT_MAX,
    SETPOINT_MIN,
    AntspaceConnectionError,
    AntspaceError,
    InvalidSetpointError,
    MinerRef,
    validate_setpoint,
)
from .pyantspace.exceptions import EXCERPT_CHARS, excerpt

DEVICE_TEXT_CHARS: Final = 64
"""Characters, at most, of one name a device made up (an unknown fault flag) shown to people."""
DEVICE_NAMES_SHOWN: Final = 10
"""Names a device made up, at most, listed in one text; the others are counted."""

_INERT: Final = {
    **{ord(char): "\\" + char for char in string.punctuation},
    **{ord(char): f"&#{ord(char)};" for char in "&<>\"'"},
}
"""Every ASCII punctuation character escaped for Markdown, and those of HTML as references."""


def inert_text(text: str, limit: int = DEVICE_TEXT_CHARS) -> str:
    """Text a device sent, made fit to show people: one short line that reads as itself.

    Every text that reaches people from a device goes through here. Characters that do not
    print (line breaks, controls, direction overrides) become U+FFFD, and text over `limit`
    characters is cut with "…". Then every ASCII punctuation character is backslash-escaped,
    which Markdown shows as the character itself, and `& < > " '` become HTML character
    references, which Markdown and HTML both show as the character: no image, link, emphasis,
    heading, tag or autolink (`http:`, `www.`, `@`) survives, wherever the text is rendered.
    """
    return plain_text(text, limit).translate(_INERT)


def plain_text(text: str, limit: int = DEVICE_TEXT_CHARS) -> str:
    """Text a device sent, as one short line of plain text, for a reader that shows it as text.

    Characters that do not print become U+FFFD and text over `limit` characters is cut with
    "…", as in `inert_text`, but nothing is escaped: for the cards, which put it into the page
    as text (Lit escapes it), never as Markdown or HTML.
    """
    clean = text[: limit + 1]
    if not clean.isprintable():
        clean = "".join(char if char.isprintable() else "\ufffd" for char in clean)
    if len(text) > limit:
        clean = f"{clean[: limit - 1]}…"
    return clean


def inert_list(names: Sequence[str]) -> str:
    """Names a device made up, each made inert, the first `DEVICE_NAMES_SHOWN` of them."""
    shown = [inert_text(name) for name in names[:DEVICE_NAMES_SHOWN]]
    if len(names) > DEVICE_NAMES_SHOWN:
        shown.append(f"… (+{len(names) - DEVICE_NAMES_SHOWN})")
    return ", ".join(shown)


def inert_miners(miners: Sequence[MinerRef], *, addresses: bool = True) -> str:
    """Miners by position and address, "12 (10.0.0.14)", the first `DEVICE_NAMES_SHOWN` of them.

    An address is text the device sent: each is made inert. Without `addresses`, the positions
    alone, "12", for those who may not see a miner's address.
    """
    shown = [
        f"{position} ({inert_text(address)})" if addresses else str(position)
        for position, address in miners[:DEVICE_NAMES_SHOWN]
    ]
    if len(miners) > DEVICE_NAMES_SHOWN:
        shown.append(f"… (+{len(miners) - DEVICE_NAMES_SHOWN})")
    return ", ".join(shown)


def translate_client_error(err: AntspaceError) -> HomeAssistantError:
    """A translated Home Assistant error for a client error."""
    key = "command_cannot_connect" if isinstance(err, AntspaceConnectionError) else "command_failed"
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": str(err)},
    )


def antspace_command[EntityT: AntspaceEntity, **P](
    func: Callable[Concatenate[EntityT, P], Coroutine[Any, Any, Any]],
) -> Callable[Concatenate[EntityT, P], Coroutine[Any, Any, None]]:
    """Turn client errors of an entity's command into translated errors, then refresh."""

    async def handler(self: EntityT, /, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await func(self, *args, **kwargs)
        except AntspaceError as err:
            raise translate_client_error(err) from err
        await self.coordinator.async_refresh_after_command()

    return handler


def validated_setpoint(value: object) -> float:
    """The setpoint as a float, or a translated ServiceValidationError before anything is sent."""
    number = value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            number = float(value.strip())
    try:
        return validate_setpoint(number)
    except InvalidSetpointError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_setpoint",
            translation_placeholders={
                "value": _shown_value(value),
                "min": f"{SETPOINT_MIN:g}",
                "max": f"{SETPOINT_MAX:g}",
            },
        ) from err


def _shown_value(value: object) -> str:
    """A value someone gave, as an error message shows it: as typed if it is short text."""
    if isinstance(value, str) and len(value) <= EXCERPT_CHARS and value.isprintable():
        return value
    return excerpt(value)
