"""The incremental catalogue: after sites are added, edited, withdrawn from and removed, updating the catalogue in place
of the changed sites gives exactly what a full rebuild gives, every table and view."""
from __future__ import annotations

import duckdb
import pytest
from gongkai.audit.catalogue import build_catalogue, update_catalogue
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.sampleweb.changes import edit_documents, withdraw_document
from gongkai.sampleweb.server import SampleWeb
from gongkai.sampleweb.truth import registry_sites
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Politeness

RECORDS = {"catalogue_build", "catalogue_files", "catalogue_sites"}  # what the file was built from, not its content


@pytest.fixture(scope="module")
def web():
    with SampleWeb(counties=3, docs_per_county=20) as served:
        yield served


def _sites(web):
    sites = registry_sites(web)
    for s in sites:
        s.politeness = Politeness(delay_seconds=0.0, retries=0, timeout_seconds=3.0)
    return sites


def _harvest(lake, site, full=False):
    assert harvest_site(site, lake, full=full).status == "ok"
    parse_site(site, lake)


def _contents(path) -> dict[str, list]:
    """Every table and view of a catalogue, as sorted rows."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM "
                                           "duckdb_views() WHERE NOT internal").fetchall() if n not in RECORDS]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall())) for n in sorted(names)}


def _same_as_a_full_build(lake, sites, tmp_path):
    full = tmp_path / "full.duckdb"
    build_catalogue(lake, sites, target=full)
    mine, theirs = _contents(lake.catalogue_path), _contents(full)
    assert mine.keys() == theirs.keys()
    differ = {n: (sorted(set(mine[n]) - set(theirs[n]))[:2], sorted(set(theirs[n]) - set(mine[n]))[:2])
              for n in mine if mine[n] != theirs[n]}
    assert not differ, f"differ from a full build (updated rows, full-build rows): {differ}"
    return mine


def test_updates_equal_a_full_rebuild_after_adds_edits_withdrawals_and_removals(web, tmp_path):
    a, b, c = _sites(web)
    lake = DataFolder(tmp_path / "data")
    _harvest(lake, a)
    _harvest(lake, b)
    assert update_catalogue(lake, [a, b])["incremental"] == 0  # no catalogue yet: built in full
    first = _same_as_a_full_build(lake, [a, b], tmp_path)
    assert first["documents"]

    again = update_catalogue(lake, [a, b])  # nothing changed: nothing replaced
    assert (again["incremental"], again["sites_updated"]) == (1, 0)

    _harvest(lake, c)  # a county added to the registry
    added = update_catalogue(lake, [a, b, c])
    assert (added["incremental"], added["sites_updated"]) == (1, 1)
    _same_as_a_full_build(lake, [a, b, c], tmp_path)

    edit_documents(web.sites[0].county, 1)  # a document edited on one site, one withdrawn on another
    withdraw_document(web.sites[1].county)
    web.sites[0].rebuild()
    web.sites[1].rebuild()
    _harvest(lake, a, full=True)
    _harvest(lake, b, full=True)
    edited = update_catalogue(lake, [a, b, c])
    assert (edited["incremental"], edited["sites_updated"]) == (1, 2)
    after = _same_as_a_full_build(lake, [a, b, c], tmp_path)
    assert after["documents"] != first["documents"]
    with duckdb.connect(str(lake.catalogue_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE withdrawn_at IS NOT NULL").fetchone()[0] == 1

    b.column_mapping = {next(iter(s["path"] for s in lake.read_site_table(b.site_id, "sections"))): []}
    removed = update_catalogue(lake, [a, b])  # c leaves the registry; b's entry changes
    assert (removed["incremental"], removed["sites_updated"]) == (1, 2)
    _same_as_a_full_build(lake, [a, b], tmp_path)
    with duckdb.connect(str(lake.catalogue_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE site_id = ?", [c.site_id]).fetchone()[0] == 0


def test_other_settings_rebuild_in_full(web, tmp_path):
    import dataclasses

    from gongkai.audit.config import load_audit_config

    a = _sites(web)[0]
    lake = DataFolder(tmp_path)
    _harvest(lake, a)
    update_catalogue(lake, [a])
    config = load_audit_config()
    config = dataclasses.replace(config, settings={**config.settings, "proactive_wd": 21})  # the settings changed
    assert update_catalogue(lake, [a], config=config)["incremental"] == 0


def _hold_writer_lock(target: str, held: str, released: str) -> None:
    """Another machine's writer: holds the catalogue's lock a moment, and says when it lets go."""
    import time
    from pathlib import Path

    from gongkai.warehouse.catalogue import one_writer

    with one_writer(Path(target)):
        Path(held).touch()
        time.sleep(1.0)
        Path(released).touch()


def test_a_second_writer_waits_for_the_first(web, tmp_path):
    """The catalogue has one writer at a time wherever it runs (the lock lives beside the file, in the shared data
    folder): an update started while another process writes waits for it, then includes its own site."""
    import multiprocessing

    a, b = _sites(web)[:2]
    lake = DataFolder(tmp_path / "data")
    _harvest(lake, a)
    update_catalogue(lake, [a])
    _harvest(lake, b)
    held, released = tmp_path / "held", tmp_path / "released"
    other = multiprocessing.get_context("spawn").Process(
        target=_hold_writer_lock, args=(str(lake.catalogue_path), str(held), str(released)))
    other.start()
    try:
        while not held.exists():
            assert other.is_alive(), "the other writer died before taking the lock"
        update_catalogue(lake, [a, b])
        assert released.exists(), "the update wrote while another writer held the catalogue"
    finally:
        other.join(30)
    _same_as_a_full_build(lake, [a, b], tmp_path)
