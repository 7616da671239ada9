"""Run mock Antspace containers: `python -m mock --help`."""

from __future__ import annotations

from pathlib import Path
import sys
import types


def load_device_layer_alone() -> None:
    """Let `custom_components.antspace.pyantspace` load without its parent's `__init__`.

    The device layer imports nothing from Home Assistant, but the integration package that
    holds it does, which would make the mock slow to start and need Home Assistant installed.
    Only for a process that is the mock alone: a process that already loaded the integration
    keeps it, and one that has not (this one) gets a bare package in its place.
    """
    if "custom_components.antspace" in sys.modules:
        return
    import custom_components  # noqa: PLC0415 - only for a process that is the mock alone

    package = types.ModuleType("custom_components.antspace")
    package.__path__ = [str(Path(custom_components.__file__).parent / "antspace")]
    sys.modules[package.__name__] = package


if __name__ == "__main__":
    load_device_layer_alone()
    from mock.cli import main

    sys.exit(main())
