"""The Antspace dashboard that `script/develop` makes Home Assistant's first page.

The site card on top; per container its card and a 24-hour graph of supply, return and
setpoint, built from Home Assistant's device and entity registries and saved over its
websocket API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from develop_api import DOMAIN, HomeAssistantAPI, say

DASHBOARD: Final = "dashboard-antspace"
SUPPLY_KEYS: Final = ("supply_liquid_temp", "primary_supply_temp")
RETURN_KEYS: Final = ("return_liquid_temp", "primary_return_temp")
SETPOINT_KEY: Final = "supply_liquid_set_temp"
OLD_DASHBOARD: Final = {"strategy": {"type": "original-states"}}
"""What earlier versions of script/develop made the Antspace dashboard: a list of entities."""


def dashboard_config(
    devices: Sequence[Mapping[str, Any]], entities: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The Antspace dashboard: the site card, then each container's card and 24 h history.

    From the registries: the containers are the integration's devices, their curves the
    entities with the translation keys of supply, return and setpoint.
    """
    ours = sorted(
        (d for d in devices if any(domain == DOMAIN for domain, _ in d["identifiers"])),
        key=lambda d: str(d.get("name_by_user") or d.get("name") or ""),
    )
    full = {"grid_options": {"columns": "full"}}
    sections: list[dict[str, Any]] = [
        {
            "type": "grid",
            "column_span": 2,
            "cards": [{"type": "custom:antspace-site-card", **full}],
        }
    ]
    for device in ours:
        keyed = {
            e["translation_key"]: e["entity_id"]
            for e in entities
            if e.get("device_id") == device["id"] and e.get("platform") == DOMAIN
        }
        curves = [keyed[key] for key in (*SUPPLY_KEYS, *RETURN_KEYS, SETPOINT_KEY) if key in keyed]
        sections.append(
            {
                "type": "grid",
                "cards": [
                    {"type": "custom:antspace-container-card", "device_id": device["id"], **full},
                    {"type": "history-graph", "hours_to_show": 24, "entities": curves, **full},
                ],
            }
        )
    view = {"title": "Antspace", "path": "site", "type": "sections", "max_columns": 2}
    return {"views": [{**view, "sections": sections}]}


async def add_dashboard(api: HomeAssistantAPI) -> None:
    """Make the first page the Antspace dashboard, once.

    The site card on top; per container its card and a 24-hour graph of supply, return and
    setpoint. Delete it in Settings → Dashboards to get Home Assistant's overview back. The
    list of entities that earlier versions made is replaced; a dashboard edited by hand stays.
    """
    (dashboards,) = await api.websocket({"type": "lovelace/dashboards/list"})
    exists = any(dashboard["url_path"] == DASHBOARD for dashboard in dashboards)
    if exists:
        (current,) = await api.websocket({"type": "lovelace/config", "url_path": DASHBOARD})
        if current != OLD_DASHBOARD:
            return
    devices, entities = await api.websocket(
        {"type": "config/device_registry/list"}, {"type": "config/entity_registry/list"}
    )
    create = {
        "type": "lovelace/dashboards/create",
        "url_path": DASHBOARD,
        "title": "Antspace",
        "icon": "mdi:snowflake",
        "show_in_sidebar": True,
        "require_admin": False,
        "mode": "storage",
    }
    await api.websocket(
        *([] if exists else [create]),
        {
            "type": "lovelace/config/save",
            "url_path": DASHBOARD,
            "config": dashboard_config(devices, entities),
        },
        {"type": "frontend/set_system_data", "key": "core", "value": {"default_panel": DASHBOARD}},
    )
    done = "replaced the list of entities with" if exists else "added"
    say("dashboard", f"{done} the Antspace dashboard (site, containers, 24 h history)")
