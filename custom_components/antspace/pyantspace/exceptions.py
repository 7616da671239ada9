"""Errors raised by the Antspace client."""


class AntspaceError(Exception):
    """Base class of every error the client raises."""


class AntspaceConnectionError(AntspaceError):
    """The container could not be reached: refused, unknown host, timeout, dropped."""


class AntspaceResponseError(AntspaceError):
    """The container answered something this client cannot use."""


class InvalidSetpointError(AntspaceError, ValueError):
    """A supply temperature setpoint is not a finite number within the allowed range."""
