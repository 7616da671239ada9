"""The integration's files agree with each other and with its code.

Manifest, hacs.json and pyproject; services.yaml, the registered actions and their
translations; every translation key the code uses exists, and every translation is used;
icons name only what exists. Most checks read files and the code's tables; the config flow
and the actions are asked at run time, with a Home Assistant instance and no device.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
import importlib
import json
from pathlib import Path
import re
import string
import tomllib
from typing import Any

from homeassistant import config_entries, exceptions as ha_exceptions
from homeassistant.const import CONF_HOST, CONF_PORT, __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util.yaml import load_yaml_dict
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.antspace.condition import CONDITIONS
from custom_components.antspace.const import CONF_KIND, DOMAIN
from custom_components.antspace.maintenance_actions import async_setup_maintenance_actions
from custom_components.antspace.pyantspace import (
    SETPOINT_MAX,
    SETPOINT_MIN,
    SETPOINT_STEP,
    Found,
    Kind,
)
from custom_components.antspace.pyantspace.alerts import ALERTS
from custom_components.antspace.repairs import Fix, fix_of
from custom_components.antspace.services import async_setup_services
from custom_components.antspace.trigger import TRIGGERS

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN
PLATFORMS = ("sensor", "binary_sensor", "switch", "number", "button", "event")
TARGET_FIELDS = {"entity_id", "device_id", "area_id", "floor_id", "label_id"}
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


MANIFEST = _json(INTEGRATION / "manifest.json")
STRINGS = _json(INTEGRATION / "translations" / "en.json")
ICONS = _json(INTEGRATION / "icons.json")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    """The {placeholders} of a translated string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --- manifest, hacs.json, pyproject ------------------------------------------------------------


def test_manifest_has_what_home_assistant_and_hacs_need() -> None:
    required = {
        "domain",
        "name",
        "version",
        "documentation",
        "issue_tracker",
        "codeowners",
        "config_flow",
        "integration_type",
        "iot_class",
        "requirements",
    }
    assert required <= set(MANIFEST), f"manifest.json lacks {sorted(required - set(MANIFEST))}"
    assert MANIFEST["domain"] == DOMAIN
    assert MANIFEST["config_flow"] is True
    assert MANIFEST["codeowners"]
    assert all(owner.startswith("@") for owner in MANIFEST["codeowners"])
    assert MANIFEST["documentation"].startswith("https://")
    assert MANIFEST["issue_tracker"].startswith("https://")


def test_manifest_version_is_semver_and_the_project_version() -> None:
    version = MANIFEST["version"]
    assert SEMVER.match(version), f"manifest version {version!r} is not semver"
    assert version == PYPROJECT["project"]["version"]


def _locked_version(package: str) -> Version:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    for entry in lock["package"]:
        if entry["name"] == package:
            return Version(entry["version"])
    raise AssertionError(f"{package} is not in uv.lock")


def test_hacs_json_names_a_home_assistant_the_tests_run_on() -> None:
    hacs = _json(ROOT / "hacs.json")
    assert hacs["name"] == MANIFEST["name"]
    assert hacs["render_readme"] is True
    minimum = Version(hacs["homeassistant"])
    assert minimum <= _locked_version("homeassistant")
    assert minimum <= Version(ha_version)
    # The version pytest-homeassistant-custom-component pins is the one the tests run on.
    assert _locked_version("homeassistant") == Version(ha_version)


