"""The Home Assistant side of `script/develop`: its config, onboarding and containers.

    develop_setup.py prepare --config DIR --ha-port N [--mock-file FILE | --host H --port P]
        Create the config directory on first use (configuration.yaml, the link to this
        repository's integration, the mock's container list), bring an existing one up to
        date, and check the ports are free.

    develop_setup.py setup --config DIR --ha-port N --ha-pid PID
                           [--mock-file FILE --mock-urls FILE --mock-pid PID | --host H --port P]
        Wait for Home Assistant; onboard it with a development user on first start, or log in;
        add each container through the config flow, as a user's clicks do; wait until their
        entities are live; print where to log in.

Every step prints one line; a failure prints what went wrong, not a traceback. The steps live
in `develop_api` (Home Assistant's API, onboarding, login), `develop_config` (the config
directory), `develop_containers` (the mock's containers, the config flow, the wait until they
are live) and `develop_dashboard` (the Antspace dashboard); this module runs them.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import json
from pathlib import Path
import sys
import time

import aiohttp
from develop_api import (
    CREDENTIALS_FILE,
    HOST,
    Credentials,
    HomeAssistantAPI,
    SetupError,
    fail,
    onboard_or_login,
    say,
    shown,
    wait_for_home_assistant,
)
from develop_config import write_config, write_http_settings
from develop_containers import (
    DEFAULT_MOCK,
    MOCK_FILE,
    Container,
    add_container,
    mock_ports,
    port_free,
    wait_for_mock,
    wait_until_live,
)
from develop_dashboard import add_dashboard

__all__ = ["Credentials", "HomeAssistantAPI", "SetupError", "main", "prepare", "setup"]
"""What other scripts import from here (`screenshots.py`, `browser_test.py`), and the steps."""


def prepare(config: Path, ha_port: int, mock_file: Path | None) -> None:
    """Create the config directory on first use and check that the ports are free."""
    write_config(config)
    busy: list[str] = []
    if not port_free(ha_port):
        busy.append(f"{ha_port} (Home Assistant; choose another with --ha-port)")
    if mock_file is not None:
        if mock_file == config / MOCK_FILE and not mock_file.exists():
            mock_file.write_text(json.dumps(DEFAULT_MOCK, indent=2) + "\n", encoding="utf-8")
            say("config", f"created {shown(mock_file)}: the mock containers, edit to change")
        for kind, port in mock_ports(mock_file):
            if port is not None and not port_free(port):
                busy.append(f"{port} (mock {kind}; change it in {shown(mock_file)})")
    if busy:
        fail(f"ports in use on {HOST}: {', '.join(busy)}; is script/develop already running?")
    write_http_settings(config, ha_port)


async def setup(args: argparse.Namespace) -> None:
    """Onboard or log in, add the containers, wait until they are live."""
    config: Path = args.config
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantAPI(session, args.ha_port)
        say("home assistant", f"waiting for it to answer at {api.url}")
        steps = await wait_for_home_assistant(api, args.ha_pid)
        credentials = await onboard_or_login(api, config, steps)
        if args.host is not None:
            containers = [Container(args.host, args.port)]
        else:
            containers = await wait_for_mock(args.mock_file, args.mock_urls, args.mock_pid)
        entry_ids = [await add_container(api, config, container) for container in containers]
        report = await wait_until_live(api, entry_ids)
        await add_dashboard(api)
    elapsed = time.time() - args.started if args.started else None
    after = f" {elapsed:.1f} s after the start" if elapsed is not None else ""
    for live in report:
        say("live", f"{live.title}: {live.live} of {live.total} entities have values")
    count = f"{len(report)} container{'s' if len(report) != 1 else ''}"
    say("ready", f"{count} live{after}")
    print(
        f"\n    Open {api.url} and log in as {credentials.username!r}, "
        f"password {credentials.password!r}.\n"
        f"    (kept in {shown(config / CREDENTIALS_FILE)}; Ctrl-C stops everything)\n",
        flush=True,
    )


# --- command line --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("prepare", "setup"):
        command = commands.add_parser(name)
        command.add_argument("--config", type=Path, required=True)
        command.add_argument("--ha-port", type=int, required=True)
        command.add_argument("--mock-file", type=Path)
        command.add_argument("--host")
        command.add_argument("--port", type=int, help="default: 80, then 8000")
    setup_command = commands.choices["setup"]
    setup_command.add_argument("--mock-urls", type=Path)
    setup_command.add_argument("--mock-pid", type=int)
    setup_command.add_argument("--ha-pid", type=int)
    setup_command.add_argument("--started", type=float, help="time.time() of the start")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; 0 on success, 1 with a message on failure."""
    args = _parser().parse_args(argv)
    args.config = args.config.resolve()
    try:
        if args.command == "prepare":
            prepare(args.config, args.ha_port, None if args.host else args.mock_file)
        else:
            asyncio.run(setup(args))
    except SetupError as err:
        print(f"develop: error: {err}", file=sys.stderr, flush=True)
        return 1
    except (aiohttp.ClientError, TimeoutError) as err:
        print(f"develop: error: talking to Home Assistant failed: {err!r}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
