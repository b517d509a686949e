"""Arrow schemas of the Parquet lake (one set of files per site) and of the catalogue tables built from it."""
from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 1

FETCH_LOG = pa.schema([
    ("site_id", pa.string()), ("run_id", pa.string()), ("seq", pa.int32()),
    ("url", pa.string()), ("method", pa.string()), ("post_data", pa.string()),
    ("kind", pa.string()),            # robots | entry | support | column | list | document | attachment
    ("column_path", pa.string()),     # for column pages (a column's own page), list pages and documents: the column
    ("status", pa.int32()), ("content_type", pa.string()), ("bytes", pa.int64()),
    ("sha256", pa.string()),          # of the body this row stands for (for a 304: the revalidated body)
    ("warc_file", pa.string()), ("warc_record_id", pa.string()),
    ("warc_offset", pa.int64()), ("warc_end", pa.int64()),          # this exchange's records in warc_file
    ("body_warc", pa.string()), ("body_offset", pa.int64()),        # where its body is archived (a 304 points back)
    ("etag", pa.string()), ("last_modified", pa.string()),          # validators for the next conditional request
    ("content_sha256", pa.string()),  # documents: hash of the parsed text, which decides new/changed/unchanged
    ("fetched_at", pa.timestamp("s", tz="UTC")), ("elapsed_ms", pa.int32()), ("error", pa.string()),
])

DOCUMENTS = pa.schema([
    ("doc_id", pa.string()), ("site_id", pa.string()), ("url", pa.string()), ("column_path", pa.string()),
    ("title", pa.string()), ("index_no", pa.string()), ("index_no_raw", pa.string()),
    ("doc_no", pa.string()), ("publisher", pa.string()),
    ("written_date", pa.date32()), ("published_date", pa.date32()), ("list_date", pa.date32()),
    ("validity", pa.string()), ("topic", pa.string()),
    ("source", pa.string()),          # 来源 / 信息来源 (or the page's ContentSource <meta>)
    ("body_text", pa.string()),
    ("related_urls", pa.list_(pa.string())), ("content_sha256", pa.string()),
    ("first_seen", pa.date32()), ("last_seen", pa.date32()), ("withdrawn_at", pa.date32()),
    ("adapter", pa.string()), ("adapter_version", pa.string()),
    ("encoding", pa.string()),        # the character encoding the page was decoded with (see harvesters.encoding)
    ("parse_warnings", pa.list_(pa.string())),
    ("parse_confidence", pa.float32()),  # 1 for a family adapter's metadata block; the generic adapter's share of fields
    # where each value came from: metadata (a labelled value on the page: table or attribute line), meta_tag (<meta>
    # PubDate / ContentSource), body_doc_no (the 文号 line atop the body), body_signature (the date under the
    # signature), source_label (来源 standing in for a missing 发布机构); NULL when the field is empty
    ("published_date_source", pa.string()), ("written_date_source", pa.string()),
    ("doc_no_source", pa.string()), ("publisher_source", pa.string()),
])

SECTIONS = pa.schema([
    ("site_id", pa.string()), ("path", pa.string()), ("name", pa.string()), ("parent_path", pa.string()),
    ("depth", pa.int32()), ("scope", pa.string()),          # government | department
    ("url", pa.string()), ("item_count", pa.int32()), ("own_item_count", pa.int32()),
    ("newest_item_date", pa.date32()), ("newest_item_url", pa.string()), ("undated_items", pa.int32()),
    ("note", pa.string()),              # an explanatory note on a blank column (e.g. 本机关无此类信息)
    # ok | blank | blank_with_note (its page was read) | not_read (its page could not be fetched) | external (on
    # another host, e.g. a provincial procurement platform: linked, not harvested)
    ("status", pa.string()),
    ("found_on", pa.string()),          # the page whose menu or grid showed the column (the entry page or a group page)
])

# The pages that decided a site's column tree: its entry page(s) and every column's own page, read or not.
TREE_PAGES = pa.schema([
    ("site_id", pa.string()), ("url", pa.string()),
    ("column_path", pa.string()),       # NULL for an entry page
    ("role", pa.string()),              # entry | group (showed sub-columns) | column
    ("status", pa.string()),            # read | not_read (fetch failed) | external (not fetched: another host)
])

