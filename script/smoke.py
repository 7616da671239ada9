"""Smoke check: the integration in a Home Assistant release other than the pinned one.

Run through `script/smoke`, which bootstraps `.venv` and uv first:

    script/smoke [--version X] [--soak S] [--keep]

1. The release: the newest `homeassistant` on PyPI, or `--version X`.
2. Its own venv, `.cache/smoke/ha-<version>/`, made by uv with the Python 3.14 that `.venv`
   uses (`.venv` is left alone): `homeassistant==X`, and the requirements of the integrations
   that the configuration below sets up, at that release's pins. Kept for the next run.
3. A temporary config directory, as `script/develop` writes its own (the same lean
   `configuration.yaml`, `custom_components/antspace` linked to this repository's), a mock
   HK3 and a mock Immersion container (`python -m mock`) on loopback ports, and that release's
   Home Assistant on a free loopback port.
4. Onboarding, both containers added through the config flow over the REST API, and a wait
   (120 s at most) until every entity of both is live, as `script/develop` does it.
5. After a few more polls Home Assistant is stopped, and its log read: any warning or error
   that names the integration fails the check, except the one Home Assistant logs for every
   custom integration ("We found a custom integration antspace which has not been tested").

It prints a short report and exits 0 on PASS, 1 on FAIL. It stops everything it started, on a
failure and on Ctrl-C too. The log is kept as `.cache/smoke/ha-<version>.log`.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from types import FrameType
from typing import Final
import urllib.request

import aiohttp
from develop_api import (
    DOMAIN,
    HOST,
    INTEGRATION,
    ROOT,
    HomeAssistantAPI,
    SetupError,
    fail,
    onboard_or_login,
    say,
    set_program,
    shown,
    wait_for_home_assistant,
)
from develop_config import (
    CONFIGURATION_YAML,
    configured_integrations,
    write_config,
    write_http_settings,
)
from develop_containers import (
    Liveness,
    add_container,
    wait_for_mock,
    wait_until_live,
)
from packaging.specifiers import SpecifierSet
from screenshots import spare_ports

CACHE: Final = ROOT / ".cache" / "smoke"
PYPI: Final = "https://pypi.org/pypi/homeassistant/json"
INSTALLED: Final = "smoke-installed.json"
"""Written into a venv once everything is installed, with the integrations it was filled for;
a venv without it, or filled for other integrations, is made anew."""
MOCK: Final = [{"type": "HK3", "seed": 1}, {"type": "IMMERSION", "seed": 2}]
"""The mock's containers, on any free port each."""
LIVE_WITHIN: Final = 120.0
"""s every entity of both containers gets to have a value."""
SOAK: Final = 15.0
"""s Home Assistant runs on once all is live: a poll and a half at the default interval."""
STOP_TIMEOUT: Final = 60.0
EXPECTED_LOGGER: Final = "homeassistant.loader"
EXPECTED_MESSAGE: Final = (
    f"We found a custom integration {DOMAIN} which has not been tested by Home Assistant"
)
"""The one warning naming the integration that is fine: it is logged for any custom one."""
SHOWN_LINES: Final = 30
"""Lines of a record (its traceback) printed, at most."""
SHOWN_OTHERS: Final = 5
RECORD: Final = re.compile(
    r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)? "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) \((?P<thread>[^)]*)\) "
    r"\[(?P<logger>[^\]]+)\] (?P<message>.*)$"
)
"""The first line of a record in Home Assistant's log; a traceback's lines follow it.

Its time has an offset from UTC since Home Assistant 2026.11 (`09:46:51.849+00:00`), none
before. A log in which no line is Home Assistant's note on the custom integration cannot be
read: the check fails then rather than find nothing.
"""
NOTEWORTHY: Final = frozenset({"WARNING", "ERROR", "CRITICAL"})

