"""Tests for the Antspace integration."""
