"""Evidence that lasts: every page a finding cites is archived with its capture time and WARC record; the release
carries a sanitised copy of each, linked from the county page beside the live URL, and readable from the release
alone (nothing asked of the county's server); `gongkai evidence` checks the archived body against its digest."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.test_release_site import browse


@pytest.fixture(scope="module")
def release_copy(pipeline, tmp_path_factory) -> Path:
    """The published release on its own, as a reader downloads it (no lake, no catalogue beside it)."""
    copy = tmp_path_factory.mktemp("downloaded") / "release"
    shutil.copytree((pipeline["data"] / "releases" / "latest").resolve(), copy)
    return copy


def test_every_cited_page_that_was_read_has_its_capture(catalogue_db):
    rows = catalogue_db.execute("""SELECT cited_by, url, captured_at, warc_file, warc_offset, sha256, kind, snapshot
                                   FROM evidence""").fetchall()
    assert {r[0] for r in rows} == {"finding", "coverage"}
    archived = [r for r in rows if r[2] is not None]
    assert len(archived) > 0.9 * len(rows), "most cited pages were read and must have a capture"
    for _, url, _, warc, offset, digest, kind, snapshot in archived:
        assert warc.endswith(".warc.gz") and offset >= 0 and len(digest) == 64
        assert (snapshot is None) == (kind == "attachment"), url
    # what is not archived is what the harvest could not read: attachments that answered 4xx, columns elsewhere
    missing = catalogue_db.execute("""SELECT DISTINCT e.url FROM evidence e WHERE e.captured_at IS NULL
                                      AND e.url NOT IN (SELECT url FROM attachments WHERE status <> 'ok')
                                      AND e.url NOT IN (SELECT url FROM sections WHERE status IN ('external', 'not_read'))
                                      AND e.url NOT IN (SELECT url FROM tree_pages WHERE status <> 'read')""").fetchall()
    assert not missing, f"cited pages the harvest read, without an archived copy: {missing[:5]}"


def test_a_finding_opens_its_archived_copy_from_the_release_alone(pipeline, release_copy, catalogue_db, tmp_path):
    late = pipeline["truth"]["defects"]
    planted = next(d for d in late if d["kind"] == "late_document")
    site_id, finding_id = catalogue_db.execute(
        "SELECT site_id, finding_id FROM findings WHERE rule = 'late_publication' AND subject_url = ?",
        [planted["url"]]).fetchone()
    snapshot, captured = duckdb.sql(f"SELECT snapshot, captured_at FROM '{release_copy / 'evidence.parquet'}' "
                                    f"WHERE cited_id = '{finding_id}' AND url = '{planted['url']}'").fetchone()
    title = catalogue_db.execute("SELECT title FROM documents WHERE url = ?", [planted["url"]]).fetchone()[0]
    raw = (release_copy / snapshot).read_text(encoding="utf-8")
    assert "<script" not in raw.lower() and "<form" not in raw.lower() and "<iframe" not in raw.lower()
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", raw, re.I), "an event handler is left in the copy"
    assert not re.search(r"(?i)(href|src)\s*=\s*[\"']?\s*javascript:", raw)

    asked = sum(len(s.times) for s in pipeline["web"].sites)
    with browse(release_copy) as open_page:
        county = open_page(f"county/{site_id}.html")
        row = county.locator(f'tr[data-finding-id="{finding_id}"]')
        archived = row.locator("a.archived")
        assert archived.count() == 1 and archived.text_content().startswith("存档")
        county.screenshot(path=str(tmp_path / "county-evidence.png"), full_page=True)
        with county.expect_navigation():
            archived.click()
        assert Path(county.url.removeprefix("file://")).resolve() == (release_copy / snapshot).resolve()
        assert county.text_content("#source-url") == planted["url"]
        assert county.text_content("#captured-at").startswith(f"{captured:%Y-%m-%d %H:%M:%S}")
        assert title in county.text_content("body")
        # every link the copy keeps points at the county's live site, absolute, and none is followed on load
        hrefs = county.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
        for size, name in (((390, 844), "phone"), ((1280, 900), "desktop")):
            county.set_viewport_size({"width": size[0], "height": size[1]})
            county.screenshot(path=str(tmp_path / f"evidence-{name}.png"), full_page=True)
        assert open_page.errors == []  # no network request, no script error
    assert sum(len(s.times) for s in pipeline["web"].sites) == asked, "the county's server was asked for a page"
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    assert shots == ["county-evidence.png", "evidence-desktop.png", "evidence-phone.png"]
    print(f"screenshots for review: {tmp_path}")


def test_gongkai_evidence_checks_the_digest_and_extracts_the_page(pipeline, capsys, tmp_path):
    from gongkai_cli import main

    with duckdb.connect(str(pipeline["catalogue"]), read_only=True) as con:
        finding_id, url = con.execute("SELECT finding_id, subject_url FROM findings WHERE rule = 'late_publication' "
                                      "ORDER BY finding_id LIMIT 1").fetchone()
        digest = con.execute("SELECT sha256 FROM evidence WHERE cited_id = ? AND url = ?", [finding_id, url]).fetchone()[0]
    main(["--data", str(pipeline["data"]), "evidence", finding_id, "--extract", str(tmp_path)])
    out = capsys.readouterr().out
    assert url in out and "(matches the archived body)" in out
    [page] = tmp_path.glob("*.html")
    assert hashlib.sha256(page.read_bytes()).hexdigest() == digest
    with pytest.raises(SystemExit, match="no evidence for"):
        main(["--data", str(pipeline["data"]), "evidence", "no-such-finding"])


def test_a_snapshot_keeps_the_text_and_links_and_nothing_that_runs_or_loads():
    from datetime import UTC, datetime

    from gongkai.release.evidence import sanitise

    hostile = ('<html><head><base href="http://evil.example/"><meta http-equiv="refresh" content="0;url=http://x">'
               '<link rel="stylesheet" href="http://cdn.example/a.css"><style>body{background:url(http://t/)}</style>'
               '</head><body onload="x()"><a xlink:href="javascript:alert(1)" href="/doc.html" onclick="y()">文件</a>'
               '<math><a href="javascript:1">m</a></math><div data-x="javascript:2" style="color:red">联系电话 13812345678'
               '</div><form action="/s"><input name="q">保留</form><img src="http://t/pixel.gif" alt="徽标">'
               '<iframe src="http://x"></iframe><svg onload="z()"></svg><script>bad()</script><!-- note --></body></html>')
    page, hits = sanitise(hostile, "http://a.gov.cn/x/y.html", datetime(2026, 1, 1, tzinfo=UTC), "s/warc/r.warc.gz@0",
                          "ab" * 32)
    body = page[page.index("</div>") + len("</div>"):]  # after the banner
    assert '<a href="http://a.gov.cn/doc.html">文件</a>' in body  # the link kept, made absolute
    assert "联系电话 〔已隐去手机号〕" in body and "保留" in body and "[图片 image: 徽标]" in body
    for gone in ("<script", "<style", "<link", "<base", "<meta http-equiv", "<iframe", "<svg", "<math", "<input",
                 "<form", "<img", "javascript:", "onload", "onclick", "style=", "evil.example", "<!--"):
        assert gone not in body, gone
    assert [h.kind for h in hits] == ["mobile"]
    assert "2026-01-01 00:00:00 UTC" in page and 'href="http://a.gov.cn/x/y.html"' in page and "ab" * 32 in page
