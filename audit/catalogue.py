"""The audit installed into the catalogue (审计入库): the warehouse builds the lake tables, then the audit adds its
tables, its views, one view per rule, `findings`, the evidence and the scores, in the same new file, before the file
replaces the old one. Readers therefore never see today's documents with yesterday's findings.

    from gongkai.audit.catalogue import build_catalogue, update_catalogue   # what the pipeline and the CLI call

`coverage` and `findings` are kept as tables (`MATERIALISED`): an update recomputes them for the changed sites only.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.audit.config import AuditConfig, load_audit_config
from gongkai.audit.rulebook import Rule, install_rules, rules
from gongkai.audit.tables import create_tables, refresh_tables
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site
from gongkai.schemas.taxonomy import Taxonomy, load_taxonomy
from gongkai.warehouse import catalogue as warehouse
from gongkai.warehouse.dictionary import sql_literal

HERE = Path(__file__).parent
VIEWS_SQL, EVIDENCE_SQL, SCORE_SQL = HERE / "views.sql", HERE / "evidence.sql", HERE / "score.sql"
# the code whose change makes an incremental update unsafe (the catalogue is then built in full)
SOURCES = (Path(__file__), HERE / "tables.py", HERE / "rulebook.py", HERE / "findings.sql", VIEWS_SQL, EVIDENCE_SQL,
           SCORE_SQL, Path(__file__).parents[1] / "schemas" / "taxonomy.py")


@dataclass(frozen=True)
class Audit:
    """What the warehouse calls on the catalogue it is writing (warehouse.catalogue.Extension)."""
    taxonomy: Taxonomy
    config: AuditConfig
    rules: tuple[Rule, ...]
    materialised: tuple[str, ...] = ("coverage", "findings")  # in this order: findings read coverage

    @classmethod
    def load(cls, taxonomy: Taxonomy | None = None, config: AuditConfig | None = None) -> Audit:
        return cls(taxonomy or load_taxonomy(), config or load_audit_config(), rules())

    def key(self) -> str:
        """Changes whenever the audit's result could: its settings, its taxonomy, its SQL and code."""
        digest = hashlib.sha256(f"{self.taxonomy!r}|{self.config!r}".encode())
        for source in (*SOURCES, *(r.path for r in self.rules)):
            digest.update(source.read_bytes())
        return digest.hexdigest()

    def install(self, con, sites: list[Site]) -> None:
        create_tables(con, sites, self.taxonomy, self.config, self.rules)
        con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
        install_rules(con, self.rules)
        for rule in self.rules:
            con.execute(f"COMMENT ON VIEW rule_{rule.name} IS "
                        f"{sql_literal(f'Findings of the rule {rule.name} ({rule.basis}): {rule.description}')}")
        for sql in (EVIDENCE_SQL, SCORE_SQL):
            con.execute(sql.read_text(encoding="utf-8"))
        _matrix_view(con, self.taxonomy)

    def refresh(self, con, sites: list[Site], changed: set[str]) -> None:
        refresh_tables(con, sites, self.taxonomy, self.config, changed)


def build_catalogue(lake: DataFolder, sites: list[Site], taxonomy: Taxonomy | None = None,
                    config: AuditConfig | None = None, target: Path | None = None) -> dict[str, int]:
    """The catalogue with the audit, built in full (warehouse.catalogue.build_catalogue)."""
    return warehouse.build_catalogue(lake, sites, Audit.load(taxonomy, config), target)


def update_catalogue(lake: DataFolder, sites: list[Site], taxonomy: Taxonomy | None = None,
                     config: AuditConfig | None = None, target: Path | None = None) -> dict[str, int]:
    """The catalogue with the audit, brought up to date site by site (warehouse.catalogue.update_catalogue)."""
    return warehouse.update_catalogue(lake, sites, Audit.load(taxonomy, config), target)


def _matrix_view(con, taxonomy: Taxonomy) -> None:
    keys = [r.key for r in taxonomy.requirements]
    if not all(re.fullmatch(r"[a-z0-9_]+", k) for k in keys):
        raise ValueError(f"requirement keys must be lowercase identifiers: {keys}")
    listed = ", ".join(f"'{k}'" for k in keys)
    con.execute(f"""CREATE VIEW coverage_matrix AS
                    PIVOT (SELECT site_id, requirement_key, verdict FROM coverage)
                    ON requirement_key IN ({listed}) USING first(verdict) GROUP BY site_id ORDER BY site_id""")
    con.execute("COMMENT ON VIEW coverage_matrix IS 'One row per site, one column per requirement, each cell the verdict.'")
