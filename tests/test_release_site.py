"""The public static site inside a release (release/site/), driven in headless Chromium from file:// URLs.

A small release is written here (three counties, five requirements, coverage with every verdict, findings, scores,
twenty documents, a manifest), with hostile harvested text: a document title carrying <img onerror> and <script>,
a finding subject with <img onerror>, a finding's evidence URL and a document URL that are ``javascript:``.

What the pages expose (selectors for browser tests):

* every page: ``nav#nav`` (links to index.html, heatmap.html, search.html), ``style.css``; no network requests.
* ``site/index.html``: ``#release-date``, ``#code-version``, ``#schema-version``, ``a#license``,
  ``#count-counties``, ``#count-documents``, ``#count-findings``; ``table#downloads`` with one
  ``tr.download[data-path][data-resource]`` per manifest file (cells ``td.path a``, ``td.resource``, ``td.format``,
  ``td.rows``, ``td.size[data-bytes]``, ``td.sha256 code``); ``ul#release-files a.release-file`` (SHA256SUMS,
  datapackage.json, README.md); ``table#counties tr.county[data-site]`` (``td.rank``, ``td.name a``, ``td.score``,
  ``td.findings``).
* ``site/heatmap.html``: ``table#heatmap``; header ``th.req[data-requirement][title=<Chinese name>]``; rows
  ``tr.county[data-site]`` whose ``th.county-name a`` links to the county page; cells
  ``td.cell[data-site][data-requirement][data-verdict]`` holding a letter (P present, N blank_with_note, B blank,
  S stale, M missing, U not_harvested; ``–`` with ``data-verdict=""`` where coverage has no row); failing cells
  (missing, blank, stale) counted in ``td.failing[data-site]`` (per county), ``td.failing[data-requirement]`` in
  ``tr#failing-totals`` (per requirement) and ``td#failing-total``; the legend ``ul#legend li[data-verdict]``.
* ``site/county/<site_id>.html``: ``#county-name``, ``#site-id``, ``#province``, ``#level``, ``#entry-url``; scored:
  ``#score``, ``#out-of``, ``#rank``, ``#rank-of``, ``#score-findings``, ``#score-<dimension>`` in
  ``table#breakdown tr[data-dimension]``; not scored: ``#not-scored``. ``#finding-count``; ``table#findings
  tr.finding[data-finding-id][data-rule][data-severity][data-requirement]`` (cells ``td.severity``, ``td.rule``,
  ``td.dimension``, ``td.subject``, ``td.detail``, ``td.measured``, ``td.threshold``, ``td.unit``,
  ``td.evidence-urls`` holding ``a.evidence`` for http(s) URLs and ``span.evidence-unlinked`` for anything else);
  ``#gap-count``, ``#coverage-count``, ``ul#verdict-counts li[data-verdict] .count``, ``table#gaps
  tr.gap[data-requirement][data-verdict]`` (every verdict but present and blank_with_note).
* ``site/search.html``: ``input#q`` (also read from ``?q=``), ``form#search-form``, ``#hits`` (all hits),
  ``#doc-total``, ``#truncated`` (shown past 200 results), ``ol#results li.result[data-doc=<doc_id>]`` with
  ``.title`` (an ``a`` to the source URL when it is http(s), else a ``span``), ``.county``, ``.date``, ``.doc-no``,
  ``.publisher``, ``.index-no``. ``window.gongkaiSearch(query)`` runs a search and returns the hit count.
  ``select#province``, ``select#county``, ``input#from``, ``input#to`` narrow the results; ``#loading`` shows while a
  province's index loads. ``site/search-index.js`` sets ``window.GONGKAI_DOC_FIELDS``, ``window.GONGKAI_SITES``
  ([site_id, name, province index] …) and ``window.GONGKAI_PROVINCES`` ([name, file, documents] …); each
  ``site/search-index/p<N>.js`` calls ``window.GONGKAI_ADD([[doc_id, title, doc_no, publisher, index_no, url,
  site index, date] …])`` with its province's documents.

``browse(release_dir, browser=None)`` is the reusable part: ``with browse(release, browser) as open_page:`` then
``page = open_page("heatmap.html")``; ``open_page.errors`` collects console errors, page errors and any request
that is not file: or data:.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from gongkai.release.site import build_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
RELEASE = "2026-11-21"
AS_OF = date(2026, 11, 20)

# ── the release written for the test ──────────────────────────────────────────────────────────────────────────

SITES = [
    # site_id, name, level, province, entry_url, adapter
    ("130123-zhengding", "正定县", "county", "河北省", "https://www.zd.gov.cn/", "hanweb"),
    ("441523-luhe", "陆河县", "county", "广东省", "http://www.luhe.gov.cn/", "gkmlpt"),
    ("510116-shuangliu", "双流区", "district", "四川省", "https://www.shuangliu.gov.cn/", "generic"),
]
ZD, LH, SL = (s[0] for s in SITES)
REQUIREMENTS = [
    # key, name, basis, req_group, kind, applies_to, freshness
    ("platform_guide", "政府信息公开指南", "条例 第十二条", "platform", "column", "county", "none"),
    ("art20_01_normative_docs", "行政法规、规章和规范性文件", "条例 第二十条第（一）项", "art20", "column", "county",
     "notices_policy"),
    ("art20_07_budget", "财政预算、决算信息", "条例 第二十条第（七）项", "art20", "column", "county", "personnel_plans"),
    ("art20_14_recruitment", "公务员招考的职位、名额、报考条件等事项以及录用结果", "条例 第二十条第（十四）项", "art20",
     "column", "county", "personnel_plans"),
    # a name with quotes and markup: the heatmap's title attribute must carry it exactly
    ("annual_report", '政府信息公开"年度报告"<b>', "条例 第四十九条", "report", "report", "county", "none"),
]
REQ_NAMES = {r[0]: r[1] for r in REQUIREMENTS}
# site → requirement → verdict; no row for (双流区, annual_report)
COVERAGE = {
    ZD: {"platform_guide": "present", "art20_01_normative_docs": "missing", "art20_07_budget": "stale",
         "art20_14_recruitment": "blank", "annual_report": "blank_with_note"},
    LH: {"platform_guide": "missing", "art20_01_normative_docs": "missing", "art20_07_budget": "blank_with_note",
         "art20_14_recruitment": "present", "annual_report": "present"},
    SL: {"platform_guide": "not_harvested", "art20_01_normative_docs": "not_harvested",
         "art20_07_budget": "not_harvested", "art20_14_recruitment": "not_harvested"},
}
FAILING = {"missing", "blank", "stale"}
LETTERS = {"present": "P", "blank_with_note": "N", "blank": "B", "stale": "S", "missing": "M", "not_harvested": "U"}

HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">《测试》<script>window.__pwned=2</script>'
HOSTILE_SUBJECT = '<img src=x onerror="window.__pwned=4">关于2024年财政预算的公告'
JS_EVIDENCE = "javascript:window.__pwned=3"
FINDINGS = [
    # finding_id, site_id, rule, severity, dimension, requirement_key, subject, subject_url, measured, threshold,
    # unit, detail, evidence_urls
    ("f-zd-1", ZD, "column_missing", "high", "completeness", "art20_01_normative_docs", "行政法规、规章和规范性文件", None,
     0.0, 1.0, "columns", "未设置规范性文件栏目", ["https://www.zd.gov.cn/xxgk/"]),
    ("f-zd-2", ZD, "stale_column", "medium", "timeliness", "art20_07_budget", "财政预决算",
     "https://www.zd.gov.cn/xxgk/czyjs/", 412.0, 365.0, "days", "栏目 412 天未更新",
     ["https://www.zd.gov.cn/xxgk/czyjs/", JS_EVIDENCE]),
    ("f-zd-3", ZD, "proactive_late", "low", "timeliness", "art20_07_budget", HOSTILE_SUBJECT,
     "https://www.zd.gov.cn/art/2024/5/1/art_1.html", 27.0, 20.0, "working_days", "成文后 27 个工作日才公开",
     ["https://www.zd.gov.cn/art/2024/5/1/art_1.html"]),
    ("f-zd-4", ZD, "blank_column", "medium", "completeness", "art20_14_recruitment", "人事信息",
     "https://www.zd.gov.cn/xxgk/rsxx/", 0.0, 1.0, "items", "空栏目且无说明", ["https://www.zd.gov.cn/xxgk/rsxx/"]),
    ("f-lh-1", LH, "column_missing", "high", "completeness", "platform_guide", "政府信息公开指南", None,
     0.0, 1.0, "columns", "未设置政府信息公开指南栏目", ["http://www.luhe.gov.cn/"]),
    ("f-lh-2", LH, "column_missing", "high", "completeness", "art20_01_normative_docs", "行政法规、规章和规范性文件", None,
     0.0, 1.0, "columns", "未设置规范性文件栏目", ["http://www.luhe.gov.cn/"]),
]
SCORES = [
    # rank, site_id, name, province, score, out_of, completeness, timeliness, interpretation, accuracy, findings
    (1, LH, "陆河县", "广东省", 80, 100, 20, 30, 15, 15, 2),
    (2, ZD, "正定县", "河北省", 71, 100, 28, 13, 15, 15, 4),
]
# doc_id, site_id, title, doc_no, publisher, index_no, published_date, url
DOCUMENTS = [
    (f"{ZD}-{i:03d}", ZD, title, f"正政发〔2024〕{i}号", "正定县人民政府", f"000014349/2024-{i:05d}", date(2024, 3, i),
     f"https://www.zd.gov.cn/art/2024/3/{i}/art_{i}.html")
    for i, title in enumerate(["关于印发正定县农村人居环境整治方案的通知", "正定县2024年政府工作报告",
                               "关于开展PM2.5专项整治行动的通知", "正定县关于做好春耕生产工作的通知",
                               "正定县国民经济和社会发展统计公报", "关于调整最低工资标准的通知",
                               "正定县防汛应急预案"], start=1)
] + [
    (f"{LH}-{i:03d}", LH, title, f"陆府〔2023〕{i}号", "陆河县人民政府办公室", f"11441523007/2023-{i:04d}",
     date(2023, 6, i), f"http://www.luhe.gov.cn/xxgk/content/post_{100 + i}.html")
    for i, title in enumerate(["陆河县2023年财政预算执行情况", "关于公布陆河县权责清单的通知",
                               "陆河县公务员招录公告", "陆河县城乡建设规划（2021—2035年）", "陆河县义务教育招生方案",
                               "关于进一步加强安全生产工作的意见"], start=1)
] + [
    (f"{SL}-{i:03d}", SL, title, f"双府发〔2025〕{i}号", "成都市双流区人民政府", f"SL-2025-{i:04d}",
     date(2025, 1, i), f"https://www.shuangliu.gov.cn/slqrmzf/c1/{i}.shtml")
    for i, title in enumerate(["双流区营商环境优化行动方案", "双流区养老服务补贴办法",
                               "关于做好双流区2025年元旦春节期间有关工作的通知", "双流区行政许可事项清单"], start=1)
] + [
    (f"{ZD}-900", ZD, HOSTILE_TITLE, "正政办〔2024〕99号", "正定县人民政府办公室", "000014349/2024-00099",
     date(2024, 9, 9), "https://www.zd.gov.cn/art/2024/9/9/art_99.html"),
    (f"{LH}-901", LH, "关于招标公告的更正\u2028（第二次）", "陆府函〔2023〕88号", "陆河县人民政府", "11441523007/2023-0088",
     date(2023, 8, 8), JS_EVIDENCE.replace("3", "5")),
    (f"{SL}-902", SL, "双流区政府信息公开工作年度报告 & 附表", None, None, None, None,
     "https://www.shuangliu.gov.cn/slqrmzf/c2/902.shtml"),
    (f"{SL}-903", SL, "双流区关于<征收>集体土地的公告", "双府告〔2025〕3号", "成都市双流区规划和自然资源局", None,
     date(2025, 2, 3), "https://www.shuangliu.gov.cn/slqrmzf/c2/903.shtml"),
]
MANIFEST_FILES = {  # resource → path (one in a sub-folder)
    "sites": "sites.parquet", "requirements": "requirements.parquet", "coverage": "coverage.parquet",
    "findings": "findings.parquet", "county_scores": "county_scores.parquet", "documents": "documents.parquet",
    "attachments": "extra/attachments.parquet",
}
SIDE_FILES = ("SHA256SUMS", "datapackage.json", "README.md", "changes.json")


def _tables() -> dict[str, pa.Table]:
    urls = pa.list_(pa.string())
    return {
        "sites": pa.table({k: [s[i] for s in SITES] for i, k in
                           enumerate(["site_id", "name", "level", "province", "entry_url", "adapter"])}),
        "requirements": pa.table({k: [r[i] for r in REQUIREMENTS] for i, k in
                                  enumerate(["key", "name", "basis", "req_group", "kind", "applies_to", "freshness"])}),
        "coverage": pa.table({
            "site_id": [s for s, row in COVERAGE.items() for _ in row],
            "requirement_key": [k for row in COVERAGE.values() for k in row],
            "requirement_name": [REQ_NAMES[k] for row in COVERAGE.values() for k in row],
            "kind": ["column" for row in COVERAGE.values() for _ in row],
            "verdict": [v for row in COVERAGE.values() for v in row.values()],
            "rule": [None if v == "present" else f"rule_{v}" for row in COVERAGE.values() for v in row.values()],
            "columns": pa.array([1 if v != "missing" else 0 for row in COVERAGE.values() for v in row.values()], pa.int64()),
            "items": pa.array([3 if v in ("present", "stale") else 0 for row in COVERAGE.values() for v in row.values()],
                              pa.int64()),
            "newest_item_date": pa.array([date(2025, 9, 1) if v == "stale" else None
                                          for row in COVERAGE.values() for v in row.values()], pa.date32()),
            "threshold_days": pa.array([365 if v == "stale" else None for row in COVERAGE.values() for v in row.values()],
                                       pa.int32()),
            "as_of": pa.array([AS_OF for row in COVERAGE.values() for _ in row], pa.date32()),
            "report_year": pa.array([2025 for row in COVERAGE.values() for _ in row], pa.int32()),
            "evidence_urls": pa.array([[] if v == "not_harvested" else [f"https://example.gov.cn/{s}/{k}/"]
                                       for s, row in COVERAGE.items() for k, v in row.items()], urls),
        }),
        "findings": pa.table({
            **{k: [f[i] for f in FINDINGS] for i, k in enumerate(
                ["finding_id", "site_id", "rule", "severity", "dimension", "requirement_key", "subject", "subject_url"])},
            "measured": pa.array([f[8] for f in FINDINGS], pa.float64()),
            "threshold": pa.array([f[9] for f in FINDINGS], pa.float64()),
            "unit": [f[10] for f in FINDINGS], "detail": [f[11] for f in FINDINGS],
            "evidence_urls": pa.array([f[12] for f in FINDINGS], urls),
            "as_of": pa.array([AS_OF] * len(FINDINGS), pa.date32()),
        }),
        "county_scores": pa.table({
            "rank": pa.array([s[0] for s in SCORES], pa.int64()),
            "site_id": [s[1] for s in SCORES], "name": [s[2] for s in SCORES], "province": [s[3] for s in SCORES],
            # DuckDB's sum() of integers arrives as DECIMAL(38, 0)
            **{k: pa.array([Decimal(s[i]) for s in SCORES], pa.decimal128(38, 0)) for i, k in
               enumerate(["score", "out_of", "completeness", "timeliness", "interpretation", "accuracy", "findings"], 4)},
        }),
        "documents": pa.table({
            "doc_id": [d[0] for d in DOCUMENTS], "site_id": [d[1] for d in DOCUMENTS],
            "url": [d[7] for d in DOCUMENTS], "column_path": ["信息公开/政策文件" for _ in DOCUMENTS],
            "title": [d[2] for d in DOCUMENTS], "index_no": [d[5] for d in DOCUMENTS], "doc_no": [d[3] for d in DOCUMENTS],
            "publisher": [d[4] for d in DOCUMENTS],
            "written_date": pa.array([d[6] for d in DOCUMENTS], pa.date32()),
            "published_date": pa.array([d[6] for d in DOCUMENTS], pa.date32()),
            "validity": ["有效" for _ in DOCUMENTS], "topic": [None for _ in DOCUMENTS],
            "body_text": ["正文" for _ in DOCUMENTS],  # a column the site ignores
        }),
        "attachments": pa.table({"doc_id": [DOCUMENTS[0][0]], "name": ["附件1.pdf"]}),
    }


def write_release(release_dir: Path) -> Path:
    """The test's release: every Parquet file, SHA256SUMS / datapackage.json / README.md and manifest.json."""
    release_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for resource, table in _tables().items():
        path = release_dir / MANIFEST_FILES[resource]
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
        data = path.read_bytes()
        files.append({"path": MANIFEST_FILES[resource], "resource": resource, "format": "parquet", "rows": table.num_rows,
                      "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    (release_dir / "SHA256SUMS").write_text("".join(f"{f['sha256']}  {f['path']}\n" for f in files), encoding="utf-8")
    (release_dir / "datapackage.json").write_text(json.dumps({"name": "gongkai", "resources": []}), encoding="utf-8")
    (release_dir / "README.md").write_text("# Gongkai release\n", encoding="utf-8")
    (release_dir / "changes.json").write_text(json.dumps({"previous": None, "earlier": []}), encoding="utf-8")
    manifest = {"release": RELEASE, "schema_version": 2, "code_version": "0123456789abcdef0123456789abcdef01234567",
                "created_at": "2026-11-21T07:30:00+08:00", "license": "CC-BY-4.0", "files": files}
    (release_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return release_dir


# ── the browser ─────────────────────────────────────────────────────────────────────────────────────────────────


def launch_chromium(playwright):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the release-site tests drive Debian's Chromium "
                    "(apt-get install chromium); they are not skipped without it")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class Pages:
    """Opens pages of <release_dir>/site/ in one browser context; collects console errors, page errors and every
    request that is neither file: nor data: (the site must fetch nothing from the network) in ``errors``."""

    def __init__(self, context, site_dir: Path):
        self.context, self.site_dir, self.errors = context, site_dir, []

    def url(self, path: str = "index.html") -> str:
        path, _, query = path.partition("?")
        return (self.site_dir / path).as_uri() + (f"?{query}" if query else "")

    def __call__(self, path: str = "index.html"):
        page = self.context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"{path}: console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"{path}: page error: {exc}"))
        page.on("request", lambda req: req.url.startswith(("file:", "data:"))
                or self.errors.append(f"{path}: network request: {req.url}"))
        page.goto(self.url(path), wait_until="load")
        return page


@contextmanager
def browse(release_dir: Path, browser=None) -> Iterator[Pages]:
    """``with browse(release_dir) as open_page: page = open_page("county/441523-luhe.html")``. Pass a running
    Playwright ``browser`` when there is one (the sync API cannot start twice in one thread); else Chromium is
    launched here and closed at the end."""
    site_dir = Path(release_dir) / "site"
    if browser is None:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            own = launch_chromium(p)
            try:
                with browse(release_dir, own) as pages:
                    yield pages
            finally:
                own.close()
        return
    context = browser.new_context(java_script_enabled=True, service_workers="block")
    try:
        yield Pages(context, site_dir)
    finally:
        context.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    release_dir = write_release(tmp_path_factory.mktemp("releases") / RELEASE)
    index = build_site(release_dir)
    assert index == release_dir / "site" / "index.html"
    return release_dir


@pytest.fixture()
def open_page(release, browser):
    with browse(release, browser) as pages:
        yield pages
        assert pages.errors == []


def texts(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")


def pwned(page):
    return page.evaluate("() => typeof window.__pwned === 'undefined' ? null : window.__pwned")


def site_files(release_dir: Path) -> dict[str, bytes]:
    site = release_dir / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def all_pages(release_dir: Path) -> list[str]:
    return sorted(path for path in site_files(release_dir) if path.endswith(".html"))


# ── tests ───────────────────────────────────────────────────────────────────────────────────────────────────────


def test_heatmap_verdicts_and_failing_counts(release, open_page):
    page = open_page("heatmap.html")
    cells = {(s, r): (v, letter) for s, r, v, letter in page.eval_on_selector_all(
        "td.cell", "els => els.map(e => [e.dataset.site, e.dataset.requirement, e.dataset.verdict, e.textContent])")}
    expected = {(s, r): (COVERAGE[s].get(r, ""), LETTERS.get(COVERAGE[s].get(r), "–")) for s in COVERAGE for r in REQ_NAMES}
    assert cells == expected
    assert cells[(ZD, "art20_07_budget")] == ("stale", "S") and cells[(SL, "annual_report")] == ("", "–")
    assert page.get_attribute(f'td.cell[data-site="{LH}"][data-requirement="platform_guide"]', "class") == "cell v-missing"

    per_site = {s: sum(v in FAILING for v in row.values()) for s, row in COVERAGE.items()}
    per_req = {r: sum(COVERAGE[s].get(r) in FAILING for s in COVERAGE) for r in REQ_NAMES}
    assert per_site == {ZD: 3, LH: 2, SL: 0}  # the fixture is what the test means it to be
    assert {s: int(page.text_content(f'td.failing[data-site="{s}"]')) for s in COVERAGE} == per_site
    assert {r: int(page.text_content(f'#failing-totals td.failing[data-requirement="{r}"]')) for r in REQ_NAMES} == per_req
    assert int(page.text_content("#failing-total")) == sum(per_site.values()) == 5

    # rows and columns: every county once, in site_id order; the header shows the Chinese name exactly (the key in
    # its tooltip)
    assert page.eval_on_selector_all("tr.county", "els => els.map(e => e.dataset.site)") == sorted(COVERAGE)
    headers = page.eval_on_selector_all("th.req", "els => els.map(e => [e.dataset.requirement, e.title, e.textContent])")
    assert sorted(headers) == sorted([k, f"{name} ({k})", name] for k, name in REQ_NAMES.items())
    # a failing cell opens the county page at that requirement's row, with its evidence
    failing = page.locator('td.cell[data-verdict="missing"] a').first
    href = failing.get_attribute("href")
    assert re.fullmatch(r"county/[^#]+\.html#req-[a-z0-9_]+", href), href
    assert set(page.eval_on_selector_all("#legend li", "els => els.map(e => e.dataset.verdict)")) == set(LETTERS) | {""}

    # a county name links to its page
    page.click(f'tr.county[data-site="{LH}"] th.county-name a')
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/site/county/{LH}.html")
    assert page.text_content("#county-name") == "陆河县"


def test_county_page_score_findings_and_gaps(open_page):
    page = open_page(f"county/{ZD}.html")
    assert page.text_content("#county-name") == "正定县"
    assert page.text_content("#site-id") == ZD
    assert (page.text_content("#score"), page.text_content("#out-of"), page.text_content("#rank")) == ("71", "100", "2")
    assert page.text_content("#rank-of") == "2" and page.text_content("#score-findings") == "4"
    assert {d: page.text_content(f"#score-{d}") for d in ("completeness", "timeliness", "interpretation", "accuracy")} \
        == {"completeness": "28", "timeliness": "13", "interpretation": "15", "accuracy": "15"}

    mine = [f for f in FINDINGS if f[1] == ZD]
    rows = page.eval_on_selector_all("tr.finding", "els => els.map(e => [e.dataset.findingId, e.dataset.rule, "
                                                   "e.dataset.severity])")
    assert page.text_content("#finding-count") == str(len(mine)) == str(len(rows))
    assert sorted(rows) == sorted([f[0], f[2], f[3]] for f in mine)
    assert [r[2] for r in rows] == ["high", "medium", "medium", "low"]  # most severe first
    stale = page.locator('tr.finding[data-finding-id="f-zd-2"]')
    assert (stale.locator("td.measured").text_content(), stale.locator("td.threshold").text_content(),
            stale.locator("td.unit").text_content()) == ("412", "365", "days")
    assert stale.locator("td.detail").text_content() == "栏目 412 天未更新"

    # evidence: every http(s) URL is a link, the javascript: one is text
    links = page.eval_on_selector_all("#findings a.evidence", "els => els.map(e => e.getAttribute('href'))")
    http_evidence = [u for f in mine for u in f[12] if u.startswith("http")]
    assert sorted(links) == sorted(http_evidence)
    assert texts(page, "span.evidence-unlinked") == [JS_EVIDENCE]
    assert page.get_attribute('tr.gap[data-requirement="art20_07_budget"] a.evidence', "href") \
        == f"https://example.gov.cn/{ZD}/art20_07_budget/"

    gaps = dict(page.eval_on_selector_all("tr.gap", "els => els.map(e => [e.dataset.requirement, e.dataset.verdict])"))
    assert gaps == {r: v for r, v in COVERAGE[ZD].items() if v not in ("present", "blank_with_note")}
    assert page.text_content("#gap-count") == "3" and page.text_content("#coverage-count") == "5"

    other = open_page(f"county/{LH}.html")
    assert other.text_content("#score") == "80" and other.text_content("#finding-count") == "2"
    assert other.eval_on_selector_all("#findings a.evidence", "els => els.map(e => e.href)") == ["http://www.luhe.gov.cn/"] * 2

    unscored = open_page(f"county/{SL}.html")
    assert unscored.locator("#not-scored").is_visible() and unscored.locator("#score").count() == 0
    assert unscored.text_content("#finding-count") == "0" and unscored.locator("tr.finding").count() == 0
    assert unscored.text_content('#verdict-counts li[data-verdict="not_harvested"] .count') == "4"


def _search(page, query: str) -> tuple[int, list[dict]]:
    page.fill("#q", query)
    results = page.eval_on_selector_all("li.result", """els => els.map(e => {
        const t = e.querySelector('.title');
        return {doc: e.dataset.doc, tag: t.tagName, title: t.textContent, href: t.getAttribute('href'),
                county: e.querySelector('.county').textContent, date: e.querySelector('.date').textContent,
                doc_no: (e.querySelector('.doc-no') || {}).textContent || ''};
    })""")
    return int(page.text_content("#hits")), results


def test_search_finds_titles_and_doc_numbers(open_page):
    page = open_page("search.html")
    assert page.text_content("#doc-total") == str(len(DOCUMENTS))
    hits, results = _search(page, "农村人居环境")
    assert hits == 1 and results == [{
        "doc": f"{ZD}-001", "tag": "A", "title": "关于印发正定县农村人居环境整治方案的通知",
        "href": "https://www.zd.gov.cn/art/2024/3/1/art_1.html", "county": "正定县", "date": "2024-03-01",
        "doc_no": "正政发〔2024〕1号"}]
    hits, results = _search(page, "陆府〔2023〕3号")
    assert hits == 1 and results[0]["title"] == "陆河县公务员招录公告" and results[0]["county"] == "陆河县"
    hits, results = _search(page, "pm2.5")  # case-insensitive
    assert hits == 1 and results[0]["title"] == "关于开展PM2.5专项整治行动的通知"
    hits, _ = _search(page, "11441523007/2023")  # 索引号
    assert hits == 7
    hits, results = _search(page, "陆河县人民政府办公室")  # publisher
    assert hits == 6 and {r["county"] for r in results} == {"陆河县"}
    hits, results = _search(page, "  双流区   通知 ")  # terms all match, in any order
    assert hits == 1 and results[0]["doc"] == f"{SL}-003"
    hits, results = _search(page, "zzqx不存在的文件")
    assert hits == 0 and results == []
    hits, results = _search(page, "")
    assert hits == 0 and results == []
    hits, results = _search(page, "招标公告的更正")  # U+2028 in the title survives; a javascript: URL is no link
    assert hits == 1 and results[0]["title"] == "关于招标公告的更正\u2028（第二次）" and results[0]["tag"] == "SPAN"
    assert results[0]["href"] is None

    by_query = open_page("search.html?q=" + quote("〔2025〕"))
    assert by_query.input_value("#q") == "〔2025〕" and by_query.text_content("#hits") == "5"
    assert len(by_query.locator("li.result").all()) == 5


def test_hostile_text_stays_text(release, open_page):
    for path in all_pages(release):
        page = open_page(path)
        assert pwned(page) is None, path
        assert page.locator("img, script:not([src]), [onerror]").count() == 0, path
        bad = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href).filter(h => !/^(https?|file):/i.test(h))")
        assert bad == [], path
        page.close()

    page = open_page("search.html")
    hits, results = _search(page, "《测试》")
    assert hits == 1 and results[0]["title"] == HOSTILE_TITLE
    assert "<script>" in page.inner_text("#results") and "onerror" in page.inner_text("#results")
    assert page.locator("img, [onerror]").count() == 0
    assert page.evaluate("() => document.querySelectorAll('#results script').length") == 0
    assert pwned(page) is None

    county = open_page(f"county/{ZD}.html")
    subject = county.locator('tr.finding[data-finding-id="f-zd-3"] td.subject')
    assert subject.text_content() == HOSTILE_SUBJECT and subject.locator("a").get_attribute("href").startswith("https://")
    assert county.locator('a[href^="javascript:" i]').count() == 0
    assert JS_EVIDENCE in county.inner_text("#findings")
    assert pwned(county) is None

    heatmap = open_page("heatmap.html")
    assert heatmap.get_attribute('th.req[data-requirement="annual_report"]', "title") == \
        f'{REQ_NAMES["annual_report"]} (annual_report)'
    assert heatmap.locator("b").count() == 0


def _index_files(release: Path) -> tuple[dict, dict[str, list]]:
    """(the values search-index.js sets, province index file → its documents)."""
    meta = (release / "site" / "search-index.js").read_text(encoding="utf-8")
    values = {k: json.loads(v) for k, v in re.findall(r"^window\.(GONGKAI_\w+) = (.*);$", meta, re.M)}
    parts = {}
    for _, path, _ in values["GONGKAI_PROVINCES"]:
        js = (release / "site" / path).read_text(encoding="utf-8")
        assert js.startswith("window.GONGKAI_ADD([") and js.endswith("]);\n")
        parts[path] = json.loads(js[len("window.GONGKAI_ADD("):-len(");\n")])
    return values, parts


def test_search_index_is_safe_javascript_one_file_per_province(release):
    for path in [release / "site" / "search-index.js", *(release / "site" / "search-index").glob("*.js")]:
        js = path.read_text(encoding="utf-8")
        for ch in "<>&\u2028\u2029":
            assert ch not in js, (path.name, repr(ch))
    values, parts = _index_files(release)
    sites, provinces = values["GONGKAI_SITES"], values["GONGKAI_PROVINCES"]
    assert [s[0] for s in sites] == sorted(COVERAGE)
    assert [p[0] for p in provinces] == sorted({s[3] for s in SITES})
    docs = [d for rows in parts.values() for d in rows]
    assert len(docs) == len(DOCUMENTS) and all(isinstance(d, list) and len(d) == 8 for d in docs)
    for i, (_, path, count) in enumerate(provinces):  # a province's file holds its counties' documents only
        assert len(parts[path]) == count and all(sites[d[6]][2] == i for d in parts[path])
    by_id = {d[0]: d for d in docs}
    assert by_id[f"{ZD}-900"][1] == HOSTILE_TITLE
    assert by_id[f"{LH}-901"][5] == ""  # the javascript: URL is not in the index


def test_a_large_release_loads_a_province_when_chosen_and_filters_by_county_and_date(release, browser, tmp_path,
                                                                                     monkeypatch):
    from gongkai.release import site as site_module  # (not `import release.site`: `release` is the fixture here)

    copy = tmp_path / "release"
    shutil.copytree(release, copy)
    monkeypatch.setattr(site_module, "PRELOAD_DOCS", 0)  # as if it held more documents than load with the page
    site_module.build_site(copy)
    with browse(copy, browser) as open_page:
        page = open_page("search.html")
        assert page.evaluate("() => window.gongkaiSearch('通知')") == 0  # nothing loaded yet
        hebei = page.eval_on_selector_all("#province option", "els => els.map(e => [e.value, e.textContent])")
        value = next(v for v, label in hebei if label.startswith("河北省"))
        page.select_option("#province", value)
        page.wait_for_selector("#loading", state="hidden")
        everything = page.evaluate("() => window.gongkaiSearch('〔')")
        counties = {r["county"] for r in _search(page, "〔")[1]}
        assert everything > 0 and counties == {"正定县"}  # only the chosen province's documents
        assert page.eval_on_selector_all("#county option", "els => els.map(e => e.value)") == ["", ZD]
        dates = sorted(r["date"] for r in _search(page, "〔")[1])
        page.fill("#from", dates[-1])
        page.dispatch_event("#from", "change")
        later = [r["date"] for r in _search(page, "〔")[1]]
        assert later and all(d >= dates[-1] for d in later) and len(later) < everything
        loaded = page.evaluate("() => [...document.scripts].map(s => s.getAttribute('src')).filter(Boolean)")
        assert sum(src.startswith("search-index/") for src in loaded) == 1
        assert open_page.errors == []


def test_downloads_and_release_notes(release, open_page):
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    page = open_page("downloads.html")
    rows = page.eval_on_selector_all("tr.download", """els => els.map(e => ({
        path: e.dataset.path, href: e.querySelector('td.path a').href, sha256: e.querySelector('td.sha256').textContent,
        bytes: e.querySelector('td.size').dataset.bytes, size: e.querySelector('td.size').textContent,
        rows: e.querySelector('td.rows').textContent}))""")
    assert sorted(r["path"] for r in rows) == sorted(f["path"] for f in manifest["files"])
    for f in manifest["files"]:
        row = next(r for r in rows if r["path"] == f["path"])
        assert row["sha256"] == f["sha256"] and len(row["sha256"]) == 64
        assert (row["bytes"], row["rows"]) == (str(f["bytes"]), str(f["rows"]))
        assert re.fullmatch(r"\d+(\.\d)? (B|KiB|MiB)", row["size"])
        assert Path(unquote(urlsplit(row["href"]).path)) == release / f["path"]  # ../extra/attachments.parquet
    side = page.eval_on_selector_all("a.release-file", "els => els.map(e => [e.textContent, e.getAttribute('href')])")
    assert side == [[name, f"../{name}"] for name in SIDE_FILES]

    assert page.text_content("#release-date") == RELEASE
    assert page.text_content("#code-version") == manifest["code_version"]
    assert page.query_selector("#created-at") is None  # a timestamp would make two releases of one input differ
    assert page.get_attribute("#license", "href").startswith("https://creativecommons.org/licenses/by/4.0/")
    assert page.text_content("#license") == "CC BY 4.0"
    # the home page speaks to readers: what was checked, the ranking first; the downloads are one link away
    page = open_page("index.html")
    assert page.text_content("#release-date") == RELEASE
    assert "政府信息公开条例" in page.text_content("#about") and page.locator("#about a[href='downloads.html']").count() == 1
    assert page.evaluate("[...document.querySelectorAll('main > section')].map(e => e.id)")[:2] == ["about", "ranking"]
    assert page.query_selector("#downloads") is None
    assert (page.text_content("#count-counties"), page.text_content("#count-documents"),
            page.text_content("#count-findings")) == ("3", str(len(DOCUMENTS)), str(len(FINDINGS)))
    assert page.eval_on_selector_all("#counties tr.county", "els => els.map(e => e.dataset.site)") == [LH, ZD, SL]


def test_every_page_loads_from_file_without_errors_and_links_resolve(release, open_page):
    pages = all_pages(release)
    assert pages == sorted(["index.html", "heatmap.html", "search.html", "downloads.html", "dictionary.html"]
                           + [f"county/{s}.html" for s in COVERAGE])
    for path in pages:
        page = open_page(path)
        assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
        assert page.evaluate("() => document.characterSet") == "UTF-8"
        assert page.evaluate("() => getComputedStyle(document.body).marginTop") == "0px", f"{path}: style.css not loaded"
        nav = page.eval_on_selector_all("#nav a", "els => els.map(e => e.href)")
        assert [Path(unquote(urlsplit(u).path)).name for u in nav] == ["index.html", "heatmap.html", "search.html",
                                                                       "downloads.html", "dictionary.html"]
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith("file:"):
                target = Path(unquote(urlsplit(href).path))
                assert target.is_file(), f"{path}: broken link {href}"
                assert release in target.parents, f"{path}: link outside the release {href}"
        raw = (release / "site" / path).read_text(encoding="utf-8")
        assert '<meta charset="utf-8">' in raw and 'lang="zh-CN"' in raw
        fetched = re.findall(r'<(?:script|link|img|iframe|source|object|embed)\b[^>]*?\b(?:src|href)="([^"]*)"', raw)
        assert fetched and not [u for u in fetched if re.match(r"(?i)([a-z]+:)?//", u)], f"{path}: loads from the network"
        page.close()
    search = open_page("search.html")
    assert search.evaluate("() => window.gongkaiSearch('正定县')") == 8
    assert open_page.errors == []


def test_build_is_deterministic(release, tmp_path):
    first = site_files(release)
    build_site(release)
    assert site_files(release) == first
    copy = tmp_path / "elsewhere" / RELEASE
    shutil.copytree(release, copy, ignore=shutil.ignore_patterns("site"))
    build_site(copy)
    assert site_files(copy) == first
    assert not (release / ".site.tmp").exists()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_every_page_fits_a_phone_and_a_desktop_screen(release, browser, width, height, tmp_path):
    """No page scrolls sideways (wide tables scroll inside their own box); a screenshot of each is written for review."""
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    try:
        for path in all_pages(release):
            page = context.new_page()
            page.goto((release / "site" / path).as_uri(), wait_until="load")
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{path} is {overflow} px wide on a {width} px screen"
            page.screenshot(path=str(tmp_path / f"{path.replace('/', '_')}.png"), full_page=True)
            page.close()
    finally:
        context.close()
    assert len(list(tmp_path.glob("*.png"))) == len(all_pages(release))
    print(f"screenshots for review: {tmp_path}")
