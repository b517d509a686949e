"""Where the pipeline reads its registry and writes its lake, catalogue and releases."""

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from dagster import ConfigurableResource, TableColumn, TableSchema
from gongkai.harvesters.fetch import DEFAULT_CONTACT
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site, load_registry
from gongkai.schemas.tables import LAKE_TABLES, SCHEMA_VERSION

OWNERS = ["team:gongkai-data"]  # who answers for the assets (Dagster shows it beside each one)
try:
    CODE_VERSION = f"{version('gongkai')}+schema{SCHEMA_VERSION}"  # a new parser or schema makes assets stale
except PackageNotFoundError:  # run from a source tree that is not installed
    CODE_VERSION = f"dev+schema{SCHEMA_VERSION}"


def table_schema(name: str) -> TableSchema:
    """A lake table's columns as Dagster metadata (dagster/column_schema)."""
    return TableSchema([TableColumn(f.name, str(f.type)) for f in LAKE_TABLES[name]])

DEFAULT_DATA = "data"
DEFAULT_REGISTRY = "data/sample/registry.yaml"  # written by `gongkai sample` / `gongkai demo`


class GongkaiSettings(ConfigurableResource):
    """Settings shared by every asset. Unset fields fall back to GONGKAI_DATA, GONGKAI_REGISTRY, GONGKAI_CONTACT and
    GONGKAI_RELEASE_URL
    (read when used, so a launcher can set them), then to the sample-web defaults."""

    data_dir: str | None = None
    registry_path: str | None = None
    contact: str | None = None
    release_url: str | None = None  # where releases are published (absolute download URLs in data.json)
    dispatch_queue: int = 8         # harvest_dispatcher: harvest runs waiting or running at most
    harvest_every_hours: float = 24.0  # harvest_dispatcher: a site is due this long after its last harvest started

    @property
    def data(self) -> Path:
        return Path(self.data_dir or os.environ.get("GONGKAI_DATA", DEFAULT_DATA))

    @property
    def registry(self) -> Path:
        return Path(self.registry_path or os.environ.get("GONGKAI_REGISTRY", DEFAULT_REGISTRY))

    @property
    def contact_url(self) -> str:
        return self.contact or os.environ.get("GONGKAI_CONTACT", DEFAULT_CONTACT)

    @property
    def public_url(self) -> str:
        """The URL releases/<day>/ is served at, for DCAT download URLs (GONGKAI_RELEASE_URL; '' = relative paths)."""
        return self.release_url or os.environ.get("GONGKAI_RELEASE_URL", "")

    @property
    def lake(self) -> DataFolder:
        return DataFolder(self.data)

    def sites(self, active_only: bool = True) -> list[Site]:
        sites = load_registry(self.registry)
        return [s for s in sites if s.active or not active_only]

    def site(self, site_id: str) -> Site:
        for s in self.sites(active_only=False):
            if s.site_id == site_id:
                return s
        raise KeyError(f"{self.registry}: no site {site_id!r}; the partition is stale — "
                       "let the registry sensor remove it, or add the site back to the registry")
