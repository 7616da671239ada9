"""The repository's own files: versions and changelog, hacs.json, workflows, quality scale,
and the contributor files (dev container, pre-commit hooks, issue templates).
"""

from __future__ import annotations

from datetime import date
import json
from pathlib import Path
import re
import shlex
import subprocess
import tomllib
from typing import Any

from homeassistant import exceptions as ha_exceptions
import jsonschema
import pytest
import yaml

from custom_components.antspace.pyantspace import ALERTS

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
MANIFEST = json.loads((ROOT / "custom_components/antspace/manifest.json").read_text("utf-8"))
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
SECTION = re.compile(r"^## \[(?P<name>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$", re.MULTILINE)
KINDS_OF_CHANGE = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(workflow: dict[Any, Any]) -> Any:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def _uses(workflow: dict[str, Any]) -> list[str]:
    return [
        step["uses"]
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]


# --- one version -----------------------------------------------------------------------------


def test_one_version_in_manifest_pyproject_and_changelog() -> None:
    version = MANIFEST["version"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == version
    released = [m["name"] for m in SECTION.finditer(CHANGELOG) if m["name"] != "Unreleased"]
    assert released, "CHANGELOG.md has no released version"
    assert released[0] == version, f"newest released section {released[0]}, manifest {version}"


def test_changelog_keeps_a_changelog() -> None:
    sections = list(SECTION.finditer(CHANGELOG))
    assert sections[0]["name"] == "Unreleased"
    assert sections[0]["date"] is None
    released = sections[1:]
    dates = [date.fromisoformat(m["date"]) for m in released]
    assert all(m["date"] for m in released), "a released section without a date"
    assert dates == sorted(dates, reverse=True), "released sections are not newest first"
    versions = [tuple(int(part) for part in m["name"].split(".")) for m in released]
    assert versions == sorted(versions, reverse=True)
    for heading in re.findall(r"^### (.+)$", CHANGELOG, flags=re.MULTILINE):
        assert heading in KINDS_OF_CHANGE, f"### {heading} is not a kind of change"
    # Every section heading has its link at the bottom.
    for section in sections:
        assert re.search(rf"^\[{re.escape(section['name'])}\]: https://", CHANGELOG, re.MULTILINE)


# --- hacs.json -------------------------------------------------------------------------------


SCHEMA = json.loads((ROOT / ".github/schemas/hacs.schema.json").read_text(encoding="utf-8"))
HACS = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))


def test_hacs_json_matches_the_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(HACS)
    assert HACS["zip_release"] is True
    assert HACS["filename"] == f"{MANIFEST['domain']}.zip"


@pytest.mark.parametrize(
    "change",
    [
        {"zip_release": "yes"},
        {"filename": None},
        {"homeassistant": "latest"},
        {"country": "Germany"},
        {"domains": ["sensor"]},  # no longer read by HACS, which refuses unknown keys
        {"filename": "antspace.tar.gz"},
    ],
)
def test_the_schema_refuses_what_hacs_refuses(change: dict[str, Any]) -> None:
    changed = {key: value for key, value in {**HACS, **change}.items() if value is not None}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(changed)


def test_the_schema_needs_a_name() -> None:
    with pytest.raises(jsonschema.ValidationError, match="'name' is a required property"):
        jsonschema.Draft202012Validator(SCHEMA).validate({"render_readme": True})


# --- workflows -------------------------------------------------------------------------------


def test_validate_runs_hassfest_and_hacs_on_push_pull_request_and_daily() -> None:
    workflow = _yaml(WORKFLOWS / "validate.yml")
    triggers = _triggers(workflow)
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert len(triggers["schedule"][0]["cron"].split()) == 5
    uses = _uses(workflow)
    assert "home-assistant/actions/hassfest@master" in uses
    assert "hacs/action@main" in uses
    hacs = next(
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses") == "hacs/action@main"
    )
    assert hacs["with"]["category"] == "integration"


