"""The public static site inside a release (发布站点): ``releases/YYYY-MM-DD/site/``.

``build_site(release_dir)`` reads the release's ``manifest.json`` and Parquet files and writes plain HTML, one CSS
file and a little vanilla JavaScript:

* ``index.html``, for readers first (in Chinese, English beside it): what the 条例 requires and what was checked,
  how the score works, the ranking with a bar per county, and the requirements counties most often fail;
* ``heatmap.html``: county × requirement table of coverage verdicts under the requirements' Chinese names, the county
  column fixed while it scrolls, each failing cell opening the county page at that requirement's evidence;
* ``county/<site_id>.html``: a county's audit date, score and dimensions out of their points, every finding with its
  evidence (the live page and 存档, the archived copy in ``../../evidence/``), the rules behind them with their legal
  basis, the coverage gaps;
* ``downloads.html``: release notes (date, licence, schema and code version) and every file with its size and full
  sha256, linked relatively (``../documents.parquet``); ``dictionary.html``: every column of every table;
* ``search.html``: client-side search over the documents, narrowed by province, county and date. The index is
  ``search-index.js`` (fields, counties, provinces) and ``search-index/p<N>.js`` per province: scripts, so the page
  works from ``file://`` where ``fetch()`` of JSON does not; every province loads with the page up to
  ``PRELOAD_DOCS`` documents, and past that only the province a reader chooses.

Everything links relatively, so the site works from ``file://`` and from any static host, in any sub-folder, and
nothing is fetched from the network. Everything harvested (titles, names, subjects, details, URLs) is escaped; only
http(s) URLs become links, anything else (``javascript:``) is shown as text. The search index is JSON made safe to
embed (``<``, ``>``, ``&``, U+2028/2029 as ``\\uXXXX``) and rendered with DOM methods and ``textContent`` only.
The output is deterministic: every list is sorted and no timestamp is written (the manifest's ``created_at``
is left out, so two releases of the same inputs give the same site).

The element ids, classes and data attributes the pages expose (browser tests select on them) are listed in
``tests/test_release_site.py``'s docstring.
"""
from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import quote, urlsplit

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from audit.report_card import SEVERITY_ORDER, SEVERITY_ZH

SITE_DIR = "site"
# verdict → (letter in the cell, Chinese label, English label)
VERDICTS = {
    "present": ("P", "已公开", "present"),
    "blank_with_note": ("N", "空栏目（有说明）", "blank with a note"),
    "blank": ("B", "空栏目", "blank"),
    "stale": ("S", "未及时更新", "stale"),
    "missing": ("M", "缺失", "missing"),
    "not_harvested": ("U", "未采集", "not harvested"),
}
FAILING = ("missing", "blank", "stale")  # the verdicts counted as failing cells
GAP_FREE = ("present", "blank_with_note")  # the verdicts that are not a coverage gap on a county page
DIMENSIONS = {"completeness": "完整性", "timeliness": "及时性", "interpretation": "解读", "accuracy": "准确性"}
LICENSES = {"CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.zh-hans")}
SIDE_FILES = ("SHA256SUMS", "datapackage.json", "README.md", "changes.json")  # written beside the Parquet files, not in the manifest
SEARCH_FIELDS = ("doc_id", "title", "doc_no", "publisher", "index_no", "url", "site", "date")
RESULT_LIMIT = 200  # results rendered at once; the hit count is always the full count
_SITE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


# ── values ──────────────────────────────────────────────────────────────────────────────────────────────────────