EXTRA_INTEGRATIONS: Final = ("isal",)
"""Integrations whose requirements the venv gets although nothing here sets them up: `isal`'s
package makes aiohttp's compression fast, and Home Assistant warns without it (the `develop`
dependency group has it too, as Home Assistant's own images do)."""
CLOSURE: Final = """\
import json, sys
from pathlib import Path
from homeassistant import bootstrap
package = Path(bootstrap.__file__).parent
todo = {*bootstrap.CORE_INTEGRATIONS, *bootstrap.DEFAULT_INTEGRATIONS, *sys.argv[1:]}
seen, requirements = set(), set()
while todo:
    domain = todo.pop()
    if domain in seen:
        continue
    seen.add(domain)
    path = package / "components" / domain / "manifest.json"
    if path.is_file():
        manifest = json.loads(path.read_text("utf-8"))
        todo.update(manifest.get("dependencies", []))
        requirements.update(manifest.get("requirements", []))
print(json.dumps({"package": str(package), "requirements": sorted(requirements)}))
"""
"""Run by the release's Python: the requirements of every integration it sets up here.

What Home Assistant always sets up, what configuration.yaml names, what the integration
needs, and their dependencies, from the release's own manifests.
"""


# --- the release and its venv ---------------------------------------------------------------


def newest_release() -> str:
    """The newest homeassistant release on PyPI; fails when this Python cannot run it."""
    try:
        with urllib.request.urlopen(PYPI, timeout=60) as response:
            info = json.load(response)["info"]
    except (OSError, ValueError, KeyError) as err:
        fail(f"cannot read the newest Home Assistant release from {PYPI}: {err}")
    version = str(info["version"])
    needs = SpecifierSet(str(info.get("requires_python") or ""))
    if not needs.contains(platform.python_version()):
        fail(
            f"Home Assistant {version} needs Python {needs}; .venv has {platform.python_version()}"
        )
    return version


def base_python() -> Path:
    """The interpreter `.venv` is made from (this one, outside its venv)."""
    candidate = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return candidate if candidate.is_file() else Path(sys.executable)


def _environment() -> dict[str, str]:
    """The environment for uv: the headers of a Python assembled from Debian, as develop has."""
    env = dict(os.environ)
    include = ROOT / ".cache" / "python-3.14" / "usr" / "include"
    if include.is_dir():
        env["CPATH"] = f"{include}{os.pathsep}{env['CPATH']}" if env.get("CPATH") else str(include)
    return env


def _run(command: Sequence[str | Path], log: Path) -> str:
    """Run a command, its output appended to the log; its standard output."""
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(map(str, command))}\n")
        out.flush()
        result = subprocess.run(
            [str(part) for part in command],
            stdout=subprocess.PIPE,
            stderr=out,
            env=_environment(),
            check=False,
            text=True,
        )
        out.write(result.stdout)
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        lines = "\n".join(f"    {line}" for line in tail)
        fail(f"{Path(command[0]).name} {command[1]} failed (see {shown(log)}):\n{lines}")
    return result.stdout


def install(version: str, uv: Path) -> Path:
    """The venv of this release, made and filled on first use; its directory."""
    venv = CACHE / f"ha-{version}"
    python = venv / "bin" / "python"
    manifest = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))
    domains = sorted(
        {
            *EXTRA_INTEGRATIONS,
            *configured_integrations(CONFIGURATION_YAML),
            *manifest.get("dependencies", []),
            *manifest.get("after_dependencies", []),
        }
    )
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if json.loads((venv / INSTALLED).read_text(encoding="utf-8"))["domains"] == domains:
            say("venv", f"reusing {shown(venv)}")
            return venv
    if venv.exists():
        shutil.rmtree(venv)  # a run that stopped half-way, or one for other integrations
    CACHE.mkdir(parents=True, exist_ok=True)
    log = CACHE / f"ha-{version}.install.log"
    log.write_text("", encoding="utf-8")
    started = time.monotonic()
    say("venv", f"making {shown(venv)} with {base_python()}")
    _run([uv, "venv", "--quiet", "--python", base_python(), venv], log)
    say("venv", f"installing homeassistant=={version}")
    _run([uv, "pip", "install", "--python", python, f"homeassistant=={version}"], log)
    found = json.loads(_run([python, "-c", CLOSURE, *domains], log))
    requirements: list[str] = [*found["requirements"], *manifest.get("requirements", [])]
    constraints = Path(found["package"]) / "package_constraints.txt"
    say("venv", f"installing the {len(requirements)} requirements of the integrations it sets up")
    _run(
        [uv, "pip", "install", "--python", python, "--constraint", constraints, *requirements],
        log,
    )
    record = {"homeassistant": version, "domains": domains, "requirements": requirements}
    (venv / INSTALLED).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    say("venv", f"ready after {time.monotonic() - started:.0f} s")
    return venv


# --- processes ------------------------------------------------------------------------------


