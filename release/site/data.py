"""The release as the site reads it: ``manifest.json``, ``datapackage.json``, ``changes.json`` and the Parquet files
(the small tables whole; findings, evidence and documents a county or a batch at a time)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from gongkai.release.site.values import text

DOCUMENT_COLUMNS = ("doc_id", "site_id", "url", "title", "index_no", "doc_no", "publisher", "written_date",
                    "published_date")


@dataclass
class Release:
    manifest: dict
    package: dict = field(default_factory=dict)  # datapackage.json: the resources' fields and their descriptions
    changes: dict = field(default_factory=dict)  # changes.json: what changed since the previous release
    sites: list[dict] = field(default_factory=list)
    requirements: list[dict] = field(default_factory=list)
    coverage: list[dict] = field(default_factory=list)
    finding_files: list[Path] = field(default_factory=list)  # findings.parquet: read a county at a time
    evidence_files: list[Path] = field(default_factory=list)  # evidence.parquet: the archived copies, a county at a time
    finding_count: int = 0
    scores: list[dict] = field(default_factory=list)
    rules: list[dict] = field(default_factory=list)  # audit_rules: basis and what each rule checks
    document_files: list[Path] = field(default_factory=list)  # documents.parquet (or its parts): read a batch at a time
    document_count: int = 0

    @property
    def date(self) -> str:
        return text(self.manifest.get("release"))

    @cached_property
    def coverage_by_site(self) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for c in self.coverage:
            grouped.setdefault(text(c.get("site_id")), []).append(c)
        return grouped

    @cached_property
    def scores_by_site(self) -> dict[str, dict]:
        scores: dict[str, dict] = {}
        for s in self.scores:
            scores.setdefault(text(s.get("site_id")), s)  # the first, should a county be scored twice
        return scores

    @cached_property
    def counties(self) -> dict[str, dict]:
        """site_id → its registry row, for every county the release names (scored, covered or with findings; one
        the registry lacks is named by its score row, else by its site_id), in site_id order."""
        sites = {text(s["site_id"]): s for s in self.sites}
        for row in self.scores + self.coverage + [{"site_id": sid} for sid in sorted(self.finding_sites())]:
            sid = text(row.get("site_id"))
            if sid and sid not in sites:
                sites[sid] = {"site_id": sid, "name": row.get("name") or sid}
        return dict(sorted(sites.items()))

    @cached_property
    def requirements_by_key(self) -> dict[str, dict]:
        """key → requirement row, in key order; one only coverage names takes its name and kind from there."""
        reqs = {text(r["key"]): r for r in self.requirements}
        for c in self.coverage:
            key = text(c.get("requirement_key"))
            if key and key not in reqs:
                reqs[key] = {"key": key, "name": c.get("requirement_name"), "kind": c.get("kind")}
        return dict(sorted(reqs.items()))

    @property
    def as_of(self) -> str:
        """The audit date: the latest day any county was judged as of (coverage.as_of)."""
        days = sorted({text(c.get("as_of"))[:10] for c in self.coverage if c.get("as_of")})
        return days[-1] if days else text(self.manifest.get("as_of"))[:10]

    def findings_of(self, site_id: str) -> list[dict]:
        """One county's findings (the files' row groups hold a few counties each: the rest are skipped unread)."""
        return [row for path in self.finding_files
                for row in pq.read_table(path, filters=[("site_id", "=", site_id)]).to_pylist()]

    def snapshots_of(self, site_id: str) -> dict[str, tuple[str, str]]:
        """url → (release path of its archived copy, capture day) for one county's cited pages."""
        out = {}
        for path in self.evidence_files:
            table = pq.read_table(path, columns=["site_id", "url", "snapshot", "captured_at"],
                                  filters=[("site_id", "=", site_id)])
            for row in table.to_pylist():
                if row["snapshot"]:
                    out[text(row["url"])] = (text(row["snapshot"]), text(row["captured_at"])[:10])
        return out

    def finding_sites(self) -> set[str]:
        return {text(sid) for path in self.finding_files
                for sid in pc.unique(pq.read_table(path, columns=["site_id"]).column("site_id")).to_pylist()}

    def document_batches(self, sql: str, **tables: pa.Table):
        """Rows of `sql` over the release's documents (the view `documents`, DOCUMENT_COLUMNS) and `tables`, a batch
        at a time, with DuckDB's own memory capped (it spills a large sort to disk)."""
        if not self.document_files:
            return
        con = duckdb.connect(config={"memory_limit": "512MB"})
        try:
            available = set(pq.ParquetFile(self.document_files[0]).schema_arrow.names)
            columns = ", ".join(c if c in available else f"NULL AS {c}" for c in DOCUMENT_COLUMNS)
            files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in self.document_files)
            con.execute(f"CREATE VIEW documents AS SELECT {columns} FROM read_parquet([{files}])")
            for name, table in tables.items():
                con.register(name, table)
            yield from con.sql(sql).to_arrow_reader(20_000)
        finally:
            con.close()


@cache
def dimension_points() -> dict[str, int]:
    """The points each score dimension is worth (schemas/audit.yaml, as the catalogue scored with): read once, not
    once per county page."""
    from gongkai.audit.config import load_audit_config

    return {d: spec["points"] for d, spec in load_audit_config().settings["score"]["dimensions"].items()}


def _read(release_dir: Path, manifest: dict, resource: str, columns=None) -> list[dict]:
    """The rows of a resource: the manifest's file for it, else <resource>.parquet; none when neither exists."""
    listed = [f for f in manifest.get("files", []) if f.get("resource") == resource and f.get("format", "parquet") == "parquet"]
    path = release_dir / (listed[0]["path"] if listed else f"{resource}.parquet")
    if not path.exists():
        if listed:
            raise FileNotFoundError(f"{path}: listed in {release_dir / 'manifest.json'} but missing")
        return []
    parquet = pq.ParquetFile(path)
    if columns is not None:
        names = set(parquet.schema_arrow.names)
        columns = [c for c in columns if c in names]
    return parquet.read(columns=columns).to_pylist()


def _parquet_files(release_dir: Path, manifest: dict, resource: str) -> list[Path]:
    """Every Parquet file of a resource (one, or one per province), as the manifest lists them."""
    listed = [release_dir / f["path"] for f in manifest.get("files", [])
              if f.get("resource") == resource and f.get("format", "parquet") == "parquet"]
    return listed or [p for p in [release_dir / f"{resource}.parquet"] if p.exists()]


def load_release(release_dir: Path) -> Release:
    release_dir = Path(release_dir)
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    documents = _parquet_files(release_dir, manifest, "documents")
    package = release_dir / "datapackage.json"
    changed = release_dir / "changes.json"
    return Release(
        changes=json.loads(changed.read_text(encoding="utf-8")) if changed.exists() else {},
        manifest=manifest,
        package=json.loads(package.read_text(encoding="utf-8")) if package.exists() else {},
        sites=_read(release_dir, manifest, "sites"),
        requirements=_read(release_dir, manifest, "requirements"),
        coverage=_read(release_dir, manifest, "coverage"),
        finding_files=(findings := _parquet_files(release_dir, manifest, "findings")),
        finding_count=sum(pq.ParquetFile(p).metadata.num_rows for p in findings),
        evidence_files=_parquet_files(release_dir, manifest, "evidence"),
        scores=_read(release_dir, manifest, "county_scores"),
        rules=_read(release_dir, manifest, "audit_rules"),
        document_files=documents, document_count=sum(pq.ParquetFile(p).metadata.num_rows for p in documents),
    )