def text(value) -> str:
    """A cell value as display text: None → '', numbers without a spurious '.0', dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        value = value.normalize()
        return f"{value:f}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".10g")
    return str(value)


def esc(value) -> str:
    return html.escape(text(value), quote=True)


def http_url(value) -> str | None:
    """The URL if it is an absolute http(s) URL (no whitespace or control characters), else None."""
    url = text(value).strip()
    if not _HTTP_URL.fullmatch(url):
        return None
    try:
        if not urlsplit(url).netloc:
            return None
    except ValueError:
        return None
    return url


def link(url, label=None, cls: str = "", unlinked_cls: str = "unlinked") -> str:
    """An <a> to an http(s) URL; anything else (javascript:, data:, relative, empty) as text in a <span>."""
    safe = http_url(url)
    shown = text(label) if label is not None and text(label) != "" else text(url)
    if safe is None:
        if not text(url):
            return esc(shown)
        return f'<span class="{unlinked_cls}">{esc(shown)}</span>'
    attr = f' class="{cls}"' if cls else ""
    return f'<a{attr} href="{esc(safe)}" rel="noopener noreferrer nofollow">{esc(shown)}</a>'


def human_size(size) -> str:
    if size is None:
        return ""
    size = int(size)
    if size < 1024:
        return f"{size} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        size /= 1024
        if size < 1024 or unit == "TiB":
            return f"{size:.1f} {unit}"
    return ""  # unreachable


def js_data(value) -> str:
    """JSON for a script file: sorted, compact, and with <, >, &, U+2028, U+2029 as \\uXXXX (only inside strings)."""
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for ch, sub in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(ch, sub)
    return out


def page_name(site_id: str) -> str:
    if not _SITE_ID.fullmatch(site_id or ""):
        raise ValueError(f"site_id {site_id!r} cannot name a page (letters, digits, '.', '_', '-' only)")
    return f"{site_id}.html"


# ── the release ─────────────────────────────────────────────────────────────────────────────────────────────────


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


DOCUMENT_COLUMNS = ("doc_id", "site_id", "url", "title", "index_no", "doc_no", "publisher", "written_date",
                    "published_date")


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


# ── pages ───────────────────────────────────────────────────────────────────────────────────────────────────────

CURRENT = ' aria-current="page"'
NAV = (("index.html", "排名 Ranking"), ("heatmap.html", "覆盖热力图 Heatmap"), ("search.html", "文件检索 Search"),
       ("downloads.html", "下载 Downloads"), ("dictionary.html", "数据字典 Data dictionary"))


def _page(rel: Release, title: str, current: str, body: str, depth: int = 0, scripts: tuple[str, ...] = ()) -> str:
    up = "../" * depth
    nav = " ".join(f'<a href="{up}{href}"{CURRENT if href == current else ""}>{label}</a>' for href, label in NAV)
    tags = "".join(f'<script src="{up}{s}"></script>\n' for s in scripts)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} · Gongkai {esc(rel.date)}</title>\n"
        '<link rel="icon" href="data:,">\n'
        f'<link rel="stylesheet" href="{up}style.css">\n</head>\n<body>\n'
        f'<header><span class="brand">Gongkai 政府信息公开数据 · {esc(rel.date)}</span>\n<nav id="nav">{nav}</nav></header>\n'
        f"<main>\n{body}</main>\n"
        f'<footer>Gongkai open-data release {esc(rel.date)} · {_license(rel.manifest, with_id=False)}</footer>\n'
        f"{tags}</body>\n</html>\n"
    )


def _license(manifest: dict, with_id: bool = True) -> str:
    code = text(manifest.get("license"))
    ident = ' id="license"' if with_id else ""
    if code in LICENSES:
        label, url = LICENSES[code]
        return f'<a{ident} rel="license" href="{esc(url)}">{esc(label)}</a>'
    return f"<span{ident}>{esc(code)}</span>"


def _site_names(rel: Release) -> dict[str, dict]:
    sites = {text(s["site_id"]): s for s in rel.sites}
    for row in rel.scores + rel.coverage + [{"site_id": sid} for sid in sorted(rel.finding_sites())]:
        sid = text(row.get("site_id"))
        if sid and sid not in sites:
            sites[sid] = {"site_id": sid, "name": row.get("name") or sid}
    return dict(sorted(sites.items()))


INTRO = (
    "<p>《中华人民共和国政府信息公开条例》要求县级人民政府在网站上主动公开规范性文件、财政预决算、规划计划、统计信息、"
    "行政许可和处罚结果、政府采购、招录信息、政策解读、政府信息公开指南，并在每年 3 月 31 日前公布上一年度的政府信息"
    "公开工作年度报告。本数据逐一检查各县网站是否设有这些栏目、栏目是否有内容并及时更新、文件是否按时发布、政策是否配有"
    "解读，每一项结论都附有所依据的网页及其存档副本。</p>\n"
    "<p>得分满分 100：完整性 40、及时性 25、解读 15、准确性 20。每个问题按严重程度扣分（高 8、中 4、低 2），"
    "同一栏目不重复扣分，每项最低 0 分；得分相同者名次相同。</p>\n"
    '<p lang="en" class="en">The 政府信息公开条例 requires county governments to publish normative documents, budgets, '
    "plans, statistics, licensing and penalty results, procurement, recruitment, policy interpretations and a "
    "disclosure guide, and an annual report by 31 March. We checked each county's site for each of these; every "
    "verdict cites the pages it rests on and their archived copies. Scores: 100 points (completeness 40, timeliness "
    "25, interpretation 15, accuracy 20); each finding costs 8, 4 or 2 points by severity, no column counted twice; "
    "equal scores share a rank.</p>\n")


def _bar(value, most, label: str) -> str:
    """A horizontal bar (CSS only: nothing to load, readable without scripts)."""
    share = 0 if not most else max(0.0, min(1.0, float(value or 0) / float(most)))
    return f'<span class="bar" role="img" aria-label="{esc(label)}" style="width:{share * 100:.1f}%"></span>'


def _index(rel: Release, sites: dict[str, dict]) -> str:
    """What the law requires and what we checked, the ranking with a chart, the requirements most often missed."""
    m = rel.manifest
    scores = {text(s["site_id"]): s for s in rel.scores}
    ranked = sorted(sites, key=lambda sid: (sid not in scores, _sort_number(scores.get(sid, {}).get("rank")), sid))
    county_rows = []
    for sid in ranked:
        s, sc = sites[sid], scores.get(sid)
        score = f'{esc(sc.get("score"))} / {esc(sc.get("out_of"))}' if sc else "未评分 not scored"
        chart = _bar(sc.get("score"), sc.get("out_of"), f'{text(sc.get("score"))} / {text(sc.get("out_of"))}') if sc else ""
        veto = ' <span class="veto" title="单项否决: the site fails the State Council inspection">单项否决</span>' \
            if sc and str(sc.get("inspection_failed")).lower() == "true" else ""
        county_rows.append(
            f'<tr class="county" data-site="{esc(sid)}"><td class="rank num">{esc(sc.get("rank") if sc else "")}</td>'
            f'<td class="name"><a href="county/{esc(page_name(sid))}">{esc(s.get("name"))}</a>{veto}</td>'
            f'<td class="province">{esc(s.get("province"))}</td>'
            f'<td class="score num">{score}</td><td class="chart">{chart}</td>'
            f'<td class="findings num">{esc(sc.get("findings") if sc else "")}</td></tr>')
    reqs = _requirements(rel)
    missed: dict[str, int] = {}
    for c in rel.coverage:
        if text(c.get("verdict")) in FAILING:
            missed[text(c.get("requirement_key"))] = missed.get(text(c.get("requirement_key")), 0) + 1
    top = sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    missed_rows = "".join(
        f'<tr class="missed" data-requirement="{esc(k)}"><td class="requirement">{esc(reqs.get(k, {}).get("name") or k)}'
        f' <code>{esc(k)}</code></td><td class="num">{n}</td><td class="chart">{_bar(n, len(sites), f"{n} / {len(sites)}")}'
        "</td></tr>" for k, n in top)
    body = (
        f'<h1>县级政府信息公开检查 County disclosure audit <span id="release-date">{esc(m.get("release"))}</span></h1>\n'
        f'<section id="about"><h2>检查什么 What we checked</h2>\n{INTRO}'
        f'<p class="meta">审计日 audited as of <span id="as-of">{esc(_as_of(rel))}</span> · '
        f'<span id="count-counties">{len(sites)}</span> 个县 counties · <span id="count-documents">{rel.document_count}'
        f'</span> 份文件 documents · <span id="count-findings">{rel.finding_count}</span> 个问题 findings · '
        '<a href="downloads.html">下载数据 download the data</a></p></section>\n'
        '<section id="ranking"><h2>排名 Ranking</h2>\n<div class="wide">'
        '<table id="counties"><thead><tr><th>名次 rank</th><th>县 county</th><th>省 province</th><th>得分 score</th>'
        '<th class="chart">图 chart</th><th>问题 findings</th></tr></thead>\n<tbody>\n' + "\n".join(county_rows)
        + "\n</tbody></table></div></section>\n"
        '<section id="most-missed"><h2>最常缺失的要求 Most often failed requirements</h2>\n'
        "<p>缺失、空白或未及时更新的县数 Counties where the requirement is missing, blank or stale.</p>\n"
        '<div class="wide"><table id="missed"><thead><tr><th>要求 requirement</th><th>县数 counties</th>'
        '<th class="chart">图 chart</th></tr></thead><tbody>' + missed_rows + "</tbody></table></div></section>\n"
    )
    return _page(rel, "排名 Ranking", "index.html", body)


@cache
def _dimension_points() -> dict[str, int]:
    """The points each score dimension is worth (schemas/audit.yaml, as the catalogue scored with): read once, not
    once per county page."""
    from audit.config import load_audit_config

    return {d: spec["points"] for d, spec in load_audit_config().settings["score"]["dimensions"].items()}


def _as_of(rel: Release) -> str:
    """The audit date: the latest day any county was judged as of (coverage.as_of)."""
    days = sorted({text(c.get("as_of"))[:10] for c in rel.coverage if c.get("as_of")})
    return days[-1] if days else text(rel.manifest.get("as_of"))[:10]


def _downloads(rel: Release) -> str:
    m = rel.manifest
    files = sorted(m.get("files", []), key=lambda f: text(f.get("path")))
    rows = []
    for f in files:
        path = text(f.get("path"))
        href = "../" + quote(path, safe="/")
        rows.append(
            f'<tr class="download" data-path="{esc(path)}" data-resource="{esc(f.get("resource"))}">'
            f'<td class="path"><a href="{esc(href)}">{esc(path)}</a></td>'
            f'<td class="resource">{esc(f.get("resource"))}</td><td class="format">{esc(f.get("format"))}</td>'
            f'<td class="rows num">{esc(f.get("rows"))}</td>'
            f'<td class="size num" data-bytes="{esc(f.get("bytes"))}" title="{esc(f.get("bytes"))} bytes">{esc(human_size(f.get("bytes")))}</td>'
            f'<td class="sha256"><code>{esc(f.get("sha256"))}</code></td></tr>')
    side = "".join(f'<li><a class="release-file" href="../{quote(name)}">{esc(name)}</a></li>' for name in SIDE_FILES)
    body = (
        f'<h1>下载 Downloads · <span id="release-date">{esc(m.get("release"))}</span></h1>\n'
        '<section id="release-notes"><h2>发布说明 Release notes</h2>\n<dl>\n'
        f'<dt>发布日期 Release</dt><dd>{esc(m.get("release"))}</dd>\n'
        f'<dt>许可 License</dt><dd>{_license(m)}</dd>\n'
        f'<dt>数据结构版本 Schema version</dt><dd id="schema-version">{esc(m.get("schema_version"))}</dd>\n'
        f'<dt>代码版本 Code version</dt><dd><code id="code-version">{esc(m.get("code_version"))}</code></dd>\n'
        "</dl><p>每个表格都有 Parquet 和 CSV（UTF-8，Excel 可直接打开）两种格式；各列含义见"
        '<a href="dictionary.html">数据字典</a>。校验：<code>sha256sum -c SHA256SUMS</code>。 Every table comes as '
        "Parquet and CSV; the data dictionary says what each column holds.</p></section>\n"
        '<section><h2>文件 Files</h2>\n<div class="scroll">'
        '<table id="downloads"><thead><tr><th>file</th><th>resource</th><th>format</th><th>rows</th><th>size</th>'
        '<th>sha256</th></tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table></div>\n"
        f'<ul id="release-files">{side}</ul></section>\n'
        + _history(rel)
    )
    return _page(rel, "下载 Downloads", "downloads.html", body)


def _history(rel: Release) -> str:
    """The releases before this one, and what changed since the last of them (changes.json)."""
    c = rel.changes
    if not c.get("previous"):
        return '<section id="history"><h2>发布历史 Release history</h2><p id="first-release">这是第一次发布。 ' \
               "This is the first release.</p></section>\n"
    names = {text(s.get("site_id")): text(s.get("name")) for s in rel.sites}
    scores = "".join(
        f'<tr class="score-change" data-site="{esc(s.get("site_id"))}"><td>{esc(names.get(text(s.get("site_id"))) or s.get("site_id"))}'
        f'</td><td class="num">{esc(s.get("before") if s.get("before") is not None else "–")}</td>'
        f'<td class="num">{esc(s.get("after"))}</td></tr>' for s in c.get("scores", []))
    per_site = "".join(
        f'<tr data-site="{esc(s.get("site_id"))}"><td>{esc(names.get(text(s.get("site_id"))) or s.get("site_id"))}</td>'
        f'<td class="num">{esc(s.get("new"))}</td><td class="num">{esc(s.get("resolved"))}</td></tr>'
        for s in c.get("by_site", []))
    return (
        f'<section id="history"><h2>发布历史 Release history</h2>\n<p>此前的发布 Earlier releases: '
        f'<span id="earlier">{esc(", ".join(c.get("earlier", [])))}</span></p>\n'
        f'<h3>自 <span id="previous">{esc(c.get("previous"))}</span> 以来的变化 What changed since then</h3>\n'
        f'<p>新发现问题 new findings <span id="findings-new">{esc(c.get("findings_new"))}</span> · '
        f'已解决 resolved <span id="findings-resolved">{esc(c.get("findings_resolved"))}</span></p>\n'
        + ('<div class="wide"><table id="score-changes"><thead><tr><th>县 county</th><th>之前 before</th><th>现在 now</th>'
           f'</tr></thead><tbody>{scores}</tbody></table></div>\n' if scores else '<p id="no-score-changes">得分没有变化。 No score changed.</p>\n')
        + ('<div class="wide"><table id="finding-changes"><thead><tr><th>县 county</th><th>新问题 new</th><th>已解决 resolved</th>'
           f'</tr></thead><tbody>{per_site}</tbody></table></div>\n' if per_site else "")
        + "</section>\n")


def _sort_number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def _legend() -> str:
    items = "".join(
        f'<li data-verdict="{v}"><span class="swatch v-{v}">{letter}</span> {zh} {en}'
        f'{" <em>failing</em>" if v in FAILING else ""}</li>' for v, (letter, zh, en) in VERDICTS.items())
    return (f'<ul id="legend" class="legend">{items}<li data-verdict=""><span class="swatch v-none">–</span> '
            "不适用 no coverage row</li></ul>\n")


def _requirements(rel: Release) -> dict[str, dict]:
    reqs = {text(r["key"]): r for r in rel.requirements}
    for c in rel.coverage:
        key = text(c.get("requirement_key"))
        if key and key not in reqs:
            reqs[key] = {"key": key, "name": c.get("requirement_name"), "kind": c.get("kind")}
    return dict(sorted(reqs.items()))


def _coverage_cells(rel: Release) -> dict[tuple[str, str], dict]:
    rows = sorted(rel.coverage, key=lambda c: (text(c.get("site_id")), text(c.get("requirement_key")), text(c.get("verdict"))))
    return {(text(c.get("site_id")), text(c.get("requirement_key"))): c for c in rows}


def _heatmap(rel: Release, sites: dict[str, dict]) -> str:
    reqs, cells = _requirements(rel), _coverage_cells(rel)
    head = "".join(
        f'<th scope="col" class="req" data-requirement="{esc(k)}" title="{esc(r.get("name"))} ({esc(k)})"><span>{esc(r.get("name") or k)}</span></th>'
        for k, r in reqs.items())
    per_req = {k: 0 for k in reqs}
    lines = []
    for sid, s in sites.items():
        tds, failing = [], 0
        for key, req in reqs.items():
            c = cells.get((sid, key))
            if c is None:
                tds.append(f'<td class="cell v-none" data-site="{esc(sid)}" data-requirement="{esc(key)}" data-verdict="">–</td>')
                continue
            verdict = text(c.get("verdict"))
            letter, zh, en = VERDICTS.get(verdict, ("?", verdict, verdict))
            if verdict in FAILING:
                failing += 1
                per_req[key] += 1
            tip = f"{sid} · {key} {text(req.get('name'))}: {zh} {en}"
            if c.get("rule"):
                tip += f" ({text(c.get('rule'))})"
            if c.get("items") is not None:
                tip += f"; items {text(c.get('items'))}"
            if c.get("newest_item_date") is not None:
                tip += f"; newest {text(c.get('newest_item_date'))}"
            cls = f"v-{verdict}" if verdict in VERDICTS else "v-unknown"
            # a failing cell opens the county page at that requirement's row, with its evidence
            href = f"county/{page_name(sid)}" + (f"#req-{key}" if verdict not in GAP_FREE else "")
            tds.append(f'<td class="cell {cls}" data-site="{esc(sid)}" data-requirement="{esc(key)}" '
                       f'data-verdict="{esc(verdict)}" title="{esc(tip)}"><a href="{esc(href)}">{letter}</a></td>')
        lines.append(
            f'<tr class="county" data-site="{esc(sid)}"><th scope="row" class="county-name">'
            f'<a href="county/{esc(page_name(sid))}">{esc(s.get("name"))}</a> <code class="site-id">{esc(sid)}</code></th>'
            + "".join(tds) + f'<td class="failing" data-site="{esc(sid)}">{failing}</td></tr>')
    totals = "".join(f'<td class="failing" data-requirement="{esc(k)}">{n}</td>' for k, n in per_req.items())
    total = sum(per_req.values())
    body = (
        "<h1>覆盖热力图 Coverage heatmap</h1>\n"
        f"<p>{len(sites)} 个县 counties × {len(reqs)} 项要求 requirements。点击格子查看依据的网页 (a failing cell opens "
        f"the county page at its evidence). 不合格 Failing: {', '.join(FAILING)}.</p>\n"
        + _legend()
        + '<div class="scroll"><table id="heatmap"><thead><tr><th scope="col" class="corner">county</th>'
        + head + '<th scope="col" class="failing-head" title="missing, blank, stale">failing</th></tr></thead>\n<tbody>\n'
        + "\n".join(lines) + "\n</tbody>\n"
        + f'<tfoot><tr id="failing-totals"><th scope="row">failing</th>{totals}'
        + f'<td id="failing-total" class="failing-total">{total}</td></tr></tfoot></table></div>\n'
    )
    return _page(rel, "覆盖热力图 Heatmap", "heatmap.html", body)


def _evidence(urls, snapshots: dict[str, tuple[str, str]]) -> str:
    """Each cited page's live link, and beside it the archived copy in this release (from a county page: ../../)."""
    out = []
    for u in (urls or []):
        if not text(u):
            continue
        live = link(u, cls="evidence", unlinked_cls="evidence-unlinked")
        if text(u) in snapshots:
            path, day = snapshots[text(u)]
            live += (f' <a class="archived" href="../../{esc(quote(path, safe="/"))}" title="存档副本 archived copy">'
                     f'存档 {esc(day)}</a>')
        out.append(f'<span class="cited">{live}</span>')
    return " ".join(out)


