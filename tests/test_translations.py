"""Every translation says what en.json says, in its own language.

English (translations/en.json) is the reference. Each other file under translations/ is one of
the languages below, named by Home Assistant's language code, and has exactly en.json's keys,
the same placeholders in each string, the same Markdown structure, no empty string and no
string left in English. Home Assistant itself loads each of them.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
import string
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.antspace.const import DOMAIN

TRANSLATIONS = (
    Path(__file__).resolve().parent.parent / "custom_components" / DOMAIN / "translations"
)

# The languages the integration speaks besides English, as Home Assistant's language codes.
LANGUAGES = frozenset({"zh-Hans", "ru", "es", "pt-BR", "de", "fr"})

# Languages not written in the Latin alphabet: no Latin word in them but NAMES.
NON_LATIN = frozenset({"zh-Hans", "ru"})

# Names, brands and abbreviations that stay as they are in every language. A string that is
# the same as the English one passes only if its words are all here or in LOANWORDS.
NAMES = frozenset({"Antspace", "Bitmain", "Immersion", "PID", "TCP", "API", "http"})

# Words a language writes as English does (technical loanwords), each one listed on purpose.
LOANWORDS: dict[str, frozenset[str]] = {
    "de": frozenset({"Host", "Port", "Ports", "Name", "Hashrate", "Miner"}),
    "es": frozenset({"Host", "Hashrate"}),
    "fr": frozenset({"Port", "Ports", "Hashrate"}),
    "pt-BR": frozenset({"Host", "Hashrate"}),
}

WORD = re.compile(r"[^\W\d_]{3,}")
BOLD_PLACEHOLDER = re.compile(r"\*\*\{\w+\}\*\*")


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a JSON object"
    return data


ENGLISH = _load(TRANSLATIONS / "en.json")
PRESENT = sorted(path.stem for path in TRANSLATIONS.glob("*.json") if path.stem != "en")


def leaves(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every value of a nested translation tree that is not a dict."""
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from leaves(value, f"{path}.")
        else:
            yield path, value


ENGLISH_STRINGS = dict(leaves(ENGLISH))


def placeholders(text: str) -> set[str]:
    """The {placeholders} of a string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def words(text: str) -> set[str]:
    """The words of three letters or more of a string, placeholders left out."""
    return set(WORD.findall(re.sub(r"\{\w*\}", " ", text)))


def markdown(text: str) -> tuple[int, int, set[str]]:
    """Paragraphs, bold markers and bold placeholders: what must survive translation."""
    return text.count("\n\n"), text.count("**"), set(BOLD_PLACEHOLDER.findall(text))


@pytest.fixture(params=PRESENT)
def language(request: pytest.FixtureRequest) -> str:
    """One language file's code."""
    code: str = request.param
    return code


@pytest.fixture
def strings(language: str) -> dict[str, Any]:
    """That language's strings by dotted path."""
    return dict(leaves(_load(TRANSLATIONS / f"{language}.json")))


def test_english_is_the_reference() -> None:
    assert ENGLISH_STRINGS
    for path, text in ENGLISH_STRINGS.items():
        assert isinstance(text, str), f"en.json: {path} is not a string"
        assert text.strip(), f"en.json: {path} is empty"


def test_only_the_known_languages() -> None:
    present = set(PRESENT)
    assert present == LANGUAGES, (
        f"unknown: {sorted(present - LANGUAGES)}, missing: {sorted(LANGUAGES - present)}"
    )
    assert set(LOANWORDS) <= LANGUAGES
    assert NON_LATIN <= LANGUAGES


def test_exactly_the_keys_of_english(language: str, strings: dict[str, Any]) -> None:
    missing = sorted(set(ENGLISH_STRINGS) - set(strings))
    extra = sorted(set(strings) - set(ENGLISH_STRINGS))
    assert (missing, extra) == ([], []), (
        f"{language}.json differs from en.json:\n"
        + "".join(f"  missing: {path}\n" for path in missing)
        + "".join(f"  extra:   {path}\n" for path in extra)
    )


def test_no_empty_string(language: str, strings: dict[str, Any]) -> None:
    bad = sorted(p for p, text in strings.items() if not isinstance(text, str) or not text.strip())
    assert not bad, f"{language}.json: empty or not a string: {bad}"


def test_same_placeholders(language: str, strings: dict[str, Any]) -> None:
    wrong = {
        path: (sorted(placeholders(strings[path])), sorted(placeholders(english)))
        for path, english in ENGLISH_STRINGS.items()
        if isinstance(strings.get(path), str)
        and placeholders(strings[path]) != placeholders(english)
    }
    assert not wrong, f"{language}.json: placeholders (have, want): {wrong}"


def test_same_markdown(language: str, strings: dict[str, Any]) -> None:
    wrong = sorted(
        path
        for path, english in ENGLISH_STRINGS.items()
        if isinstance(strings.get(path), str) and markdown(strings[path]) != markdown(english)
    )
    assert not wrong, (
        f"{language}.json: paragraphs (\\n\\n), ** markers or bold placeholders differ from "
        f"en.json in {wrong}"
    )


def test_nothing_left_in_english(language: str, strings: dict[str, Any]) -> None:
    allowed = NAMES | LOANWORDS.get(language, frozenset())
    untranslated = sorted(
        path
        for path, english in ENGLISH_STRINGS.items()
        if isinstance(strings.get(path), str)
        and strings[path].strip().casefold() == english.strip().casefold()
        and not words(english) <= allowed
    )
    assert not untranslated, f"{language}.json: still the English text in {untranslated}"


@pytest.mark.parametrize("language", sorted(NON_LATIN & set(PRESENT)))
def test_no_latin_words_in_non_latin_languages(language: str, strings: dict[str, Any]) -> None:
    latin = re.compile(r"[A-Za-z]{3,}")
    allowed = NAMES | LOANWORDS.get(language, frozenset())
    found = {
        path: sorted(stray)
        for path, text in strings.items()
        if isinstance(text, str)
        and (stray := set(latin.findall(re.sub(r"\{\w*\}", " ", text))) - allowed)
    }
    assert not found, f"{language}.json: Latin words outside NAMES: {found}"


async def test_home_assistant_loads_the_translation(hass: HomeAssistant, language: str) -> None:
    loaded = await async_get_translations(hass, language, "config", [DOMAIN])
    key = f"component.{DOMAIN}.config.step.user.title"
    translated = _load(TRANSLATIONS / f"{language}.json")["config"]["step"]["user"]["title"]
    assert loaded[key] == translated