class Started:
    """A process this check started, in a session of its own, so that it stops whole."""

    def __init__(
        self, name: str, command: Sequence[str | Path], stdout: Path, stderr: Path | None = None
    ) -> None:
        """Start it, its output into files (its errors into `stdout` too without `stderr`)."""
        self.name = name
        self.output = stderr or stdout
        """Where its messages go."""
        with contextlib.ExitStack() as files:
            out = files.enter_context(stdout.open("wb"))
            err = files.enter_context(stderr.open("wb")) if stderr else subprocess.STDOUT
            self.process = subprocess.Popen(
                [str(part) for part in command],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                start_new_session=True,
            )
        say(name, f"started (pid {self.process.pid})")

    @property
    def pid(self) -> int:
        """Its process id."""
        return self.process.pid

    def stop(self) -> None:
        """SIGTERM to its process group, then SIGKILL after STOP_TIMEOUT."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            say(self.name, f"did not stop within {STOP_TIMEOUT:.0f} s; killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        say(self.name, f"stopped (exit code {self.process.returncode})")


# --- the check ------------------------------------------------------------------------------


@dataclass(slots=True)
class LogRecord:
    """One record of Home Assistant's log: its first line and those that follow it."""

    level: str
    logger: str
    message: str
    lines: list[str] = field(default_factory=list)

    @property
    def names_integration(self) -> bool:
        """Whether any of its lines names the integration (its domain, module or titles)."""
        return any(DOMAIN in line.lower() for line in self.lines)

    @property
    def expected(self) -> bool:
        """Whether it is the note Home Assistant logs for every custom integration."""
        return (
            self.level == "WARNING"
            and self.logger == EXPECTED_LOGGER
            and self.message.startswith(EXPECTED_MESSAGE)
        )


def read_log(path: Path) -> list[LogRecord]:
    """The records of a Home Assistant log; none when there is no log."""
    records: list[LogRecord] = []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return records
    for line in text.splitlines():
        if match := RECORD.match(line):
            records.append(
                LogRecord(match["level"], match["logger"], match["message"], lines=[line])
            )
        elif records:
            records[-1].lines.append(line)
    return records


@dataclass(slots=True)
class Run:
    """What one smoke run found."""

    version: str
    source: str
    live: list[Liveness] = field(default_factory=list)
    problem: str | None = None
    records: list[LogRecord] = field(default_factory=list)


async def exercise(venv: Path, work: Path, started: list[Started], soak: float) -> list[Liveness]:
    """Start the mock and Home Assistant, onboard, add both containers; how live they are."""
    config = work / "config"
    write_config(config)
    (ha_port,) = spare_ports(1)
    write_http_settings(config, ha_port)
    bulk = work / "mock-containers.json"
    bulk.write_text(json.dumps(MOCK), encoding="utf-8")
    urls = work / "mock-urls"
    mock_command: list[str | Path] = [sys.executable, "-m", "mock", "--bulk", bulk, "-h", HOST]
    started.append(Started("mock", mock_command, urls, work / "mock.log"))
    ha_command: list[str | Path] = [
        venv / "bin" / "hass",
        "--config",
        config,
        "--log-file",
        work / "ha.log",
    ]
    started.append(Started("home assistant", ha_command, work / "console.log"))
    mock, hass = started
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantAPI(session, ha_port)
        say("home assistant", f"waiting for it to answer at {api.url}")
        steps = await wait_for_home_assistant(api, hass.pid)
        await onboard_or_login(api, config, steps)
        containers = await wait_for_mock(bulk, urls, mock.pid)
        entry_ids = [await add_container(api, config, container) for container in containers]
        live = await wait_until_live(api, entry_ids, every=True, within=LIVE_WITHIN)
        for entry in live:
            say("live", f"{entry.title}: {entry.live} of {entry.total} entities have values")
        say("soak", f"{soak:.0f} s more, for more polls")
        await asyncio.sleep(soak)
        try:  # still all live, on a look right now
            return await wait_until_live(api, entry_ids, every=True, within=0)
        except SetupError as err:
            raise SetupError(f"{soak:.0f} s later, not every entity is live: {err}") from None


def _tail(path: Path, count: int = 20) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-count:]
    except FileNotFoundError:
        return "    (nothing)"
    return "\n".join(f"    {line}" for line in lines)