def _county(rel: Release, sid: str, site: dict, reqs: dict[str, dict], n_scored: int) -> str:
    score = next((s for s in rel.scores if text(s.get("site_id")) == sid), None)
    findings = sorted(rel.findings_of(sid),
                      key=lambda f: (SEVERITY_ORDER.get(text(f.get("severity")), 9), text(f.get("rule")),
                                     text(f.get("subject")), text(f.get("finding_id"))))
    coverage = sorted(rel.coverage_by_site.get(sid, []), key=lambda c: text(c.get("requirement_key")))
    gaps = [c for c in coverage if text(c.get("verdict")) not in GAP_FREE]
    snapshots = rel.snapshots_of(sid)
    as_of = max((text(c.get("as_of"))[:10] for c in coverage if c.get("as_of")), default="")
    parts = [f'<h1 id="county-name">{esc(site.get("name"))}</h1>\n'
             f'<p class="meta"><code id="site-id">{esc(sid)}</code> · <span id="province">{esc(site.get("province"))}</span>'
             f' · <span id="level">{esc(site.get("level"))}</span> · <span id="entry-url">{link(site.get("entry_url"))}</span>'
             f' · <a href="../heatmap.html">heatmap</a></p>\n'
             f'<p class="meta">审计日 audited as of <span id="audit-date">{esc(as_of)}</span></p>\n']
    if score:
        points = _dimension_points()
        dims = "".join(
            f'<tr data-dimension="{d}"><th scope="row">{zh} {d}</th><td id="score-{d}" class="dim-score num">'
            f'{esc(score.get(d))}</td><td class="dim-max num">/ <span id="max-{d}">{esc(points.get(d, ""))}</span></td>'
            f'<td class="chart">{_bar(score.get(d), points.get(d), text(score.get(d)) + " / " + text(points.get(d)))}</td>'
            "</tr>" for d, zh in DIMENSIONS.items() if d in score)
        parts.append(
            '<section id="score-card"><h2>得分 Score</h2>\n'
            f'<p class="score-line"><span id="score">{esc(score.get("score"))}</span> / <span id="out-of">'
            f'{esc(score.get("out_of"))}</span> · rank <span id="rank">{esc(score.get("rank"))}</span> of '
            f'<span id="rank-of">{n_scored}</span> · <span id="score-findings">{esc(score.get("findings"))}</span> findings</p>\n'
            f'<table id="breakdown"><tbody>{dims}</tbody></table></section>\n')
    else:
        parts.append('<section id="score-card"><h2>得分 Score</h2>\n'
                     '<p id="not-scored">未评分 Not scored: no harvest of this site has been parsed.</p></section>\n')
    rows = []
    for f in findings:
        sev = text(f.get("severity"))
        rows.append(
            f'<tr class="finding sev-{esc(sev)}" data-finding-id="{esc(f.get("finding_id"))}" data-rule="{esc(f.get("rule"))}" '
            f'data-severity="{esc(sev)}" data-requirement="{esc(f.get("requirement_key"))}">'
            f'<td class="severity">{esc(SEVERITY_ZH.get(sev, ""))} {esc(sev)}</td><td class="rule"><a href="#rule-{esc(f.get("rule"))}"><code>{esc(f.get("rule"))}</code></a></td>'
            f'<td class="dimension">{esc(f.get("dimension"))}</td>'
            f'<td class="subject">{link(f.get("subject_url"), f.get("subject"), cls="subject-link")}</td>'
            f'<td class="detail">{esc(f.get("detail"))}</td>'
            f'<td class="measured num">{esc(f.get("measured"))}</td><td class="threshold num">{esc(f.get("threshold"))}</td>'
            f'<td class="unit">{esc(f.get("unit"))}</td><td class="evidence-urls">{_evidence(f.get("evidence_urls"), snapshots)}</td></tr>')
    parts.append(
        f'<section><h2>问题 Findings (<span id="finding-count">{len(findings)}</span>)</h2>\n'
        + ('<div class="scroll"><table id="findings"><thead><tr><th>severity</th><th>rule</th><th>dimension</th><th>subject</th><th>detail</th>'
           '<th>measured</th><th>threshold</th><th>unit</th><th>evidence</th></tr></thead>\n<tbody>\n'
           + "\n".join(rows) + "\n</tbody></table></div>" if rows else '<p id="no-findings">None.</p>') + "</section>\n")
    used = sorted({text(f.get("rule")) for f in findings})
    if used:
        rules = {text(r.get("rule")): r for r in rel.rules}
        items = "".join(
            f'<li id="rule-{esc(r)}" data-rule="{esc(r)}"><code>{esc(r)}</code>'
            + (f' · 依据 basis: <span class="basis">{esc(rules[r].get("basis"))}</span> · {esc(rules[r].get("description"))}'
               f' · 每个问题扣 {esc(rules[r].get("cost"))} 分 (points per finding)' if r in rules else "") + "</li>"
            for r in used)
        parts.append(f'<section id="rules"><h2>规则说明 The rules behind these findings</h2>\n<ul>{items}</ul></section>\n')
    counts: dict[str, int] = {}
    for c in coverage:
        counts[text(c.get("verdict"))] = counts.get(text(c.get("verdict")), 0) + 1
    summary = "".join(f'<li data-verdict="{esc(v)}"><span class="swatch v-{esc(v)}">{VERDICTS.get(v, ("?",))[0]}</span> '
                      f'{esc(v)} <span class="count">{n}</span></li>' for v, n in sorted(counts.items()))
    gap_rows = []
    for c in gaps:
        key, verdict = text(c.get("requirement_key")), text(c.get("verdict"))
        name = c.get("requirement_name") or reqs.get(key, {}).get("name")
        gap_rows.append(
            f'<tr class="gap" id="req-{esc(key)}" data-requirement="{esc(key)}" data-verdict="{esc(verdict)}">'
            f'<td class="requirement"><code>{esc(key)}</code> {esc(name)}</td>'
            f'<td class="verdict"><span class="swatch {"v-" + verdict if verdict in VERDICTS else "v-unknown"}">'
            f'{VERDICTS.get(verdict, ("?",))[0]}</span> {esc(verdict)}</td>'
            f'<td class="rule">{esc(c.get("rule"))}</td><td class="items num">{esc(c.get("items"))}</td>'
            f'<td class="newest">{esc(c.get("newest_item_date"))}</td><td class="threshold-days num">{esc(c.get("threshold_days"))}</td>'
            f'<td class="evidence-urls">{_evidence(c.get("evidence_urls"), snapshots)}</td></tr>')
    parts.append(
        f'<section><h2>覆盖缺口 Coverage gaps (<span id="gap-count">{len(gaps)}</span> of '
        f'<span id="coverage-count">{len(coverage)}</span>)</h2>\n<ul id="verdict-counts" class="legend">{summary}</ul>\n'
        + ('<div class="scroll"><table id="gaps"><thead><tr><th>requirement</th><th>verdict</th><th>rule</th><th>items</th><th>newest item</th>'
           '<th>threshold days</th><th>evidence</th></tr></thead>\n<tbody>\n' + "\n".join(gap_rows) + "\n</tbody></table></div>"
           if gap_rows else '<p id="no-gaps">None.</p>') + "</section>\n")
    return _page(rel, text(site.get("name")) or sid, "", "".join(parts), depth=1)


