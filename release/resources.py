"""What a release contains: one resource per table, the query that makes it from the catalogue, and its description.

Columns are only ever added (docs/release.md); `schemas/release_schema.json` pins each resource's columns and types for
the current RELEASE_SCHEMA_VERSION, and tests/test_release.py fails when they change without a version bump.
"""
from __future__ import annotations

from dataclasses import dataclass

RELEASE_SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    sql: str                        # the rows, in no order
    primary_key: tuple[str, ...]
    order: str                      # the ORDER BY that makes the files the same bytes from the same catalogue

    @property
    def by_site(self) -> bool:
        """Ordered by site first: written a run of sites at a time (release/build.py), so no query sorts it whole."""
        return self.order.split(",")[0].strip() == "site_id"


RESOURCES = (
    Resource("sites", "Counties (站点)", "Every county-level disclosure section audited: name, level, province, entry URL.",
             "SELECT site_id, name, level, province, entry_url, adapter FROM sites", ("site_id",), order="site_id"),
    Resource("requirements", "Requirements (法定公开要求)",
             "What the law requires a county to disclose, with the legal basis and whom it applies to.",
             "SELECT key, name, basis, req_group, kind, array_to_string(applies_to, ' ') AS applies_to, freshness "
             "FROM requirements", ("key",), order="key"),
    Resource("documents", "Documents (文件)",
             "Every document found in the disclosure sections with its metadata (索引号, 文号, 发布机构, dates, 有效性), "
             "its text and source URL. Personal data is redacted.",
             "SELECT d.doc_id, d.site_id, s.province, d.url, d.column_path, d.title, d.index_no, d.index_no_raw, d.doc_no, "
             "d.publisher, d.written_date, d.published_date, d.validity, d.topic, d.body_text, d.first_seen, d.last_seen, "
             "d.withdrawn_at FROM documents d JOIN sites s USING (site_id)", ("doc_id",), order="site_id, doc_id"),
    Resource("sections", "Columns (栏目)",
             "Every column of every site: item counts, newest item date, status (ok, blank, blank_with_note).",
             "SELECT site_id, path, name, parent_path, depth, scope, url, item_count, own_item_count, newest_item_date, "
             "newest_item_url, undated_items, note, status FROM sections", ("site_id", "path"), order="site_id, path"),
    Resource("attachments", "Attachments (附件)", "Attachment links of documents with type, size, sha256 and status.",
             "SELECT doc_id, site_id, url, name, type, bytes, sha256, status FROM attachments",
             ("doc_id", "url"), order="site_id, doc_id, url"),
    Resource("coverage", "Coverage (覆盖情况)",
             "County × requirement verdicts (present, blank, blank_with_note, stale, missing, not_harvested) with the rule "
             "and evidence URLs.",
             "SELECT site_id, requirement_key, requirement_name, kind, verdict, rule, columns, items, newest_item_date, "
             "threshold_days, as_of, report_year, evidence_urls FROM coverage",
             ("site_id", "requirement_key"), order="site_id, requirement_key"),
    Resource("findings", "Audit findings (审计发现)",
             "Every finding of every audit rule: what was measured against which threshold, severity, the finding in Chinese "
             "(detail) and English (detail_en), and evidence URLs.",
             "SELECT finding_id, site_id, rule, CAST(severity AS VARCHAR) AS severity, dimension, requirement_key, subject, subject_url, measured, "
             "threshold, unit, detail, evidence_urls, as_of, detail_en FROM findings",
             ("finding_id",), order="site_id, rule, finding_id"),
    Resource("annual_report_figures", "Annual-report figures (年报数据)",
             "The statistical tables of annual reports (2019 and 2021 formats), one row per report × table × item × measure.",
             "SELECT site_id, report_year, publisher, format, source, table_no, item, measure, value, raw, url "
             "FROM annual_report_figures",
             ("site_id", "url", "table_no", "item", "measure"), order="site_id, url, table_no, item, measure"),
    Resource("county_scores", "County scores (评分)",
             "Each county's score out of 100 and its dimensions, reproducible from the findings; equal scores share a rank; "
             "inspection_failed: the site fails the State Council inspection (单项否决).",
             "SELECT rank, site_id, name, province, score, out_of, completeness, timeliness, interpretation, accuracy, "
             "findings, inspection_failed FROM county_scores", ("site_id",), order="rank, site_id"),
    Resource("evidence", "Evidence (存档证据)",
             "Every page a finding or coverage verdict cites, with its archived copy: when it was captured, the WARC "
             "record and body digest, and the sanitised snapshot in this release (evidence/…).",
             "SELECT DISTINCT site_id, cited_by, cited_id, rule, url, captured_at, kind, status, warc_file, warc_offset, "
             "sha256, snapshot FROM evidence",
             ("site_id", "cited_by", "cited_id", "url"), order="site_id, cited_by, cited_id, url"),
    Resource("audit_rules", "Audit rules (审计规则)",
             "Every rule: legal basis, what it checks, severity, score dimension and cost of a finding.",
             "SELECT rule, basis, description, CAST(severity AS VARCHAR) AS severity, dimension, cost, restates FROM audit_rules",
             ("rule",), order="rule"),
)
