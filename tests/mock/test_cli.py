"""`python -m mock`: arguments, bulk files, serving and stopping."""

from __future__ import annotations

import asyncio
import io
import json
import os
from pathlib import Path
import runpy
import signal
import sys
from typing import Any

import aiohttp
import pytest

from custom_components.antspace.pyantspace import AntspaceClient, Kind
from mock import cli  # noqa: UP026 - the project's mock package, not the mock library
from mock.__main__ import load_device_layer_alone
from mock.plant import ContainerSpec
from mock.server import MockServer
from tests.mock.helpers import Serve

ROOT = Path(__file__).parents[2]


def specs(*argv: str) -> list[ContainerSpec]:
    return cli.specs_from_args(cli.build_parser().parse_args(argv))


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m mock [--help] [--type HK3|IMMERSION] [-p PORT]")
    assert "-h, --host HOST" in out
    assert "--bulk FILE" in out
    assert '[{"type": "HK3", "port": 8001, "error": false, "seed": 1, "frozen": false}' in out
    assert "GET  /_mock/state" in out
    assert "POST /_mock/failure?mode=<m>[&count=<n>]" in out


def test_defaults_like_the_reference() -> None:
    args = cli.build_parser().parse_args([])
    assert (args.type, args.port, args.host, args.error) == (Kind.HK3, 8000, "127.0.0.1", False)
    assert specs() == [ContainerSpec(Kind.HK3, port=8000)]