def _document_batches(rel: Release, sql: str, **tables: pa.Table):
    """Rows of `sql` over the release's documents (the view `documents`, DOCUMENT_COLUMNS) and `tables`, a batch at
    a time, with DuckDB's own memory capped (it spills a large sort to disk)."""
    if not rel.document_files:
        return
    con = duckdb.connect(config={"memory_limit": "512MB"})
    try:
        available = set(pq.ParquetFile(rel.document_files[0]).schema_arrow.names)
        columns = ", ".join(c if c in available else f"NULL AS {c}" for c in DOCUMENT_COLUMNS)
        files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in rel.document_files)
        con.execute(f"CREATE VIEW documents AS SELECT {columns} FROM read_parquet([{files}])")
        for name, table in tables.items():
            con.register(name, table)
        yield from con.sql(sql).to_arrow_reader(20_000)
    finally:
        con.close()


PRELOAD_DOCS = 200_000  # up to this many documents, every province's index loads with the page; past it, on demand


def _search_sites(rel: Release, sites: dict[str, dict]) -> tuple[list[list], list[list]]:
    """([site_id, name, province index] …, [province, index file, documents] …) for the search: every county with
    documents, named by the registry (or by its site_id), grouped by province (其他 when the registry names none)."""
    counts = {text(sid): n for batch in _document_batches(
        rel, "SELECT site_id, count(*) AS n FROM documents GROUP BY site_id ORDER BY site_id")
        for sid, n in zip(batch.column("site_id").to_pylist(), batch.column("n").to_pylist(), strict=True)}
    listed = {sid: (text(s.get("name")) or sid, text(s.get("province")) or "其他") for sid, s in sites.items()}
    listed |= {sid: (sid, "其他") for sid in counts if sid not in listed}
    provinces = sorted({prov for _, prov in listed.values()})
    site_list = [[sid, name, provinces.index(prov)] for sid, (name, prov) in listed.items()]
    per = [[prov, f"search-index/p{i + 1}.js", sum(counts.get(sid, 0) for sid, (_, pv) in listed.items() if pv == prov)]
           for i, prov in enumerate(provinces)]
    return site_list, per


