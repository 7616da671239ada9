"""Helpers shared by the entity platforms and the actions."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
import contextlib
from typing import Any, Concatenate

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .entity import AntspaceEntity
from .pyantspace import (
    SETPOINT_MAX,
    SETPOINT_MIN,
    AntspaceConnectionError,
    AntspaceError,
    InvalidSetpointError,
    validate_setpoint,
)


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
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value.strip())
    try:
        return validate_setpoint(value)
    except InvalidSetpointError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_setpoint",
            translation_placeholders={
                "value": str(value),
                "min": f"{SETPOINT_MIN:g}",
                "max": f"{SETPOINT_MAX:g}",
            },
        ) from err
