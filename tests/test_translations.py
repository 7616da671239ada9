"""Every translation says what en.json says, in its own language.

English (translations/en.json) is the reference. Each other file under translations/ is one of
the languages below, named by Home Assistant's language code, and has exactly en.json's keys,
the same placeholders in each string, the same Markdown structure, no empty string and no
string left in English. Home Assistant itself loads each of them.

In every language, English included, an alert has one name (its problem sensor's, its option
in the alert selector, its repair issue's title), each card word that names a part or a
reading takes the term of the entities it stands for (the pairs come from the tables of the
cards' parts.js), and every name the cards show keeps to the length budget of its kind of place
(NAME_BUDGET of parts.js; the browser test measures the same names in the cards).
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
import string
from typing import Any
import unicodedata

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.antspace.const import DOMAIN

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / DOMAIN
TRANSLATIONS = INTEGRATION / "translations"
CARDS = INTEGRATION / "frontend"

# The languages the integration speaks besides English, as Home Assistant's language codes.
LANGUAGES = frozenset({"zh-Hans", "ru", "es", "pt-BR", "de", "fr"})

# Languages not written in the Latin alphabet: no Latin word in them but NAMES.
NON_LATIN = frozenset({"zh-Hans", "ru"})

# Names, brands and abbreviations that stay as they are in every language. A string that is
# the same as the English one passes only if its words are all here or in LOANWORDS.
NAMES = frozenset(
    {"Antspace", "Bitmain", "Immersion", "Home", "Assistant", "PID", "TCP", "API", "http"}
)

# Words a language writes as English does (technical loanwords), each one listed on purpose.
LOANWORDS: dict[str, frozenset[str]] = {
    "de": frozenset({"Host", "Port", "Ports", "Name", "Container", "Tank", "Hashrate", "Miner"}),
    "es": frozenset({"Host", "Hashrate"}),
    "fr": frozenset({"Port", "Ports", "Hashrate"}),
    "pt-BR": frozenset({"Host", "Setpoint", "Hashrate", "Status", "Dry", "cooler"}),
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


def js_table(name: str) -> Any:
    """A data table of the cards' parts.js (`export const NAME = {...};`), read as JSON.

    The tables hold only strings, numbers, lists and objects, with comments on lines of their
    own: quoting their keys and dropping trailing commas makes them JSON.
    """
    source = (CARDS / "parts.js").read_text(encoding="utf-8")
    start = source.index("{", source.index(f"export const {name} = "))
    end, depth = start + 1, 1
    while depth:
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        end += 1
    body = re.sub(r"^\s*//.*$", "", source[start:end], flags=re.MULTILINE)
    body = re.sub(r"([{,]\s*)([A-Za-z_]\w*):", r'\1"\2":', body)
    body = re.sub(r",(\s*[}\]])", r"\1", body)
    return json.loads(body)


PARTS: dict[str, dict[str, dict[str, Any]]] = js_table("PARTS")
COMMON: dict[str, str] = js_table("COMMON")
READINGS: dict[str, dict[str, list[str]]] = js_table("READINGS")
NAME_BUDGET: dict[str, int] = js_table("NAME_BUDGET")
LETTER_WIDTH: dict[str, float] = js_table("LETTER_WIDTH")
CARD_WORDS = frozenset(ENGLISH["selector"]["card"]["options"])
ALL_LANGUAGES = ("en", *PRESENT)


def entity_name(entity: str) -> str:
    """The translation path of an entity's name, from `<platform>.<translation key>`."""
    platform, key = entity.split(".")
    return f"entity.{platform}.{key}.name"


def alert_name(alert: str) -> str:
    """The translation path of an alert's name, from its problem sensor's key (`alert_…`)."""
    return entity_name(f"binary_sensor.{alert}")


def card_word(key: str) -> str:
    """The translation path of a card word."""
    return f"selector.card.options.{key}"


def part_entities(part: dict[str, Any]) -> list[str]:
    """The translation paths of the names of a part's entities: running, readings, faults."""
    running = [f"binary_sensor.{part['running']}"] if "running" in part else []
    readings = (
        [part["reading"]] if isinstance(part.get("reading"), str) else part.get("reading", [])
    )
    entities = [*running, *readings, *part.get("named", [])]
    return [entity_name(e) for e in entities] + [alert_name(a) for a in part["alerts"]]


def word_pairs() -> list[tuple[str, list[str]]]:
    """(card word, the names it stands for): each part's word and its entities' names; each key
    of COMMON and READINGS that is a card word and the names of its entities."""
    pairs = [
        (card_word(part["word"]), part_entities(part))
        for parts in PARTS.values()
        for part in parts.values()
        if "word" in part
    ]
    pairs += [(card_word(key), [entity_name(e)]) for key, e in COMMON.items() if key in CARD_WORDS]
    pairs += [
        (card_word(key), [entity_name(e) for e in entities])
        for readings in READINGS.values()
        for key, entities in readings.items()
        if key in CARD_WORDS
    ]
    return pairs


WORD_PAIRS = word_pairs()

TOKEN = re.compile(r"[^\W_]+")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+")
ENDING = 2
"""Letters at the end of a word that may differ from the names' (an inflection: подача/подачи)."""


