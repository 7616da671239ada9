"""Tests of the mock container."""
