"""Set up the integration from an unpacked release zip, in a Home Assistant of its own.

    python -I tests/release_load.py CONFIG_DIR PORT KIND

CONFIG_DIR holds custom_components/antspace/ as HACS unpacks the zip there. tests/test_release.py
runs this in an interpreter of its own (isolated: neither the repository nor the tests are on
sys.path), so that the only integration named antspace Home Assistant can find is the zip's.
It adds a container of KIND at 127.0.0.1:PORT through a config entry, and prints one JSON line:
the version, path, translations and brand images Home Assistant's loader found, where the
module came from, the entry's state after setup and after unloading, and how many of the
entry's entities have a value.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import sys
from typing import Any
from unittest.mock import patch

from aiohttp.resolver import AsyncResolver
from homeassistant import loader
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)


async def load(config_dir: Path, port: int, kind: str) -> dict[str, Any]:
    """Load and set up the integration found in config_dir; unload it again."""
    sys.path.insert(0, str(config_dir))
    # As the test harness does: name lookups without zeroconf, which this core does not run.
    resolver = AsyncResolver()
    with patch("homeassistant.helpers.aiohttp_client._async_make_resolver", return_value=resolver):
        result = await _setup(config_dir, port, kind)
    await resolver.close()
    return result


async def _setup(config_dir: Path, port: int, kind: str) -> dict[str, Any]:
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        integration = await loader.async_get_integration(hass, "antspace")
        entry = MockConfigEntry(
            domain="antspace",
            title="Release check",
            data={"host": "127.0.0.1", "port": port, "kind": kind},
        )
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        setup_state = entry.state.value
        entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        with_value = [
            e.entity_id
            for e in entities
            if (state := hass.states.get(e.entity_id)) is not None
            and state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
        ]
        module = sys.modules["custom_components.antspace"]
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        return {
            "version": str(integration.version),
            "file_path": str(integration.file_path),
            "has_translations": integration.has_translations,
            "has_branding": integration.has_branding,
            "module_file": str(module.__file__),
            "setup_state": setup_state,
            "unload_state": entry.state.value,
            "entities": len(entities),
            "entities_with_value": len(with_value),
        }


def main() -> None:
    """Command line: CONFIG_DIR PORT KIND."""
    config_dir, port, kind = sys.argv[1:4]
    result = asyncio.run(load(Path(config_dir), int(port), kind))
    print(json.dumps(result))  # noqa: T201 - the result, for the test that runs this


if __name__ == "__main__":
    main()