def report(run: Run, kept: Path | None) -> bool:
    """Print what the run found; whether it passed."""
    noteworthy = [r for r in run.records if r.level in NOTEWORTHY]
    ours = [r for r in noteworthy if r.names_integration and not r.expected]
    expected = [r for r in noteworthy if r.expected]
    others = [r for r in noteworthy if not r.names_integration]
    # Home Assistant notes every custom integration it loads: without the note, the log's
    # lines were not understood (or the integration not loaded), and finding nothing in them
    # would prove nothing.
    unread = not expected
    passed = run.problem is None and not ours and bool(run.live) and not unread
    python = platform.python_version()
    print(flush=True)
    say("report", f"Home Assistant {run.version} ({run.source}), Python {python}")
    if run.live:
        entities = ", ".join(f"{e.title} {e.live} of {e.total}" for e in run.live)
        say("report", f"entities live: {entities}")
    if run.problem is not None:
        say("report", f"failed: {run.problem}")
    if unread:
        say("report", f"failed: no line of the log is the note {EXPECTED_MESSAGE!r}")
    say(
        "report",
        f"log: {len(ours)} warning(s) or error(s) naming {DOMAIN}; "
        f"{len(expected)} expected ({EXPECTED_MESSAGE!r})",
    )
    for record in ours:
        for line in record.lines[:SHOWN_LINES]:
            print(f"    {line}", flush=True)
        if len(record.lines) > SHOWN_LINES:
            print(f"    ... {len(record.lines) - SHOWN_LINES} more lines", flush=True)
    where = f" (all in {shown(kept)})" if kept is not None else ""
    say("report", f"other warnings and errors, not naming {DOMAIN}: {len(others)}{where}")
    for record in others[:SHOWN_OTHERS]:
        print(f"    {record.lines[0]}", flush=True)
    if len(others) > SHOWN_OTHERS:
        print(f"    ... and {len(others) - SHOWN_OTHERS} more", flush=True)
    say("report", "PASS" if passed else "FAIL")
    return passed


def _stop_all(started: list[Started]) -> None:
    """Stop Home Assistant first, then the mock: its containers stay up while it unloads."""
    for process in reversed(started):
        with contextlib.suppress(Exception):
            process.stop()
    started.clear()


def _terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM and SIGHUP end the run as Ctrl-C does."""
    raise KeyboardInterrupt


def smoke(args: argparse.Namespace) -> bool:
    """Carry out one smoke run; whether it passed."""
    source = "as asked" if args.version else "the newest release on PyPI"
    version = args.version or newest_release()
    say("release", f"Home Assistant {version} ({source})")
    venv = install(version, args.uv)
    run = Run(version, source)
    work = Path(tempfile.mkdtemp(prefix="ha-smoke-"))
    started: list[Started] = []
    try:
        try:
            run.live = asyncio.run(exercise(venv, work, started, args.soak))
        except SetupError as err:
            run.problem = str(err)
        except (aiohttp.ClientError, TimeoutError) as err:
            run.problem = f"talking to Home Assistant failed: {err!r}"
        finally:
            died = [process for process in started if process.process.poll() is not None]
            _stop_all(started)
        for process in died:
            print(f"smoke: {process.name} stopped by itself; the end of its output:")
            print(_tail(process.output), flush=True)
        kept = CACHE / f"ha-{version}.log"
        with contextlib.suppress(OSError):
            shutil.copyfile(work / "ha.log", kept)
        run.records = read_log(work / "ha.log")
        return report(run, kept if kept.is_file() else None)
    finally:
        _stop_all(started)
        if args.keep:
            say("kept", f"{work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="script/smoke", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", help="the homeassistant release (default: the newest)")
    parser.add_argument(
        "--soak", type=float, default=SOAK, help=f"s to run on once live (default {SOAK:.0f})"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary config directory and logs"
    )
    parser.add_argument("--uv", type=Path, default=Path("uv"), help="the uv to install with")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the smoke check; 0 on PASS, 1 on FAIL, 130 when interrupted."""
    args = _parser().parse_args(argv)
    set_program("smoke")
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGHUP, _terminated)
    try:
        return 0 if smoke(args) else 1
    except SetupError as err:
        print(f"smoke: error: {err}", file=sys.stderr, flush=True)
        say("report", "FAIL")
        return 1
    except KeyboardInterrupt:
        print("smoke: interrupted; stopped what it started", file=sys.stderr, flush=True)
        return 130


if __name__ == "__main__":
    sys.exit(main())
