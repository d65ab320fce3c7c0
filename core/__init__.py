"""Shared foundations: settings, value types, logging and the metrics registry."""
