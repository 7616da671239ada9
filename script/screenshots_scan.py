"""The picture of a scan's result for the README, taken by `screenshots.py` (`--only scan`).

Mock containers (and a web server that is not one) are served from this process, on loopback
addresses of their own, one of them is added by hand first, and the range is scanned from the
integration's dialog, as a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
import socket
import sys
from typing import TYPE_CHECKING, Final

from develop_setup import HomeAssistantAPI, SetupError

if TYPE_CHECKING:
    from playwright.async_api import Page

ROOT: Final = Path(__file__).resolve().parent.parent
SCAN_SITE: Final = (
    ("127.0.0.11", "hk3"),
    ("127.0.0.12", "hk3"),
    ("127.0.0.14", "immersion"),
    ("127.0.0.15", "hk3"),
    ("127.0.0.17", "immersion"),
    ("127.0.0.18", "hk3"),
    ("127.0.0.21", "immersion"),
)
"""The containers of the picture of a scan's result, by address; the second is on the mock's
port, the others on real controllers'."""
SCAN_WEB: Final = "127.0.0.16"
"""A web server that is not a container, in the scanned range."""
SCAN_CONFIGURED: Final = ("127.0.0.12", "Row 2 north")
"""The container of the scanned range that is configured before the scan, and its name."""
SCAN_RANGE: Final = "127.0.0.10-127.0.0.40"


def spare_ports(count: int) -> list[int]:
    """Ports free on the first address of the site now."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((SCAN_SITE[0][0], 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def scan_ports() -> tuple[int, int]:
    """The ports of the scanned site: real controllers' and the mock's, or two spare ones."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((SCAN_SITE[0][0], 80))
        except OSError:
            first, second = spare_ports(2)
            return first, second
    return 80, 8000


async def shoot_scan(
    page: Page, api: HomeAssistantAPI, path: Path, *, settle: float, say: Callable[[str], None]
) -> None:
    """The scan of a range with a few containers (one configured already) and a web server.

    `page` is a logged-in browser page; the picture is saved to `path`.
    """
    sys.path.insert(0, str(ROOT))
    from custom_components.antspace.pyantspace import Kind  # noqa: PLC0415 - found only now
    from mock.plain import PlainServer  # noqa: PLC0415
    from mock.plant import ContainerSpec  # noqa: PLC0415
    from mock.server import MockServer  # noqa: PLC0415

    ports = scan_ports()
    servers: list[MockServer | PlainServer] = []
    for index, (address, kind) in enumerate(SCAN_SITE):
        port = ports[1] if index == 1 else ports[0]
        spec = ContainerSpec(kind=Kind(kind), port=port, frozen=True, seed=20 + index)
        servers.append(MockServer([spec], address))
    servers.append(PlainServer(SCAN_WEB, ports))
    try:
        for server in servers:
            await server.start()
        address, name = SCAN_CONFIGURED
        port = ports[1]
        flow = await api.request(
            "POST", "/api/config/config_entries/flow", json_body={"handler": "antspace"}
        )
        step = f"/api/config/config_entries/flow/{flow['flow_id']}"
        await api.request("POST", step, json_body={"next_step_id": "manual"})
        result = await api.request(
            "POST", step, json_body={"host": address, "port": port, "name": name}
        )
        if result.get("type") != "create_entry":
            raise SetupError(f"could not add the container at {address}: {result}")
        say(f"added {name} at {address}:{port}, to be found configured")

        await page.goto(f"{api.url}/config/integrations/dashboard/add?domain=antspace")
        await page.get_by_role("button", name="OK").click()  # "Do you want to set up Antspace?"
        await page.get_by_text("A whole site: scan a range of addresses").click()
        await page.get_by_role("textbox", name="Addresses").fill(SCAN_RANGE)
        if ports != (80, 8000):
            await page.get_by_role("textbox", name="Ports").fill(f"{ports[0]}, {ports[1]}")
        await page.get_by_role("button", name="Submit").click()
        await page.get_by_text("Containers found in").wait_for(timeout=60_000)
        await page.wait_for_timeout(settle * 1000)
        await page.screenshot(path=str(path))
        say(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        await page.keyboard.press("Escape")
    finally:
        for server in servers:
            await server.stop()
