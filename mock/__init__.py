"""A mock Antspace container: the device's HTTP API, served from memory."""