def _search_index(rel: Release, sites: dict[str, dict], folder: Path) -> None:
    """search-index.js (the fields, counties and provinces) and search-index/p<N>.js per province, each written a
    batch of documents at a time: newest first, then by county, doc_id, title and URL (a total order, so the same
    release gives the same bytes). A province's file is loaded when a reader picks it: a national index never
    has to load whole."""
    site_list, provinces = _search_sites(rel, sites)
    (folder / "search-index.js").write_bytes((
        "/* Gongkai search index, generated by release/site.py from documents.parquet. */\n"
        f"window.GONGKAI_DOC_FIELDS = {js_data(list(SEARCH_FIELDS))};\n"
        f"window.GONGKAI_SITES = {js_data(site_list)};\n"
        f"window.GONGKAI_PROVINCES = {js_data(provinces)};\n").encode())
    ranks = pa.table({"site_id": [s[0] for s in site_list], "site_order": list(range(len(site_list))),
                      "province": [s[2] for s in site_list]})
    (folder / "search-index").mkdir(exist_ok=True)
    for i, (_, path, _) in enumerate(provinces):
        sql = f"""SELECT d.*, r.site_order,
                        coalesce(CAST(coalesce(d.published_date, d.written_date) AS VARCHAR), '')[:10] AS day
                 FROM documents d JOIN ranks r ON r.site_id = coalesce(d.site_id, '') WHERE r.province = {i}
                 ORDER BY day DESC, r.site_order, coalesce(d.doc_id, ''), coalesce(d.title, ''), coalesce(d.url, '')"""
        with open(folder / path, "wb") as out:
            out.write(b"window.GONGKAI_ADD([")
            sep = ""
            for batch in _document_batches(rel, sql, ranks=ranks):
                rows = [[text(d["doc_id"]), text(d["title"]), text(d["doc_no"]), text(d["publisher"]),
                         text(d["index_no"]), http_url(d["url"]) or "", d["site_order"], d["day"]]
                        for d in batch.to_pylist()]
                if rows:
                    out.write((sep + js_data(rows)[1:-1]).encode("utf-8"))
                    sep = ","
            out.write(b"]);\n")


