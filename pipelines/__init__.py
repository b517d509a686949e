"""Dagster definitions: one asset per stage, per-site partitions from the registry, checks, schedules, a sensor."""
