"""Per-site partitions (one per registry entry), kept in step with the registry by `registry_sensor`."""
from __future__ import annotations

from dagster import DagsterInstance, DynamicPartitionsDefinition

sites_partitions = DynamicPartitionsDefinition(name="sites")


def sync_site_partitions(instance: DagsterInstance, site_ids: list[str]) -> tuple[list[str], list[str]]:
    """Add partitions for new registry entries and drop those of removed ones; returns (added, removed)."""
    have = set(instance.get_dynamic_partitions(sites_partitions.name))
    want = set(site_ids)
    added, removed = sorted(want - have), sorted(have - want)
    if added:
        instance.add_dynamic_partitions(sites_partitions.name, added)
    for key in removed:
        instance.delete_dynamic_partition(sites_partitions.name, key)
    return added, removed
