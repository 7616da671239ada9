"""Persistent notifications of alerts: one per fault, one for a fault of many containers.

Each alert of a notifying severity (critical and high by default, the container's *Notify*
option) posts a persistent notification, Home Assistant's bell, when its repair issue is
raised, and the notification goes when the alert ends. Its words are the repair issue's, in
the server's language (a notification has but one): the title, what to check, when it goes
away, and the link to the container's device page.

A network switch or a power feed that fails takes many containers at once. The same alert
raised on several containers within `GROUP_WINDOW` of the first shares one notification,
which lists them ("Container unreachable on 3 containers") and follows them as they clear;
their repair issues stay one per container. A notification the user dismissed stays
dismissed until another container joins it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.singleton import singleton
from homeassistant.helpers.translation import async_get_cached_translations
from homeassistant.util import dt as dt_util, ulid as ulid_util
from homeassistant.util.hass_dict import HassKey

from .const import CONF_NOTIFY, DEFAULT_NOTIFY, DOMAIN, NOTIFY_OFF
from .coordinator import AntspaceConfigEntry, alert_issue_id
from .pyantspace import Alert, Severity

GROUP_WINDOW: Final = timedelta(minutes=1)
"""The same alert raised on several containers within this time of the first: one notice."""

NOTICE_PARAGRAPHS: Final = 3
"""A notification shows the first paragraphs of its issue's text: what to check, when it
goes away, and the device's link. A fix flow's invitation comes after them."""

_NOTIFIER: HassKey[AlertNotifier] = HassKey(f"{DOMAIN}_notifier")


def notifies(entry: AntspaceConfigEntry, severity: Severity) -> bool:
    """Whether an alert of this severity notifies, by the container's options."""
    least = str(entry.options.get(CONF_NOTIFY, DEFAULT_NOTIFY))
    return least != NOTIFY_OFF and severity >= Severity[least.upper()]


def issue_text(hass: HomeAssistant, issue: ir.IssueEntry) -> tuple[str, list[str]]:
    """A repair issue's title and the paragraphs of its text, as a notification tells them.

    In the server's language, and for every user: its miners by position, without their
    addresses, which only administrators see (in the repair issue and the miners view). A
    fixable issue's text is its fix flow's first step.
    """
    strings = async_get_cached_translations(hass, hass.config.language, "issues", DOMAIN)
    base = f"component.{DOMAIN}.issues.{issue.translation_key}"
    placeholders = defaultdict(str, issue.translation_placeholders or {})
    placeholders["miners"] = placeholders["miner_positions"]
    title = strings.get(f"{base}.title", issue.issue_id).format_map(placeholders)
    text = strings.get(f"{base}.description") or strings.get(
        f"{base}.fix_flow.step.confirm.description", ""
    )
    return title, text.format_map(placeholders).split("\n\n")


@dataclass(slots=True)
class _Member:
    """A container in a notice: its title, its device's link and its repair issue's text."""

    title: str
    device: str
    """A Markdown link to its device page."""
    issue_title: str
    paragraphs: list[str]


@dataclass(slots=True)
class _Notice:
    """One persistent notification: one alert, one or more containers."""

    alert: str
    name: str
    """The alert's name, in the server's language."""
    opened: datetime
    notification_id: str = field(default_factory=lambda: f"{DOMAIN}_{ulid_util.ulid_now()}")
    members: dict[str, _Member] = field(default_factory=dict)
    """By config entry id; the notice lists them by title."""
    dismissed: bool = False
    """The user dismissed it."""


class AlertNotifier:
    """The persistent notifications of every container's alerts."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Watch for notifications the user dismisses."""
        self._hass = hass
        self._notices: list[_Notice] = []
        persistent_notification.async_register_callback(hass, self._on_notifications)

    @callback
    def async_raised(self, entry: AntspaceConfigEntry, alert: Alert, name: str) -> None:
        """An alert's repair issue was raised: post its notice, or join the one of others.

        `name` is the alert's name in the server's language.
        """
        issue = ir.async_get(self._hass).async_get_issue(
            DOMAIN, alert_issue_id(entry.entry_id, alert.key)
        )
        if issue is None or not notifies(entry, alert.severity):
            return
        title, paragraphs = issue_text(self._hass, issue)
        member = _Member(
            title=entry.title,
            device=(issue.translation_placeholders or {}).get("device", entry.title),
            issue_title=title,
            paragraphs=paragraphs,
        )
        now = dt_util.utcnow()
        notice = next(
            (
                notice
                for notice in self._notices
                if notice.alert == alert.key and now - notice.opened <= GROUP_WINDOW
            ),
            None,
        )
        if notice is None:
            notice = _Notice(alert=alert.key, name=name, opened=now)
            self._notices.append(notice)
        notice.members[entry.entry_id] = member
        notice.dismissed = False
        self._show(notice)

    @callback
    def async_cleared(self, entry_id: str, alert: str) -> None:
        """An alert of a container ended: take it out of its notice."""
        for notice in list(self._notices):
            if notice.alert == alert and notice.members.pop(entry_id, None) is not None:
                self._update(notice)

    @callback
    def async_forget(self, entry_id: str) -> None:
        """A container was unloaded: take it out of every notice."""
        for notice in list(self._notices):
            if notice.members.pop(entry_id, None) is not None:
                self._update(notice)

    def _update(self, notice: _Notice) -> None:
        if not notice.members:
            self._notices.remove(notice)
            persistent_notification.async_dismiss(self._hass, notice.notification_id)
        elif not notice.dismissed:
            self._show(notice)

    def _show(self, notice: _Notice) -> None:
        members = list(notice.members.values())
        if len(members) == 1:
            member = members[0]
            title = member.issue_title
            message = "\n\n".join(member.paragraphs[:NOTICE_PARAGRAPHS])
        else:
            strings = async_get_cached_translations(
                self._hass, self._hass.config.language, "common", DOMAIN
            )
            prefix = f"component.{DOMAIN}.common"
            title = strings.get(f"{prefix}.notice_many_title", "{alert}: {count}").format(
                alert=notice.name, count=len(members)
            )
            message = strings.get(f"{prefix}.notice_many_message", "{containers}").format(
                containers="\n".join(
                    f"- {member.device}" for member in sorted(members, key=lambda m: m.title)
                ),
                check=members[0].paragraphs[0],
            )
        persistent_notification.async_create(
            self._hass, message, title=title, notification_id=notice.notification_id
        )

    @callback
    def _on_notifications(
        self,
        update: persistent_notification.UpdateType,
        notifications: dict[str, persistent_notification.Notification],
    ) -> None:
        if update is not persistent_notification.UpdateType.REMOVED:
            return
        for notice in self._notices:
            if notice.notification_id in notifications:
                notice.dismissed = True


@callback
@singleton(_NOTIFIER)
def async_get_notifier(hass: HomeAssistant) -> AlertNotifier:
    """The notifier of every container's alerts."""
    return AlertNotifier(hass)