def _dictionary(rel: Release) -> str:
    """Every table of the release with its fields, their types and descriptions, as datapackage.json gives them."""
    parts = ["<h1>数据字典 Data dictionary</h1>\n<p>Every table of this release and what each column holds, as "
             "<code>datapackage.json</code> describes it (the same text is in the catalogue's column comments).</p>"]
    seen = set()
    for res in rel.package.get("resources", []):
        if res.get("type") != "table" or (name := text(res.get("name")).removesuffix("-csv").split("-csv-")[0]) in seen:
            continue
        seen.add(name)
        rows = "".join(f'<tr><td><code>{esc(f.get("name"))}</code></td><td>{esc(f.get("type"))}</td>'
                       f'<td>{esc(f.get("description"))}</td></tr>' for f in res.get("schema", {}).get("fields", []))
        parts.append(f'<section id="{esc(name)}"><h2>{esc(res.get("title"))} <code>{esc(name)}</code></h2>'
                     f'<p>{esc(res.get("description"))}</p><div class="scroll"><table class="dictionary"><thead><tr>'
                     f'<th>column</th><th>type</th><th>description</th></tr></thead><tbody>{rows}</tbody></table>'
                     "</div></section>")
    return _page(rel, "数据字典 Data dictionary", "dictionary.html", "\n".join(parts))


