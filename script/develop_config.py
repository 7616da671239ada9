"""The config directory of `script/develop`: what it writes before Home Assistant starts.

`configuration.yaml` (a lean set of integrations that needs no internet, with the includes of
the automations, scripts and scenes made in the UI), those three files, the link to this
repository's integration, Home Assistant's stored HTTP settings (loopback only, on the chosen
port) and onboarding's core config step marked done. `script/smoke` writes the same directory
for the Home Assistant it checks.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import re
from typing import Final

from develop_api import DOMAIN, HOST, INTEGRATION, fail, say, shown

HTTP_DEFAULTS: Final = {
    "cors_allowed_origins": ["https://cast.home-assistant.io"],
    "login_attempts_threshold": -1,
    "ip_ban_enabled": True,
    "ssl_profile": "modern",
    "use_x_frame_options": True,
}
"""Home Assistant's own defaults for the HTTP settings other than address and port."""

UI_INCLUDES: Final = {
    "automation": ("automations.yaml", "[]\n"),
    "script": ("scripts.yaml", "{}\n"),
    "scene": ("scenes.yaml", "[]\n"),
}
"""Per integration, the file that holds what the UI's editor makes, and its empty content.

As in Home Assistant's own default configuration: without `automation: !include
automations.yaml` an automation saved in the UI is written to the file and never loaded.
"""

CONFIGURATION_YAML: Final = """\
# Home Assistant for developing the Antspace integration. script/develop wrote this file on
# first start; later starts only add what a newer script/develop needs and it lacks (the
# includes of the UI's automations, scripts and scenes). Edit it as you like, or delete the
# whole config directory to start afresh.
#
# A lean set of integrations that work without the internet: no default_config, which
# would start discovery, cloud, mobile app and more.
#
# No http: section. Home Assistant keeps its HTTP settings in .storage/http (a YAML one is
# taken over once, as a trial that reverts after five minutes unless confirmed in the UI);
# script/develop writes them there before each start: 127.0.0.1 only, on --ha-port.

homeassistant:
  name: Antspace development
  unit_system: metric
  country: US
  currency: USD
  time_zone: UTC

frontend:
config:
history:
logbook:
energy:
system_health:

# What the UI's editors make: automations, scripts and scenes.
automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml

logger:
  default: warning
  logs:
    custom_components.antspace: debug
    # Home Assistant always sets up its camera and ffmpeg integrations, which complain
    # when the machine lacks libturbojpeg and ffmpeg; this instance needs neither.
    homeassistant.components.camera.img_util: critical
    haffmpeg: critical
"""


def link_integration(config: Path) -> None:
    """Link `custom_components/antspace` of the config directory to this repository's."""
    link = config / "custom_components" / DOMAIN
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink():
        if link.resolve() == INTEGRATION:
            return
        link.unlink()
    elif link.exists():
        fail(
            f"{link} exists and is not a link to this repository's integration; "
            "move it away, then run script/develop again"
        )
    link.symlink_to(INTEGRATION, target_is_directory=True)
    say("config", f"linked {shown(link)} to {shown(INTEGRATION)}")


def write_http_settings(config: Path, port: int) -> None:
    """Make Home Assistant listen on the loopback address only, on this port.

    Written into Home Assistant's own store of its HTTP settings, as confirming them in its
    UI would leave it: the confirmed ("stable") settings, nothing on trial.
    """
    path = config / ".storage" / "http"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        settings = dict(stored["data"]["stable"])
    except FileNotFoundError:
        settings = dict(HTTP_DEFAULTS)
    except (OSError, ValueError, KeyError, TypeError) as err:
        fail(f"cannot read {path} (delete it to start with default HTTP settings): {err}")
    settings |= {
        "server_host": [HOST],
        "server_port": port,
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    data = {"stable": settings, "pending": None, "yaml_migration_done": True}
    store = {"version": 2, "minor_version": 2, "key": "http", "data": data}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


def skip_onboarding_integrations(config: Path) -> None:
    """Mark onboarding's core config step done before Home Assistant first starts.

    Finishing that step (in the UI or over the API) makes Home Assistant add weather, radio,
    text-to-speech and shopping list integrations. This lean configuration installs none of
    their packages, so each would fail with a traceback. What the step asks (location, units,
    time zone) is in configuration.yaml. The user, analytics and integration steps stay.
    """
    path = config / ".storage" / "onboarding"
    if path.exists():
        return
    store = {
        "version": 4,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": ["core_config"]},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


def configured_integrations(yaml_text: str) -> set[str]:
    """The integrations configuration.yaml configures: its keys at the start of a line.

    Home Assistant reads `automation old:` as more configuration of `automation`, so the
    word before a space is the integration.
    """
    keys = re.findall(r"^([a-z0-9_]+)(?:\s[^:#\n]*)?:", yaml_text, flags=re.MULTILINE)
    return set(keys)


def add_ui_includes(config: Path) -> None:
    """Make what the UI's editors save load: include the files, and create missing ones.

    Idempotent: configuration.yaml gets `automation: !include automations.yaml` (and the
    same for scripts and scenes) only where it configures no such integration yet, and a file
    is created, empty, only where it is missing.
    """
    yaml = config / "configuration.yaml"
    text = yaml.read_text(encoding="utf-8")
    missing = [key for key in UI_INCLUDES if key not in configured_integrations(text)]
    if missing:
        lines = [f"{key}: !include {UI_INCLUDES[key][0]}" for key in missing]
        block = "\n# What the UI's editors make (added by script/develop).\n" + "\n".join(lines)
        yaml.write_text(text.rstrip("\n") + "\n" + block + "\n", encoding="utf-8")
        say("config", f"added {', '.join(lines)} to {shown(yaml)}")
    for name, empty in UI_INCLUDES.values():
        path = config / name
        if not path.exists():
            path.write_text(empty, encoding="utf-8")


def write_config(config: Path) -> None:
    """Create the config directory on first use; bring an existing one up to date."""
    yaml = config / "configuration.yaml"
    if yaml.exists():
        say("config", f"reusing {shown(config)}/")
    else:
        config.mkdir(parents=True, exist_ok=True)
        yaml.write_text(CONFIGURATION_YAML, encoding="utf-8")
        say("config", f"created {shown(yaml)}")
        skip_onboarding_integrations(config)
    add_ui_includes(config)
    link_integration(config)