def test_test_workflow_runs_the_test_command() -> None:
    workflow = _yaml(WORKFLOWS / "test.yml")
    assert {"push", "pull_request"} <= set(_triggers(workflow))
    runs = [step["run"] for step in workflow["jobs"]["test"]["steps"] if "run" in step]
    assert runs == ["script/test"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| test it | `script/test` |" in readme
    assert "exec script/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_workflow_is_linted_by_the_test_command() -> None:
    script = (ROOT / "script" / "test").read_text(encoding="utf-8")
    assert '"$BIN/actionlint"' in script
    # actionlint, run without arguments, checks every file under .github/workflows.
    assert {"release.yml", "test.yml", "validate.yml"} <= {p.name for p in WORKFLOWS.iterdir()}


# --- quality scale ---------------------------------------------------------------------------


def _home_assistant_rules() -> set[str]:
    """The rules every quality_scale.yaml of Home Assistant's own integrations lists."""
    components = Path(ha_exceptions.__file__).parent / "components"
    rule_sets = [
        frozenset(_yaml(path)["rules"]) for path in components.glob("*/quality_scale.yaml")
    ]
    assert len(rule_sets) > 100
    return set.intersection(*(set(rules) for rules in rule_sets))


def test_quality_scale_lists_every_rule_of_this_home_assistant() -> None:
    rules = _yaml(ROOT / "custom_components/antspace/quality_scale.yaml")["rules"]
    expected = _home_assistant_rules()
    assert {"docs-conditions", "docs-triggers"} <= expected
    assert set(rules) == expected
    for name, rule in rules.items():
        if isinstance(rule, dict):
            assert rule["status"] in {"done", "exempt", "todo"}, name
            if rule["status"] == "exempt":
                assert rule.get("comment"), f"{name} is exempt without a reason"
        else:
            assert rule == "done", name


# --- contributor files -----------------------------------------------------------------------


def test_dev_container_runs_bootstrap_with_python_314_and_forwards_home_assistant() -> None:
    container = json.loads((ROOT / ".devcontainer.json").read_text(encoding="utf-8"))
    assert container["image"].endswith("python:3.14")
    assert container["postCreateCommand"] == "script/bootstrap"
    assert 8123 in container["forwardPorts"]
    assert (ROOT / "script" / "bootstrap").stat().st_mode & 0o111


def test_pre_commit_hooks_run_the_tools_of_the_project_environment() -> None:
    config = _yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "mypy"}
    commands = {name: shlex.split(hook["entry"]) for name, hook in hooks.items()}
    assert commands["ruff"][:2] == [".venv/bin/ruff", "check"]
    assert commands["ruff-format"][:2] == [".venv/bin/ruff", "format"]
    assert commands["mypy"] == [".venv/bin/mypy"]
    assert hooks["mypy"]["pass_filenames"] is False
    for name, hook in hooks.items():
        assert hook["language"] == "system", name
        assert (ROOT / commands[name][0]).is_file(), f"{commands[name][0]} is not in .venv"


def test_bug_report_asks_for_diagnostics_versions_and_kind() -> None:
    template = _yaml(ROOT / ".github/ISSUE_TEMPLATE/bug_report.yml")
    fields = {item["id"]: item for item in template["body"] if "id" in item}
    for required in ("diagnostics", "ha-version", "integration-version", "kind"):
        assert fields[required]["validations"]["required"] is True, required
    assert set(fields["kind"]["attributes"]["options"]) >= {"HK3", "Immersion"}
    assert "Download diagnostics" in fields["diagnostics"]["attributes"]["description"]


def test_feature_request_and_the_chooser() -> None:
    feature = _yaml(ROOT / ".github/ISSUE_TEMPLATE/feature_request.yml")
    assert feature["name"]
    assert any(item.get("validations", {}).get("required") for item in feature["body"])
    chooser = _yaml(ROOT / ".github/ISSUE_TEMPLATE/config.yml")
    assert chooser["blank_issues_enabled"] is False
    assert any("security/advisories" in link["url"] for link in chooser["contact_links"])


def test_every_alert_has_its_line_in_the_readme() -> None:
    """The README's alert table has one row per row of the alert table, with its severity."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        match[0]: match[1]
        for match in re.findall(
            r"^\| `([a-z0-9_]+)` \([^)]*\) \|[^|]*\|[^|]*\| (\w+) \|", readme, re.MULTILINE
        )
    }
    assert rows == {spec.key: str(spec.severity) for spec in ALERTS}


CODE_SUFFIXES = frozenset({".py", ".js", ".mjs", ".sh", ""})
MAX_LINES = 600


def test_no_file_of_code_is_over_600_lines() -> None:
    """Code outside the tests, data and the vendored Lit stays short enough to read: a longer
    file is split where its parts are natural."""
    out = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607 - git from PATH, as in CI
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    long = {}
    for name in filter(None, out.split("\0")):
        path = ROOT / name
        if (
            name.startswith(("tests/", "lib/pyantspace/tests/"))
            or "/vendor/" in name
            or path.suffix not in CODE_SUFFIXES
            or path.is_symlink()
            or not path.is_file()
        ):
            continue
        lines = path.read_bytes().count(b"\n")
        if lines > MAX_LINES:
            long[name] = lines
    assert long == {}