def _search(rel: Release, sites: dict[str, dict]) -> str:
    _, provinces = _search_sites(rel, sites)
    preload = rel.document_count <= PRELOAD_DOCS
    options = "".join(f'<option value="{i}">{esc(name)} ({n})</option>' for i, (name, _, n) in enumerate(provinces))
    body = (
        "<h1>文件检索 Document search</h1>\n"
        '<form id="search-form" action="search.html" method="get" role="search">'
        '<label for="q">标题、文号、发布机构、索引号 Title, 文号, publisher, index number</label> '
        '<input id="q" name="q" type="search" autocomplete="off" autofocus> <button type="submit">检索 Search</button>'
        '<div class="filters"><label>省 province <select id="province" name="province">'
        f'<option value="">{"全部 all" if preload else "请选择 choose one"}</option>{options}</select></label> '
        '<label>县 county <select id="county" name="county"><option value="">全部 all</option></select></label> '
        '<label>从 from <input id="from" name="from" type="date"></label> '
        '<label>到 to <input id="to" name="to" type="date"></label></div></form>\n'
        f'<p class="status"><span id="hits">0</span> hits of <span id="doc-total">{rel.document_count}</span> documents'
        f' <span id="truncated" hidden>(showing the first {RESULT_LIMIT})</span>'
        f' <span id="loading" hidden>载入中 loading …</span></p>\n'
        '<noscript><p>Search needs JavaScript; the documents are in ../documents.parquet.</p></noscript>\n'
        '<ol id="results"></ol>\n'
    )
    # small releases load every province with the page; large ones one province at a time, when it is chosen
    scripts = ("search-index.js", "search.js", *([path for _, path, _ in provinces] if preload else []))
    return _page(rel, "文件检索 Search", "search.html", body, scripts=scripts)


SEARCH_JS = r"""/* Gongkai document search: case-insensitive substring search over title, 文号, publisher and 索引号.
   Whitespace separates terms that must all match; the results can be narrowed to a province, a county and a date
   range. Each province's documents are in search-index/p<N>.js, loaded with the page for a small release and when
   its province is chosen for a large one. Results are built with DOM methods and textContent only. */
(function () {
  "use strict";
  var sites = window.GONGKAI_SITES || [], provinces = window.GONGKAI_PROVINCES || [];
  var docs = [], hay = [], loaded = {}, waiting = 0;
  var LIMIT = __LIMIT__;
  var F = {id: 0, title: 1, docNo: 2, publisher: 3, indexNo: 4, url: 5, site: 6, date: 7};
  function norm(s) { s = String(s == null ? "" : s); return (s.normalize ? s.normalize("NFKC") : s).toLowerCase(); }
  function $(id) { return document.getElementById(id); }
  var input = $("q"), hits = $("hits"), list = $("results"), truncated = $("truncated"), loading = $("loading");
  var province = $("province"), county = $("county"), from = $("from"), to = $("to");

  window.GONGKAI_ADD = function (rows) {
    for (var i = 0; i < rows.length; i++) {
      var d = rows[i];
      docs.push(d);
      hay.push(norm([d[F.title], d[F.docNo], d[F.publisher], d[F.indexNo]].join("\n")));
      var site = sites[d[F.site]];
      if (site) { loaded[site[2]] = true; }
    }
    search(input.value);
  };

  function span(cls, value) {
    var el = document.createElement("span");
    el.className = cls;
    el.textContent = value;
    return el;
  }

  function row(d) {
    var li = document.createElement("li"), title;
    li.className = "result";
    li.setAttribute("data-doc", d[F.id]);
    if (/^https?:\/\//i.test(d[F.url])) {
      title = document.createElement("a");
      title.href = d[F.url];
      title.rel = "noopener noreferrer nofollow";
    } else {
      title = document.createElement("span");
    }
    title.className = "title";
    title.textContent = d[F.title] || "(无标题)";
    li.appendChild(title);
    var meta = document.createElement("div");
    meta.className = "result-meta";
    var site = sites[d[F.site]] || ["", "", -1];
    meta.appendChild(span("county", site[1]));
    meta.appendChild(span("date", d[F.date]));
    if (d[F.docNo]) { meta.appendChild(span("doc-no", d[F.docNo])); }
    if (d[F.publisher]) { meta.appendChild(span("publisher", d[F.publisher])); }
    if (d[F.indexNo]) { meta.appendChild(span("index-no", d[F.indexNo])); }
    li.appendChild(meta);
    return li;
  }

  function search(query) {
    var terms = norm(query).split(/\s+/).filter(Boolean), n = 0, frag = document.createDocumentFragment();
    var p = province.value, c = county.value, lo = from.value, hi = to.value;
    if (terms.length) {
      for (var i = 0; i < docs.length; i++) {
        var d = docs[i], site = sites[d[F.site]] || ["", "", -1];
        if ((p !== "" && String(site[2]) !== p) || (c !== "" && site[0] !== c)) { continue; }
        if ((lo && !(d[F.date] >= lo)) || (hi && !(d[F.date] <= hi))) { continue; }
        var h = hay[i], ok = true;
        for (var t = 0; t < terms.length && ok; t++) { ok = h.indexOf(terms[t]) !== -1; }
        if (ok) { n++; if (n <= LIMIT) { frag.appendChild(row(d)); } }
      }
    }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.appendChild(frag);
    hits.textContent = String(n);
    truncated.hidden = n <= LIMIT;
    return n;
  }

  function load(index) {  /* a province's index, once: a script element (fetch() of a file: URL is refused) */
    if (loaded[index] || !provinces[index]) { return; }
    loaded[index] = true;
    waiting++;
    loading.hidden = false;
    var tag = document.createElement("script");
    tag.src = provinces[index][1];
    tag.onload = tag.onerror = function () { waiting--; loading.hidden = waiting === 0; search(input.value); };
    document.body.appendChild(tag);
  }

  function counties() {  /* the county list follows the province */
    var keep = county.value;
    while (county.options.length > 1) { county.remove(1); }
    for (var i = 0; i < sites.length; i++) {
      if (province.value === "" || String(sites[i][2]) === province.value) {
        var o = document.createElement("option");
        o.value = sites[i][0];
        o.textContent = sites[i][1];
        county.appendChild(o);
      }
    }
    county.value = keep;
    if (county.value !== keep) { county.value = ""; }
  }

  window.gongkaiSearch = search;
  input.addEventListener("input", function () { search(input.value); });
  province.addEventListener("change", function () {
    counties();
    if (province.value !== "") { load(Number(province.value)); }
    search(input.value);
  });
  [county, from, to].forEach(function (el) { el.addEventListener("change", function () { search(input.value); }); });
  $("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    search(input.value);
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  if (params.get("province") && provinces[Number(params.get("province"))]) { province.value = params.get("province"); }
  counties();
  if (params.get("county")) { county.value = params.get("county"); }
  if (province.value !== "") { load(Number(province.value)); }
  search(input.value);
}());
""".replace("__LIMIT__", str(RESULT_LIMIT))