def _home_assistant_pins() -> dict[str, str]:
    """Package name to version, as Home Assistant's integrations pin them."""
    components = Path(ha_exceptions.__file__).parent / "components"
    pins: dict[str, str] = {}
    for manifest in components.glob("*/manifest.json"):
        for text in _json(manifest).get("requirements", []):
            requirement = Requirement(text)
            if (spec := next(iter(requirement.specifier), None)) is not None:
                pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def test_develop_group_pins_what_home_assistant_pins() -> None:
    """script/develop runs Home Assistant with --skip-pip: its packages must be the right ones."""
    pins = _home_assistant_pins()
    for text in PYPROJECT["dependency-groups"]["develop"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"no Home Assistant integration requires {requirement.name}"
        assert str(requirement.specifier) == f"=={pins[name]}", (
            f"{text}: Home Assistant {ha_version} pins {requirement.name}=={pins[name]}"
        )


# --- actions -----------------------------------------------------------------------------------


SERVICES_YAML = load_yaml_dict(str(INTEGRATION / "services.yaml"))


async def test_services_yaml_describes_the_registered_actions(hass: HomeAssistant) -> None:
    async_setup_services(hass)
    async_setup_maintenance_actions(hass)
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert set(SERVICES_YAML) == set(registered)
    for name, service in registered.items():
        assert service.schema is not None
        fields = {str(key) for key in service.schema.schema} - TARGET_FIELDS
        described = set((SERVICES_YAML[name] or {}).get("fields", {}))
        assert described == fields, f"{name}: services.yaml fields {described}, schema {fields}"


def test_every_action_and_field_is_translated_and_nothing_more() -> None:
    translated = STRINGS["services"]
    assert set(translated) == set(SERVICES_YAML)
    for name, service in SERVICES_YAML.items():
        text = translated[name]
        assert text.get("name"), f"services.{name} has no name"
        assert text.get("description"), f"services.{name} has no description"
        fields = set((service or {}).get("fields", {}))
        assert set(text.get("fields", {})) == fields, f"services.{name}.fields"
        for field in fields:
            assert text["fields"][field].get("name"), f"services.{name}.fields.{field}: name"
            assert text["fields"][field].get("description"), (
                f"services.{name}.fields.{field}: description"
            )


def test_action_icons_name_existing_actions() -> None:
    assert set(ICONS.get("services", {})) <= set(SERVICES_YAML)


# --- entities ----------------------------------------------------------------------------------


def _is_description(value: object) -> bool:
    # Home Assistant's frozen descriptions are made from a copy of EntityDescription, so
    # isinstance() does not see them all: look for the class by name.
    return any(cls.__name__ == EntityDescription.__name__ for cls in type(value).__mro__)


def _descriptions(platform: str) -> Iterator[Any]:
    """Every entity description a platform module defines, alone or in a tuple."""
    module = importlib.import_module(f"custom_components.{DOMAIN}.{platform}")
    for value in vars(module).values():
        if _is_description(value):
            yield value
        elif isinstance(value, (tuple, list)):
            yield from (item for item in value if _is_description(item))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_entity_translation_keys_exist_and_are_used(platform: str) -> None:
    descriptions = list(_descriptions(platform))
    assert descriptions, f"{platform}.py defines no entity descriptions"
    used = {d.translation_key for d in descriptions}
    assert None not in used, f"an entity of {platform}.py has no translation_key"
    translated = set(STRINGS["entity"].get(platform, {}))
    assert used - translated == set(), f"untranslated {platform} entities"
    assert translated - used == set(), f"translations of no {platform} entity"
    for key in used:
        assert STRINGS["entity"][platform][key].get("name"), f"entity.{platform}.{key}: name"


def test_entity_translations_have_no_other_platforms() -> None:
    assert set(STRINGS["entity"]) <= set(PLATFORMS)


def test_enum_sensor_states_are_translated() -> None:
    for description in _descriptions("sensor"):
        options = getattr(description, "options", None)
        states = STRINGS["entity"]["sensor"][description.translation_key].get("state", {})
        if options:
            assert set(states) == set(options), f"states of {description.key}"
        else:
            assert not states, f"{description.key} is no enum but has translated states"


def test_event_types_are_translated() -> None:
    for description in _descriptions("event"):
        text = STRINGS["entity"]["event"][description.translation_key]
        states = text["state_attributes"]["event_type"]["state"]
        assert set(states) == set(description.event_types or ())


def test_entity_icons_name_existing_entities_and_states() -> None:
    for platform, keys in ICONS.get("entity", {}).items():
        for key, icons in keys.items():
            assert key in STRINGS["entity"].get(platform, {}), f"icon of no entity {platform}.{key}"
            states = set(icons.get("state", {}))
            if platform == "sensor":
                options = {
                    option
                    for d in _descriptions("sensor")
                    if d.translation_key == key
                    for option in (getattr(d, "options", None) or ())
                }
                assert states <= options, f"icons of no state of sensor {key}"
            elif platform in {"binary_sensor", "switch"}:
                assert states <= {"on", "off"}, f"icons of {platform}.{key}"
            for attribute, attribute_icons in icons.get("state_attributes", {}).items():
                translated = STRINGS["entity"][platform][key].get("state_attributes", {})
                assert attribute in translated, f"icon of no attribute {platform}.{key}.{attribute}"
                assert set(attribute_icons.get("state", {})) <= set(
                    translated[attribute].get("state", {})
                ), f"icons of {platform}.{key}.{attribute}"


# --- exceptions and repair issues ---------------------------------------------------------------


EXCEPTION_TYPES = {
    name
    for name, value in vars(ha_exceptions).items()
    if isinstance(value, type) and issubclass(value, ha_exceptions.HomeAssistantError)
} | {UpdateFailed.__name__, "send_error"}
"""What carries a translated error: Home Assistant's exceptions, and a websocket command's
error (`connection.send_error`), which the frontend translates from the same strings."""


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _strings_of(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _resolve(value: ast.expr, function: ast.AST | None) -> set[str] | None:
    """The strings a translation_key expression can be: a literal, or a local variable."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.Name) and function is not None:
        found: set[str] = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == value.id for t in node.targets
            ):
                found |= _strings_of(node.value)
        return found or None
    return None


def _translated_calls() -> Iterator[tuple[str, ast.Call, set[str] | None]]:
    """(where, call, its possible keys) for every call that passes a translation_key."""
    for path in sorted(INTEGRATION.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            keyword = next((k for k in node.keywords if k.arg == "translation_key"), None)
            if keyword is None:
                continue
            enclosing = None
            for function in functions:
                if function.lineno <= node.lineno <= (function.end_lineno or function.lineno):
                    enclosing = function  # the innermost one comes last in walk order
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            yield where, node, _resolve(keyword.value, enclosing)


def _exception_calls() -> list[tuple[str, ast.Call, set[str]]]:
    calls = []
    for where, call, keys in _translated_calls():
        if _call_name(call) in EXCEPTION_TYPES:
            assert keys is not None, f"{where}: cannot tell which translation key this raises"
            calls.append((where, call, keys))
    return calls


def test_exception_translation_keys_exist_and_are_used() -> None:
    calls = _exception_calls()
    assert calls, "no translated exception found: is the scan broken?"
    used = set().union(*(keys for _, _, keys in calls))
    translated = set(STRINGS["exceptions"])
    assert used - translated == set(), "exceptions without a translation"
    assert translated - used == set(), "translated exceptions nothing raises"
    for key in translated:
        assert STRINGS["exceptions"][key].get("message"), f"exceptions.{key}: message"


def test_exception_placeholders_match_the_messages() -> None:
    for where, call, keys in _exception_calls():
        given = next((k.value for k in call.keywords if k.arg == "translation_placeholders"), None)
        if given is not None and not isinstance(given, ast.Dict):
            continue  # built elsewhere; cannot be read here
        names = (
            set() if given is None else {k.value for k in given.keys if isinstance(k, ast.Constant)}
        )
        for key in keys:
            wanted = placeholders(STRINGS["exceptions"][key]["message"])
            assert wanted == names, f"{where}: {key} needs {wanted}, gets {names}"


FIX_FLOW_KEYS = {
    Fix.RESET: {
        "step.confirm.title",
        "step.confirm.description",
        "step.confirm.submit",
        "error.cannot_connect",
        "abort.still_active",
        "abort.not_loaded",
        "create_entry.default",
    },
    Fix.RECONFIGURE: {
        "step.confirm.title",
        "step.confirm.description",
        "step.confirm.submit",
        "abort.reconfigure",
        "abort.not_loaded",
    },
}
FIX_FLOW_KEYS[Fix.START_COOLING] = FIX_FLOW_KEYS[Fix.RESET]


def _dotted(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= _dotted(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_every_alert_has_a_repair_issue() -> None:
    """Each alert's issue names the alert itself (no name filled in by the server) and its
    container, says what to check, when it goes and links to the device; a fixable one says
    it in its fix flow's first step, with the strings the flow uses.
    """
    issues = STRINGS["issues"]
    assert {key for key in issues if key.startswith("alert_")} == {
        f"alert_{alert.key}" for alert in ALERTS
    }
    for alert in ALERTS:
        key = f"alert_{alert.key}"
        text = issues[key]
        name = STRINGS["entity"]["binary_sensor"][key]["name"]
        assert text["title"] == f"{{container}}: {name}", f"issues.{key}: title"
        fix = fix_of(alert)
        if fix is None:
            assert set(text) == {"title", "description"}, f"issues.{key}"
            description = text["description"]
            strings = {"description": description}
        else:
            assert set(text) == {"title", "fix_flow"}, f"issues.{key}"
            strings = _dotted(text["fix_flow"])
            assert set(strings) == FIX_FLOW_KEYS[fix], f"issues.{key}.fix_flow"
            description = strings["step.confirm.description"]
            assert strings["step.confirm.title"] == text["title"], f"issues.{key}: the flow's title"
        paragraphs = description.split("\n\n")
        # What to check, when it goes, the device's link (a notification shows these three);
        # then what the fix does.
        assert len(paragraphs) == 3 + (fix is not None), f"issues.{key}: paragraphs"
        assert paragraphs[2] == "Device: {device}", f"issues.{key}: the device's link"
        assert "severity" not in description, f"issues.{key}: the chip tells the severity"
        assert "{alert}" not in text["title"] + description
        for where, value in {"title": text["title"], **strings}.items():
            used = placeholders(value)
            allowed = {"container", "device", "flags", "miners"} | (
                {"error"} if "error" in where else set()
            )
            assert used <= allowed, f"issues.{key}.{where} uses {used}"


OTHER_ISSUES = frozenset({"fans_now_binary_sensors"})
"""The repair issues that are not an alert's, each created under its literal key."""


def test_only_alert_issues_are_created() -> None:
    """Every repair issue the code creates is an alert's (its translation key says so), or one
    of the few others, each with its text."""
    for where, call, _ in _translated_calls():
        if _call_name(call) != "async_create_issue":
            continue
        keyword = next(k for k in call.keywords if k.arg == "translation_key")
        if isinstance(keyword.value, ast.Constant):
            assert keyword.value.value in OTHER_ISSUES, where
            assert keyword.value.value in STRINGS["issues"], where
            continue
        assert isinstance(keyword.value, ast.JoinedStr), f"{where}: expected f'alert_{{...}}'"
        head = keyword.value.values[0]
        assert isinstance(head, ast.Constant), where
        assert head.value == "alert_", where


# --- config and options flows ------------------------------------------------------------------


def _flow_literals() -> tuple[set[str], set[str]]:
    """(error keys, abort reasons) that config_flow.py and site_flow.py name.

    The errors of a range or ports a scan refuses are the reasons of pyantspace/scan.py's
    ScanInputError, which the flow shows as they are.
    """
    tree = ast.Module(
        body=[
            node
            for name in ("config_flow.py", "site_flow.py")
            for node in ast.parse((INTEGRATION / name).read_text(encoding="utf-8")).body
        ],
        type_ignores=[],
    )
    scan = ast.parse((INTEGRATION / "pyantspace" / "scan.py").read_text(encoding="utf-8"))
    errors: set[str] = {
        reason
        for node in ast.walk(scan)
        if isinstance(node, ast.Call) and _call_name(node) == "ScanInputError"
        for reason in _strings_of(node.args[0])
    }
    reasons: set[str] = set()
    implied = {
        "_abort_if_unique_id_configured": "already_configured",
        "async_update_reload_and_abort": "reconfigure_successful",
        "_abort_if_unique_id_mismatch": "unique_id_mismatch",
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                is_field = (isinstance(key, ast.Constant) and key.value == "base") or (
                    isinstance(key, ast.Name) and key.id.startswith("CONF_")
                )
                if is_field and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    errors.add(value.value)
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name in implied:
                reason = next((k.value for k in node.keywords if k.arg == "reason"), None)
                reasons |= _strings_of(reason) if reason is not None else {implied[name]}
            elif name == "AbortFlow":
                reasons |= _strings_of(node.args[0])
            elif name == "async_abort":
                reasons |= _strings_of(next(k.value for k in node.keywords if k.arg == "reason"))
    return errors, reasons


def test_config_flow_errors_and_aborts_are_translated_and_used() -> None:
    errors, reasons = _flow_literals()
    assert errors == set(STRINGS["config"]["error"])
    assert reasons == set(STRINGS["config"]["abort"])
    for text in (*STRINGS["config"]["error"].values(), *STRINGS["config"]["abort"].values()):
        assert text


def _check_form(section: dict[str, Any], result: config_entries.ConfigFlowResult) -> None:
    assert result["type"] == "form"
    step = section["step"][result["step_id"]]
    schema = result["data_schema"]
    fields = {str(key) for key in schema.schema} if schema is not None else set()
    assert set(step.get("data", {})) == fields, f"step {result['step_id']}: data"
    assert set(step.get("data_description", {})) <= fields
    given = set(result.get("description_placeholders") or {})
    for text in (step.get("title", ""), step.get("description", "")):
        assert placeholders(text) <= given, f"step {result['step_id']}: placeholders"


async def test_flow_forms_match_their_translations(hass: HomeAssistant) -> None:
    menu = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert menu["type"] == "menu"
    assert list(STRINGS["config"]["step"]["user"]["menu_options"]) == menu["menu_options"]
    for choice in menu["menu_options"]:
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": config_entries.SOURCE_USER}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": choice}
        )
        _check_form(STRINGS["config"], result)
    # The steps that follow a scan, and a discovered container's.
    flow = config_entries.HANDLERS[DOMAIN]()
    flow.hass, flow.handler, flow.context = hass, DOMAIN, {"source": config_entries.SOURCE_USER}
    flow._scan_range = "192.0.2.1-192.0.2.9"
    flow._found = [Found("192.0.2.1", 80, Kind.HK3)]
    _check_form(STRINGS["config"], await flow.async_step_pick())
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": config_entries.SOURCE_INTEGRATION_DISCOVERY},
        data={CONF_HOST: "192.0.2.1", CONF_PORT: 80, CONF_KIND: "hk3"},
    )
    _check_form(STRINGS["config"], result)
    title = STRINGS["config"]["flow_title"]
    assert placeholders(title) == set(result["description_placeholders"])

    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Antspace HK3 (192.0.2.1)",
        unique_id="192.0.2.1:8000",
        data={CONF_HOST: "192.0.2.1", CONF_PORT: 8000, CONF_KIND: "hk3"},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    _check_form(STRINGS["config"], result)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    _check_form(STRINGS["options"], result)
    assert set(STRINGS["config"]["step"]) == {
        "user",
        "manual",
        "scan",
        "pick",
        "discovery_confirm",
        "reconfigure",
    }
    progress = STRINGS["config"]["progress"]["scanning"]
    assert placeholders(progress) == {"addresses", "ports"}
    assert set(STRINGS["options"]["step"]) == {"init"}