def _covered(token: str, words: list[str], shortest: int) -> bool:
    """Whether a word is made of pieces of these words, left to right, each at least `shortest`
    long, leaving at most ENDING letters at its end."""
    at = 0
    while len(token) - at > ENDING:
        longest = max(
            (
                n
                for n in range(len(token) - at, shortest - 1, -1)
                if any(token[at : at + n] in w for w in words)
            ),
            default=0,
        )
        if not longest:
            return False
        at += longest
    return True


def takes_term(word: str, names: list[str]) -> bool:
    """Whether a card word uses the term of the names it stands for.

    Each word of three letters or more of the card word is made of pieces (three letters or
    more; two characters in Chinese) of the names' words, up to an ending of at most two letters:
    Vorlauf in Vorlauftemperatur, Sekundärkreis of Sekundärpumpe and Kreis, Подача of подачи,
    二次侧回路 of 二次侧泵 and 回路. A number or a single capital (Tank A, Valve 1) is one of
    the names' words. Shorter words (de, la, d') do not count.
    """
    known = [t for name in names for t in TOKEN.findall(name.casefold())]
    for token in TOKEN.findall(word):
        if token.isdigit() or (len(token) == 1 and token.isupper()):
            if token.casefold() not in known:
                return False
        elif CJK.fullmatch(token):
            if not _covered(token, known, 2):
                return False
        elif len(token) >= 3 and not _covered(token.casefold(), known, 3):
            return False
    return True


def display_width(text: str) -> float:
    """How wide a text is, in Latin letters (LETTER_WIDTH of parts.js)."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            width += LETTER_WIDTH["wide"]
        elif "\u0400" <= char <= "\u04ff":
            width += LETTER_WIDTH["cyrillic"]
        else:
            width += 1
    return round(width, 1)


def budgeted_names() -> dict[str, set[str]]:
    """The translation paths of the names the cards show, by kind of place (NAME_BUDGET).

    Every alert's name, every other entity's name; each part's word in its kind of room, and
    where that room is a label (which shows the part's one fault) its alerts' names too.
    """
    kinds: dict[str, set[str]] = {kind: set() for kind in NAME_BUDGET}
    for path in ENGLISH_STRINGS:
        if re.fullmatch(r"entity\.\w+\.\w+\.name", path):
            kinds["alert" if path.startswith("entity.binary_sensor.alert_") else "entity"].add(path)
    for parts in PARTS.values():
        for part in parts.values():
            if "word" not in part:
                continue
            kinds[part["room"]].add(card_word(part["word"]))
            if part["room"].endswith("label"):
                kinds[part["room"]] |= {alert_name(a) for a in part["alerts"]}
    return kinds


BUDGETED = budgeted_names()


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


def _strings_of(language: str) -> dict[str, Any]:
    return (
        ENGLISH_STRINGS
        if language == "en"
        else dict(leaves(_load(TRANSLATIONS / f"{language}.json")))
    )


def test_the_cards_tables_name_what_the_translations_have() -> None:
    """The pairs and budgets come from parts.js: each path they name is an English string."""
    assert WORD_PAIRS
    for word, names in WORD_PAIRS:
        assert word in ENGLISH_STRINGS, word
        assert names, word
        assert all(name in ENGLISH_STRINGS for name in names), (word, names)
    for kind, paths in BUDGETED.items():
        assert paths, f"no name is budgeted as {kind}"
        assert paths <= set(ENGLISH_STRINGS), kind


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_an_alert_has_one_name(language: str) -> None:
    """Its problem sensor, its option in the alert selector and its repair issue's titles."""
    strings = _strings_of(language)
    prefix = strings["issues.alert_power_fault.title"].removesuffix(
        strings["entity.binary_sensor.alert_power_fault.name"]
    )
    assert "{container}" in prefix
    wrong = []
    for key in ENGLISH["selector"]["alert"]["options"]:
        name = strings[f"entity.binary_sensor.alert_{key}.name"]
        titles = [
            path
            for path in strings
            if path.startswith(f"issues.alert_{key}.") and path.endswith(".title")
        ]
        if strings[f"selector.alert.options.{key}"] != name or not titles:
            wrong.append(key)
        wrong += [path for path in titles if strings[path] != f"{prefix}{name}"]
    assert not wrong, f"{language}: an alert named otherwise elsewhere: {wrong}"


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_card_words_take_the_entities_terms(language: str) -> None:
    strings = _strings_of(language)
    wrong = [
        f"{strings[word]!r} ({word.rsplit('.', 1)[1]}) against {[strings[n] for n in names]}"
        for word, names in WORD_PAIRS
        if not takes_term(strings[word], [strings[name] for name in names])
    ]
    assert not wrong, f"{language}: card words that are not their entities' terms:\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_names_keep_to_their_budget(language: str) -> None:
    strings = _strings_of(language)
    over = [
        f"{kind} ≤ {NAME_BUDGET[kind]}: {strings[path]!r} ({display_width(strings[path])})"
        for kind, paths in BUDGETED.items()
        for path in sorted(paths)
        if display_width(strings[path]) > NAME_BUDGET[kind]
    ]
    assert not over, f"{language}: names longer than their budget:\n" + "\n".join(over)