STYLE_CSS = """/* Gongkai release site */
:root { --fg: #1b1f24; --muted: #5b6470; --line: #d5dae0; --bg: #fff; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline; padding: .6rem 1rem;
  border-bottom: 1px solid var(--line); background: #f6f8fa; }
.brand { font-weight: 600; }
nav a { margin-right: 1rem; color: var(--accent); text-decoration: none; }
nav a[aria-current="page"] { font-weight: 600; text-decoration: underline; }
main { padding: 1rem; max-width: 100%; overflow-wrap: anywhere; }
footer { padding: 1rem; color: var(--muted); border-top: 1px solid var(--line); font-size: 13px; }
a { color: var(--accent); }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.sha256 code { font-size: 12px; word-break: break-all; }
.scroll { overflow: auto; max-height: 85vh; }
.wide { overflow-x: auto; }
th, td { overflow-wrap: normal; }
td.num, td.score { white-space: nowrap; }
@media (max-width: 600px) {
  main { padding: .5rem; }
  #counties .province, #counties th:nth-child(3) { display: none; }
  td.chart { min-width: 3rem; }
}
#heatmap { font-size: 12px; }
#heatmap th, #heatmap td { padding: .15rem .3rem; }
#heatmap thead th { position: sticky; top: 0; z-index: 2; }
#heatmap th.req { font-weight: normal; vertical-align: bottom; text-align: center; }
#heatmap th.req span { display: block; width: 1em; max-height: 11em; overflow: hidden; margin: 0 auto; white-space: normal;
  word-break: break-all; line-height: 1.1; }
#heatmap thead th.corner { left: 0; z-index: 3; }
#heatmap tbody th { position: sticky; left: 0; background: #fff; z-index: 1; white-space: nowrap; }
#heatmap td.cell { text-align: center; font-weight: 600; min-width: 1.6em; }
td.failing, td.failing-total { text-align: right; font-weight: 600; background: #f6f8fa; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
.swatch { display: inline-block; min-width: 1.5em; text-align: center; font-weight: 600; border: 1px solid var(--line); }
.v-present { background: #c8e6c9; color: #1b5e20; }
.v-blank_with_note { background: #e6f0c2; color: #4a5a12; }
.v-blank { background: #ffe0b2; color: #8a4b00; }
.v-stale { background: #fff3a0; color: #6b5a00; }
.v-missing { background: #ffcdd2; color: #b71c1c; }
.v-not_harvested { background: #e0e0e0; color: #424242; }
.v-none { background: #fff; color: #9aa3ad; }
.v-unknown { background: #e1d5f0; color: #4a148c; }
tr.sev-high td.severity { color: #b71c1c; font-weight: 600; }
tr.sev-medium td.severity { color: #8a4b00; }
.bar { display: inline-block; height: .8rem; min-width: 1px; background: var(--accent); vertical-align: middle; }
td.chart { width: 30%; min-width: 6rem; }
.veto { margin-left: .4rem; padding: 0 .3rem; font-size: 12px; color: #fff; background: #b71c1c; border-radius: 3px; }
#heatmap tfoot th { position: sticky; left: 0; z-index: 1; background: #fff; }
#heatmap td.cell a { color: inherit; text-decoration: none; display: block; }
.en { color: var(--muted); font-size: 14px; }
.evidence-urls .cited { display: block; word-break: break-all; font-size: 13px; }
.evidence-urls a.archived { margin-left: .4rem; white-space: nowrap; }
.unlinked, .evidence-unlinked { color: var(--muted); }
#search-form input { font-size: 1rem; width: min(40rem, 90%); padding: .3rem; }
#results { padding-left: 1.5rem; }
#results li { margin: .4rem 0; }
.result-meta { color: var(--muted); font-size: 13px; }
.result-meta span { margin-right: 1rem; }
"""


def pages(rel: Release):
    """Every file of the site as (path relative to site/, content), one at a time: a county page is written before
    the next is rendered."""
    sites = _site_names(rel)
    reqs = _requirements(rel)
    n_scored = len(rel.scores)
    yield "style.css", STYLE_CSS
    yield "search.js", SEARCH_JS
    yield "index.html", _index(rel, sites)
    yield "heatmap.html", _heatmap(rel, sites)
    yield "search.html", _search(rel, sites)
    yield "downloads.html", _downloads(rel)
    yield "dictionary.html", _dictionary(rel)
    for sid, site in sites.items():
        yield f"county/{page_name(sid)}", _county(rel, sid, site, reqs, n_scored)


def build_site(release_dir: Path) -> Path:
    """Write <release_dir>/site/ (replacing an earlier one) and return the path of its index.html."""
    release_dir = Path(release_dir)
    rel = load_release(release_dir)
    out, tmp = release_dir / SITE_DIR, release_dir / f".{SITE_DIR}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    for rel_path, content in pages(rel):
        path = tmp / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
    _search_index(rel, _site_names(rel), tmp)  # streamed: together they hold every document
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out / "index.html"