def test_services_yaml_takes_the_setpoint_bounds_of_the_client() -> None:
    """`services.yaml` cannot import Python: its setpoint selector must say what the client says."""
    services = load_yaml_dict(str(INTEGRATION / "services.yaml"))
    selector = services["set_supply_temperature"]["fields"]["temperature"]["selector"]["number"]
    assert (selector["min"], selector["max"], selector["step"]) == (
        SETPOINT_MIN,
        SETPOINT_MAX,
        SETPOINT_STEP,
    )


# --- triggers and conditions -------------------------------------------------------------------


def test_triggers_and_conditions_are_described_translated_and_iconed() -> None:
    for kind, registered in (("triggers", TRIGGERS), ("conditions", CONDITIONS)):
        described = load_yaml_dict(str(INTEGRATION / f"{kind}.yaml"))
        described = {key: value for key, value in described.items() if not key.startswith(".")}
        assert set(described) == set(registered), kind
        assert set(STRINGS[kind]) == set(registered), f"{kind} translated"
        assert set(ICONS[kind]) == set(registered), f"{kind} icons"
        for key, description in described.items():
            text = STRINGS[kind][key]
            assert text["name"], f"{kind}.{key}"
            assert text["description"], f"{kind}.{key}"
            assert set(text["fields"]) == set(description["fields"]), f"{kind}.{key}.fields"


def test_trigger_alert_options_are_the_alert_table() -> None:
    """triggers.yaml cannot import Python: its list of alerts must be the table's, translated
    with each alert's name."""
    triggers = load_yaml_dict(str(INTEGRATION / "triggers.yaml"))
    options = triggers["alert_raised"]["fields"]["alerts"]["selector"]["select"]["options"]
    assert options == [alert.key for alert in ALERTS]
    names = STRINGS["selector"]["alert"]["options"]
    assert names == {
        alert.key: STRINGS["entity"]["binary_sensor"][f"alert_{alert.key}"]["name"]
        for alert in ALERTS
    }
    severities = STRINGS["selector"]["severity"]["options"]
    states = STRINGS["entity"]["sensor"]["highest_severity"]["state"]
    assert severities == {key: states[key] for key in ("critical", "high", "medium")}
