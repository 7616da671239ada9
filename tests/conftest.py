"""Shared fixtures for the Antspace tests."""

import pytest

# Import the project's custom_components package before Home Assistant puts its own test
# config dir (with a custom_components package of its own) first on sys.path.
import custom_components.antspace  # noqa: F401


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from this repository."""
    return
