"""`gongkai inspect` for onboarding a county: the adapter detected from the page and why, the page kind, and what
is extracted, from a live page (fetched politely) or a saved file."""
from __future__ import annotations

import json

import pytest
from gongkai.harvesters.inspect import detect
from gongkai.sampleweb.families import ADAPTER_OF, RENDERERS
from gongkai.sampleweb.truth import web_path

from gongkai_cli import main
from tests.conftest import reference_pages

REAL_LIST = "he_handan_city_trs_list_xxgk_saved.html"  # a real page: read from the shared folder, never committed


def _inspect(capsys, *args) -> dict:
    main(["inspect", *args, "--json"])
    return json.loads(capsys.readouterr().out)


# The family each sample county's pages are detected as: the registry names none for the small vendors (generic) and
# the provincial TRS platform county (whose marks say TRS).
DETECTED = {**ADAPTER_OF, "trsprov": "trs"}


@pytest.mark.parametrize("index", range(len(RENDERERS)), ids=list(RENDERERS))
def test_live_pages_of_every_family_are_detected_and_classified(sample_web, capsys, index):
    site = sample_web.sites[index]
    family = DETECTED[site.county.family]  # the small-vendor counties are claimed by no family: generic reads them
    entry = _inspect(capsys, site.base_url + site.entry, "--allow-private")
    assert (entry["detected"], entry["adapter"], entry["kind"]) == (family, family or "generic", "home")
    assert entry["detection_reasons"]
    # the aspx county's entry shows the first-level columns; its groups' own pages show the rest (harvesters.tree)
    deep = "法定主动公开内容" if site.county.family == "aspx" else "法定主动公开内容/政策文件/规范性文件"
    assert {c["path"] for c in entry["columns"]} >= {"政府信息公开指南", deep}

    column = next(c for c in site.county.all_columns() if c.slug == "gfxwj")
    listing = _inspect(capsys, site.base_url + column.path, "--allow-private")
    assert listing["kind"] == "list"
    assert [i["title"] for i in listing["list"]["items"]] == [d.title for d in column.docs[:len(listing["list"]["items"])]]

    doc = column.docs[0]
    page = _inspect(capsys, site.base_url + doc.path, "--allow-private", "--adapter", family or "generic")
    assert page["kind"] == "document"
    got = page["document"]
    shown = None if "index_no" in getattr(site.renderer, "hidden_fields", lambda d: ())(doc) else doc.index_no
    assert (got["title"], got["index_no"], got["published_date"]) == (doc.title, shown, doc.published.isoformat())
    assert [a["url"] for a in got["attachments"]] == [a.path if a.external else site.base_url + web_path(a.path)
                                                      for a in doc.attachments]


def test_a_saved_real_page_is_inspected_from_its_file(capsys):
    folder = reference_pages()
    if folder is None:
        pytest.skip("the shared reference-pages folder with the real 邯郸 list page is absent (real pages stay out of git)")
    saved = folder / REAL_LIST
    url = "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/"
    report = _inspect(capsys, url, "--file", str(saved))
    assert (report["detected"], report["kind"]) == ("trs", "list")
    assert len(report["list"]["items"]) == 1 and len(report["list"]["next_pages"]) == 55
    main(["inspect", url, "--file", str(saved)])
    table = capsys.readouterr().out
    assert "page kind  list" in table and "邯郸市教育局关于印发" in table


def test_a_page_no_family_claims_says_so_and_a_loopback_url_needs_permission(capsys):
    assert detect("<html><body><p>你好</p></body></html>").adapter is None
    with pytest.raises(SystemExit, match="private address"):
        main(["inspect", "http://127.0.0.1:9/"])
    with pytest.raises(SystemExit, match="gongkai: nowhere.html: No such file"):
        main(["inspect", "http://127.0.0.1:9/", "--file", "nowhere.html"])


def test_a_page_built_in_the_browser_has_its_scripts_read_live_and_named_from_a_file(sample_web, capsys, tmp_path):
    site = next(s for s in sample_web.sites if s.county.family == "gkmlpt")
    url, script = site.base_url + site.entry, site.base_url + "/gkmlpt/static/js/app.js"
    live = _inspect(capsys, url, "--allow-private", "--adapter", "generic")
    assert live["support"] == {"wanted": [script], "read": [script]}
    assert live["kind"] == "home" and "法定主动公开内容/政策文件/规范性文件" in {c["path"] for c in live["columns"]}
    assert all(c["url"] is None or "/gkmlpt/api/all/" in c["url"] for c in live["columns"])

    saved = tmp_path / "index.html"
    saved.write_text(site.routes[site.entry]()[1], encoding="utf-8")
    offline = _inspect(capsys, url, "--file", str(saved), "--adapter", "generic")
    assert offline["support"] == {"wanted": [script], "read": []} and offline["columns"] == []
    assert "not read: " + script in offline["columns_problem"]
    main(["inspect", url, "--file", str(saved), "--adapter", "generic"])
    assert f"not read  {script}" in capsys.readouterr().out