@pytest.mark.parametrize("text", ["immersion", "IMMERSION", "Immersion", "iMmErSiOn"])
def test_type_is_case_insensitive(text: str) -> None:
    args = ["--type", text, "-p", "9001", "-h", "192.0.2.5", "--error", "--seed", "4"]
    (spec,) = specs(*args, "--frozen", "--miners", "6")
    assert spec == ContainerSpec(
        Kind.IMMERSION, port=9001, error=True, seed=4, frozen=True, miners=6
    )
    assert cli.build_parser().parse_args(args).host == "192.0.2.5"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--type", "hk4"], "unknown container type 'hk4'; use HK3 or IMMERSION"),
        (["-p", "70000"], "'70000' is not a TCP port"),
        (["-p", "http"], "'http' is not a TCP port"),
        (["--miners", "-3"], "'-3' is not a whole number"),
        (["--miners", "x"], "'x' is not a whole number"),
    ],
)
def test_bad_arguments(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_bulk_file(tmp_path: Path) -> None:
    path = tmp_path / "bulk.json"
    path.write_text(
        json.dumps(
            [
                {"type": "HK3", "port": 8001, "error": False, "seed": 1, "frozen": False},
                {"type": "immersion", "port": 8002, "miners": 60},
                {"seed": None},
            ]
        )
    )
    assert specs("--bulk", str(path), "--error", "--frozen", "--seed", "10") == [
        ContainerSpec(Kind.HK3, port=8001, error=False, seed=1, frozen=False),
        ContainerSpec(Kind.IMMERSION, port=8002, error=True, seed=11, frozen=True, miners=60),
        ContainerSpec(Kind.HK3, port=0, error=True, seed=None, frozen=True),
    ]
    late = tmp_path / "late.json"
    late.write_text('[{"down_for": 30}, {}]')
    assert [spec.down_for for spec in specs("--bulk", str(late), "--down-for", "5")] == [30, 5]
    assert specs("--down-for", "2.5")[0].down_for == 2.5
    for bad in ('[{"down_for": -1}]', '[{"down_for": true}]', '[{"down_for": "soon"}]'):
        late.write_text(bad)
        with pytest.raises(cli.BulkFileError, match="down_for"):
            specs("--bulk", str(late))
    one = tmp_path / "one.json"
    one.write_text("[{}]")
    (only,) = specs("--bulk", str(one), "--type", "immersion")
    assert only == ContainerSpec(Kind.IMMERSION)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ('{"type": "HK3"}', "must hold a non-empty JSON list of containers"),
        ("[]", "must hold a non-empty JSON list of containers"),
        ("[1]", "entry 0 is not an object"),
        ('[{"type": "HK3", "prt": 1}]', "entry 0 has unknown keys: prt"),
        ('[{}, {"type": "hk4"}]', "entry 1: type must be HK3 or IMMERSION, not 'hk4'"),
        ('[{"port": 70000}]', "entry 0: port must be a whole number from 0 to 65535"),
        ('[{"port": "8001"}]', "entry 0: port must be a whole number from 0 to 65535"),
        ('[{"port": true}]', "entry 0: port must be a whole number from 0 to 65535"),
        ('[{"error": "yes"}]', "entry 0: error must be true or false"),
        ('[{"miners": -1}]', "entry 0: miners must be a whole number"),
        ('[{"seed": 1.5}]', "entry 0: seed must be a whole number"),
        ('[{"port": 8001}, {"port": 8001}]', "gives port 8001 to several containers"),
        (b"\xff\xfe\xfa", "is not JSON"),
    ],
)
def test_bad_bulk_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    path = tmp_path / "bulk.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(SystemExit) as info:
        cli.main(["--bulk", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("usage: python -m mock")
    assert "Traceback" not in err


def test_missing_bulk_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--bulk", str(tmp_path / "nothing.json")])
    assert info.value.code == 2
    assert "cannot read bulk file" in capsys.readouterr().err
    with pytest.raises(cli.BulkFileError, match="cannot read bulk file"):
        cli.load_bulk(tmp_path, cli.build_parser().parse_args([]))  # a directory


async def test_serve_in_process_until_sigterm(aiohttp_session: aiohttp.ClientSession) -> None:
    out, err = io.StringIO(), io.StringIO()
    servers: list[MockServer] = []
    ready = asyncio.Event()

    def started(server: MockServer) -> None:
        servers.append(server)
        ready.set()

    task = asyncio.create_task(
        cli.serve(
            [ContainerSpec(Kind.HK3), ContainerSpec(Kind.IMMERSION, frozen=True)],
            "127.0.0.1",
            out=out,
            err=err,
            started=started,
        )
    )
    await asyncio.wait_for(ready.wait(), 5)
    server = servers[0]
    lines = out.getvalue().splitlines()
    assert lines == [f"{c.kind.value.upper()} {server.url(c)}" for c in server.containers]
    assert lines[1].startswith("IMMERSION http://127.0.0.1:")
    port = server.containers[1].port
    client = AntspaceClient("127.0.0.1", port, session=aiohttp_session)
    assert (await client.cooler_state()).kind is Kind.IMMERSION
    os.kill(os.getpid(), signal.SIGTERM)  # handled by serve()'s loop signal handler
    assert await asyncio.wait_for(task, 5) == 0
    assert not server.listening(server.containers[0])
    assert err.getvalue() == ""


async def test_serve_cancelled_stops_the_server() -> None:
    servers: list[MockServer] = []
    ready = asyncio.Event()

    def started(server: MockServer) -> None:
        servers.append(server)
        ready.set()

    task = asyncio.create_task(
        cli.serve([ContainerSpec(Kind.HK3)], "127.0.0.1", out=io.StringIO(), started=started)
    )
    await asyncio.wait_for(ready.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not servers[0].listening(servers[0].containers[0])


async def test_serve_reports_a_port_in_use(serve: Serve) -> None:
    server = await serve(Kind.HK3)
    taken = server.containers[0].port
    err = io.StringIO()
    code = await cli.serve(
        [ContainerSpec(Kind.IMMERSION, port=taken)], "127.0.0.1", out=io.StringIO(), err=err
    )
    assert code == 1
    assert err.getvalue() == (
        f"python -m mock: error: cannot listen on 127.0.0.1 port {taken}: Address already in use\n"
    )


def test_main_runs_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    async def fake_serve(specs: list[ContainerSpec], host: str) -> int:
        seen.append((specs, host))
        return 0

    monkeypatch.setattr(cli, "serve", fake_serve)
    assert cli.main(["-p", "0", "-h", "::1", "--type", "immersion"]) == 0
    assert seen == [([ContainerSpec(Kind.IMMERSION)], "::1")]


def test_file_limit_is_raised_when_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    import resource  # noqa: PLC0415

    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (1024, 8192))
    monkeypatch.setattr(resource, "setrlimit", lambda _which, limits: calls.append(limits))
    cli._raise_file_limit(1000)
    assert calls == [(4256, 8192)]
    calls.clear()
    cli._raise_file_limit(10)
    assert calls == []


def test_device_layer_loads_without_home_assistant(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = sys.modules["custom_components.antspace"]
    load_device_layer_alone()  # already loaded: left alone
    assert sys.modules["custom_components.antspace"] is loaded
    monkeypatch.delitem(sys.modules, "custom_components.antspace")
    load_device_layer_alone()
    bare = sys.modules["custom_components.antspace"]
    assert bare is not loaded
    assert not hasattr(bare, "async_setup_entry")
    assert Path(bare.__path__[0]) == ROOT / "custom_components" / "antspace"


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_module_entry_point(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["python -m mock", "--help"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("mock", run_name="__main__")
    assert info.value.code == 0
    assert "usage: python -m mock" in capsys.readouterr().out


async def test_real_process_answers_and_exits_on_sigterm(
    aiohttp_session: aiohttp.ClientSession,
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mock",
        "--type",
        "Immersion",
        "-p",
        "0",
        "--frozen",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        kind, url = line.split()
        assert kind == "IMMERSION"
        async with aiohttp_session.get(url, params={"operation": "coolerState"}) as response:
            answer = await response.json()
        assert answer["params"]["protocol_version"] == 5
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
        assert process.stderr is not None
        assert b"Traceback" not in await process.stderr.read()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_the_mock_process_does_not_load_home_assistant() -> None:
    code = (
        "import sys; from mock.__main__ import load_device_layer_alone as load; load(); "
        "import mock.cli; print(sorted(m for m in sys.modules if m.startswith('homeassistant')))"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), 20)
    assert out.decode().strip() == "[]"
