"""The release: script/release.py and the workflow that runs it, and a dry run of both.

The dry run copies the repository's committed files into a fresh checkout, litters the
integration's folder the way a working copy gets littered, runs the release workflow's build
step in it exactly as the workflow writes it, unpacks the zip into an empty custom_components/
and sets the integration up from there, in a Home Assistant of its own, against the mock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import importlib.util
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tarfile
from types import ModuleType
from typing import Any
import zipfile

import pytest
import yaml

from custom_components.antspace.pyantspace import Kind, __version__ as pyantspace_version
from mock.plant import ContainerSpec
from mock.server import MockServer

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
TAG = "v9.8.7"
PACKAGE = "custom_components/antspace/pyantspace"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release", ROOT / "script" / "release.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = _load_script()


def _workflow() -> dict[Any, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _workflow()["jobs"]["release"]["steps"]
    return steps


def _step(match: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    found = [step for step in _steps() if match(step)]
    assert len(found) == 1
    return found[0]


def _build_step() -> dict[str, Any]:
    return _step(lambda step: "script/release.py" in step.get("run", ""))


def _tracked_files(path: str) -> list[str]:
    """The committed files under a path of the repository, relative to the repository."""
    out = subprocess.run(  # noqa: S603 - a fixed command
        ["git", "ls-files", "-z", "--", path],  # noqa: S607 - git from PATH, as in CI
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return sorted(name for name in out.split("\0") if name)


# --- the script ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "version"),
    [
        ("v0.2.0", "0.2.0"),
        ("0.2.0", "0.2.0"),
        ("v1.10.3b1", "1.10.3b1"),
        ("v2.0.0-rc.1", "2.0.0-rc.1"),
    ],
)
def test_the_tag_gives_the_version(tag: str, version: str) -> None:
    assert release.version_from_tag(tag) == version


@pytest.mark.parametrize("tag", ["", "v", "latest", "v1.2", "v01.2.3", "1.2.3.4", "v1.2.3 beta"])
def test_a_tag_that_is_no_version_is_refused(tag: str) -> None:
    with pytest.raises(release.ReleaseError, match="is not a version"):
        release.version_from_tag(tag)


@pytest.mark.parametrize(
    ("hacs", "message"),
    [
        ({"name": "Antspace"}, "no zip_release and filename"),
        ({"name": "Antspace", "zip_release": True}, "no zip_release and filename"),
        ({"name": "Antspace", "zip_release": True, "filename": "a/b.zip"}, "plain .zip"),
        ({"name": "Antspace", "zip_release": True, "filename": "antspace.tar"}, "plain .zip"),
    ],
)
def test_the_zip_needs_a_name_from_hacs_json(
    tmp_path: Path, hacs: dict[str, Any], message: str
) -> None:
    (tmp_path / "hacs.json").write_text(json.dumps(hacs), encoding="utf-8")
    with pytest.raises(release.ReleaseError, match=message):
        release.zip_name(tmp_path)


def test_a_bad_tag_fails_the_command_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert release.main(["latest", "--output", str(tmp_path / "out")]) == 1
    assert "is not a version" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_same_tag_builds_the_same_bytes(tmp_path: Path) -> None:
    first = release.build(TAG, tmp_path / "a")
    second = release.build(TAG, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_changelog_versions_are_read_newest_first() -> None:
    versions = release.changelog_versions(ROOT)
    assert versions
    assert "Unreleased" not in versions


# --- the workflow --------------------------------------------------------------------------


def test_the_workflow_runs_on_a_published_release() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers == {"release": {"types": ["published"]}}
    assert workflow["jobs"]["release"]["permissions"] == {"contents": "write"}


def test_the_workflow_uploads_the_zip_the_script_built() -> None:
    build = _build_step()
    assert build["env"]["TAG"] == "${{ github.event.release.tag_name }}"
    upload = _step(lambda step: "gh release upload" in step.get("run", ""))
    assert upload["env"]["ZIP"] == f"${{{{ steps.{build['id']}.outputs.zip }}}}"
    assert upload["env"]["TAG"] == build["env"]["TAG"]
    assert '"$ZIP"' in upload["run"]


def _uv() -> Path:
    """The uv that script/bootstrap found or installed."""
    found = shutil.which("uv")
    uv = Path(found) if found else ROOT / ".cache" / "tools" / "bin" / "uv"
    assert uv.is_file(), "script/bootstrap provides uv"
    return uv


def test_the_workflow_builds_the_library_and_uploads_it(tmp_path: Path) -> None:
    """The release's step for pyantspace, run here: a wheel of exactly the library's modules
    (typed) at its own version, and an sdist with its README and tests, both uploaded."""
    step = _step(lambda step: "uv build lib/pyantspace" in step.get("run", ""))
    (command,) = [line for line in step["run"].splitlines() if line.startswith("uv build")]
    checkout = tmp_path / "checkout"
    for name in [*_tracked_files("lib/pyantspace"), *_tracked_files(PACKAGE)]:
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, checkout / name, follow_symlinks=False)
    runner_temp = tmp_path / "runner"
    env = {
        **os.environ,  # the machine's way to the package index (certificates, mirrors)
        # As on GitHub: a Python 3.14 on PATH (setup-python there, this one here).
        "PATH": os.pathsep.join(
            [str(_uv().parent), str(Path(sys.executable).parent), os.environ["PATH"]]
        ),
        "RUNNER_TEMP": str(runner_temp),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    done = subprocess.run(  # noqa: S603 - the workflow's own step
        ["bash", "-e", "-c", command],  # noqa: S607 - GitHub runs `run` with bash -e
        cwd=checkout,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    version = pyantspace_version
    built = sorted(path.name for path in (runner_temp / "library").glob("pyantspace-*"))
    assert built == [f"pyantspace-{version}-py3-none-any.whl", f"pyantspace-{version}.tar.gz"]
    modules = {Path(name).name for name in _tracked_files(PACKAGE)}
    with zipfile.ZipFile(runner_temp / "library" / built[0]) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(f"pyantspace-{version}.dist-info/METADATA").decode()
    assert {name.removeprefix("pyantspace/") for name in names if "dist-info" not in name} == (
        modules
    )
    assert "py.typed" in modules
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert requires == ["Requires-Dist: aiohttp>=3.10"]
    with tarfile.open(runner_temp / "library" / built[1]) as sdist:
        members = {member.name: member for member in sdist.getmembers()}
    root = f"pyantspace-{version}"
    for name in ("README.md", "pyproject.toml", "tests/test_client.py"):
        assert f"{root}/{name}" in members
    assert all(members[f"{root}/src/pyantspace/{name}"].isfile() for name in modules)
    upload = _step(lambda step: "gh release upload" in step.get("run", ""))
    assert '"$RUNNER_TEMP"/library/pyantspace-*' in upload["run"]


# --- the dry run ---------------------------------------------------------------------------


def _checkout(tmp_path: Path) -> Path:
    """The files the release workflow reads, as a fresh clone has them, plus litter."""
    checkout = tmp_path / "checkout"
    for name in [
        *_tracked_files("custom_components/antspace"),
        "hacs.json",
        "CHANGELOG.md",
        "script/release.py",
    ]:
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, checkout / name)
    integration = checkout / "custom_components" / "antspace"
    litter = [
        "__pycache__/__init__.cpython-314.pyc",
        "pyantspace/__pycache__/client.cpython-314.pyc",
        "sensor.pyc",
        ".mypy_cache/3.14/cache.json",
        ".ruff_cache/content",
        ".DS_Store",
        "tests/test_sensor.py",
    ]
    for name in litter:
        (integration / name).parent.mkdir(parents=True, exist_ok=True)
        (integration / name).write_bytes(b"litter")
    return checkout


def _run_build_step(checkout: Path, runner_temp: Path) -> Path:
    """Run the workflow's build step as GitHub runs it; the zip it reports."""
    step = _build_step()
    github_output = runner_temp / "github_output"
    github_output.touch()
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_OUTPUT": str(github_output),
        "TAG": TAG,
    }
    done = subprocess.run(  # noqa: S603 - the workflow's own step
        ["bash", "-e", "-c", step["run"]],  # noqa: S607 - GitHub runs `run` with bash -e
        cwd=checkout,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "release: note: CHANGELOG.md has no section for 9.8.7" in done.stdout
    outputs = dict(
        line.split("=", 1) for line in github_output.read_text(encoding="utf-8").splitlines()
    )
    return Path(outputs["zip"])


async def test_dry_run_gives_a_loadable_integration(tmp_path: Path, socket_enabled: None) -> None:
    checkout = _checkout(tmp_path)
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    built = _run_build_step(checkout, runner_temp)

    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert built.name == hacs["filename"]
    assert built.parent == runner_temp / "release"

    # Exactly the committed files of the integration, at the zip's root.
    committed = [
        name.removeprefix("custom_components/antspace/")
        for name in _tracked_files("custom_components/antspace")
    ]
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
        config = tmp_path / "config"
        (config / "custom_components").mkdir(parents=True)
        archive.extractall(config / "custom_components" / "antspace")  # noqa: S202 - our own zip
    assert sorted(names) == committed
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "cache" in n]
    assert not [n for n in names if n.startswith("tests/") or "/." in f"/{n}"]

    unpacked = config / "custom_components" / "antspace"
    manifest = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
    source = json.loads((ROOT / "custom_components/antspace/manifest.json").read_text("utf-8"))
    assert manifest == {**source, "version": "9.8.7"}
    for name in committed:
        if name != "manifest.json":
            assert (unpacked / name).read_bytes() == (
                ROOT / "custom_components/antspace" / name
            ).read_bytes()

    # Set up from the unpacked zip, in an interpreter that cannot see the repository.
    async with MockServer([ContainerSpec(kind=Kind.IMMERSION, frozen=True, seed=3)]) as server:
        container = server.containers[0]
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-I",
            str(Path(__file__).with_name("release_load.py")),
            str(config),
            str(container.port),
            Kind.IMMERSION.value,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()
    result = json.loads(stdout.decode().strip().splitlines()[-1])
    assert result["version"] == "9.8.7"
    assert Path(result["file_path"]) == unpacked
    assert result["has_translations"] is True
    assert result["has_branding"] is True
    assert Path(result["module_file"]) == unpacked / "__init__.py"
    assert result["setup_state"] == "loaded"
    assert result["unload_state"] == "not_loaded"
    assert result["entities"] > 0
    assert result["entities_with_value"] > 0