ATTACHMENTS = pa.schema([
    ("doc_id", pa.string()), ("site_id", pa.string()), ("url", pa.string()), ("name", pa.string()),
    ("type", pa.string()), ("bytes", pa.int64()), ("sha256", pa.string()), ("status", pa.string()),
])

LIST_ITEMS = pa.schema([
    ("site_id", pa.string()), ("column_path", pa.string()), ("url", pa.string()),
    ("title", pa.string()), ("list_date", pa.date32()),
])

# The statistical tables of annual reports (年报), one row per report × table × item × measure (harvesters.reports).
REPORT_FIGURES = pa.schema([
    ("site_id", pa.string()), ("doc_id", pa.string()), ("url", pa.string()), ("publisher", pa.string()),
    ("report_year", pa.int32()),
    ("format", pa.string()),          # 2021 (国办公开办函〔2021〕30号) | 2019 (国办公开办函〔2019〕60号) | unknown
    ("source", pa.string()),          # table (HTML tables) | text (tables flattened into text)
    ("table_no", pa.string()),        # 二 | 三 | 四
    ("item", pa.string()), ("measure", pa.string()), ("value", pa.float64()), ("raw", pa.string()),
])

# The template's own cross-checks that fail in a report (一 + 二 = 三（七） + 四; totals).
REPORT_CHECKS = pa.schema([
    ("site_id", pa.string()), ("doc_id", pa.string()), ("url", pa.string()), ("report_year", pa.int32()),
    ("check_name", pa.string()), ("location", pa.string()), ("expected", pa.float64()), ("found", pa.float64()),
])

HARVEST_RUNS = pa.schema([
    ("site_id", pa.string()), ("run_id", pa.string()),
    ("mode", pa.string()),            # full (every list page walked, every document revalidated) | incremental
    ("resumed", pa.bool_()),          # a killed run picked up again from its journal and archive
    ("adapter", pa.string()),         # the adapter the crawl used: the registry's, or detected from the entry page
    ("adapter_detected", pa.bool_()), # true when the registry named none and the entry page decided
    ("started_at", pa.timestamp("s", tz="UTC")), ("finished_at", pa.timestamp("s", tz="UTC")),
    ("duration_s", pa.float64()),
    ("requests", pa.int32()),         # exchanges sent this run (retries inside one exchange not counted)
    ("not_modified", pa.int32()),     # of which answered 304 Not Modified
    ("bytes", pa.int64()),
    ("docs_new", pa.int32()), ("docs_changed", pa.int32()),        # by content hash of the parsed text
    ("docs_unchanged", pa.int32()), ("docs_withdrawn", pa.int32()),
    ("errors", pa.int32()), ("blocked", pa.bool_()),
    ("status", pa.string()),          # ok | partial | blocked | failed
    ("message", pa.string()),
])

HARVEST_ERRORS = pa.schema([
    ("site_id", pa.string()), ("run_id", pa.string()), ("stage", pa.string()), ("url", pa.string()),
    ("error", pa.string()), ("at", pa.timestamp("s", tz="UTC")),
])

# The archived copy of every page the parse read (存档): the newest good capture of each URL within the parse's window,
# where its body is in the site's WARC files. Evidence URLs of findings and coverage are looked up here (`evidence`).
CAPTURES = pa.schema([
    ("site_id", pa.string()), ("url", pa.string()), ("kind", pa.string()), ("run_id", pa.string()),
    ("captured_at", pa.timestamp("s", tz="UTC")),   # fetched, or confirmed unchanged by a 304, at this time
    ("status", pa.int32()), ("content_type", pa.string()),
    ("warc_file", pa.string()), ("warc_offset", pa.int64()),   # the body's response record
    ("sha256", pa.string()),          # of the archived body
])

LAKE_TABLES: dict[str, pa.Schema] = {
    "fetch_log": FETCH_LOG, "documents": DOCUMENTS, "sections": SECTIONS, "attachments": ATTACHMENTS,
    "list_items": LIST_ITEMS, "tree_pages": TREE_PAGES, "report_figures": REPORT_FIGURES, "report_checks": REPORT_CHECKS, "harvest_runs": HARVEST_RUNS, "harvest_errors": HARVEST_ERRORS,
    "captures": CAPTURES,
}
