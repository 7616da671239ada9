"""The Antspace dashboard that `script/develop` makes Home Assistant's first page.

The integration's dashboard strategy (`custom:antspace`, in its cards' module) builds it each
time it opens from the containers Home Assistant has: the site card on top, then per container
its card and a 24-hour graph of its supply (each secondary loop's, for an Immersion), return
and setpoint. A container added later gets its card without editing anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from develop_api import HomeAssistantAPI, say

DASHBOARD: Final = "dashboard-antspace"
STRATEGY: Final = {"strategy": {"type": "custom:antspace"}}
"""The dashboard's configuration: the integration's strategy builds the rest."""
OLD_DASHBOARD: Final = {"strategy": {"type": "original-states"}}
"""What earlier versions of script/develop made the Antspace dashboard: a list of entities."""
CARD_TYPES: Final = frozenset(
    {"custom:antspace-site-card", "custom:antspace-container-card", "history-graph"}
)


def made_by_develop(config: Mapping[str, Any]) -> bool:
    """Whether a dashboard is one that earlier versions of script/develop saved, unedited.

    The list of entities, or the site card and per container its card and history, saved
    card by card: both are replaced by the strategy; a dashboard edited by hand stays.
    """
    if config == OLD_DASHBOARD:
        return True
    views = config.get("views")
    if not isinstance(views, list) or len(views) != 1 or views[0].get("path") != "site":
        return False
    cards = [card for section in views[0].get("sections", []) for card in section.get("cards", [])]
    return bool(cards) and all(card.get("type") in CARD_TYPES for card in cards)


async def add_dashboard(api: HomeAssistantAPI) -> None:
    """Make the first page the Antspace dashboard, built by the integration's strategy, once.

    Delete it in Settings → Dashboards to get Home Assistant's overview back. The dashboards
    that earlier versions made are replaced; a dashboard edited by hand stays.
    """
    (dashboards,) = await api.websocket({"type": "lovelace/dashboards/list"})
    exists = any(dashboard["url_path"] == DASHBOARD for dashboard in dashboards)
    if exists:
        (current,) = await api.websocket({"type": "lovelace/config", "url_path": DASHBOARD})
        if current == STRATEGY or not made_by_develop(current):
            return
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
        {"type": "lovelace/config/save", "url_path": DASHBOARD, "config": STRATEGY},
        {"type": "frontend/set_system_data", "key": "core", "value": {"default_panel": DASHBOARD}},
    )
    done = "replaced the earlier one with" if exists else "added"
    say("dashboard", f"{done} the Antspace dashboard (its strategy: site, containers, history)")
