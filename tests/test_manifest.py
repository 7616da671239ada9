"""Home Assistant finds the integration in this repository and reads its manifest."""

import json
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration

from custom_components.antspace.const import DOMAIN

MANIFEST = Path(__file__).parent.parent / "custom_components" / DOMAIN / "manifest.json"


async def test_integration_loads_with_manifest_version(hass: HomeAssistant) -> None:
    """The loader picks up the repository's integration and its version."""
    integration = await async_get_integration(hass, DOMAIN)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert not integration.is_built_in
    assert integration.version is not None
    assert str(integration.version) == manifest["version"]
    assert integration.config_flow is True
    assert integration.manifest["iot_class"] == "local_polling"
    assert Path(integration.file_path) == MANIFEST.parent
