"""`gongkai sample replay`: saved mirrors (wget, HTTrack, root level) served on loopback over real HTTP, the registry's
connect_to in PoliteClient, and a harvest of a saved sample county under its real host, end to end."""
from __future__ import annotations

import http.client
import os
import shutil
import subprocess
from email.utils import formatdate
from pathlib import Path

import pytest
from gongkai.harvesters.archive import WarcArchive
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.errors import OutOfScope, RobotsDisallowed
from gongkai.harvesters.fetch import PoliteClient
from gongkai.harvesters.hosts import HostGate
from gongkai.harvesters.parse import parse_site
from gongkai.sampleweb.replay import MirrorError, ReplayServer, open_mirror, replay_site, slug_of, write_replay_registry
from gongkai.sampleweb.server import SampleWeb
from gongkai.sampleweb.truth import ground_truth
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Politeness, RegistryError, Site, load_registry
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import reference_pages

HOST = "www.example.gov.cn"
HOME = ('<html><head><meta charset="utf-8"><meta name="SiteName" content="示例县人民政府">'
        '<meta name="SiteIDCode" content="1304000009"><title>示例县</title></head><body>'
        f'<a href="http://{HOST}/xxgk/">信息公开</a><a href="http://{HOST}/xxgk/list.aspx?cid=3&amp;page=2">列表</a>'
        '<a href="http://www.gov.cn/">中国政府网</a></body></html>')


def put(path: Path | bytes, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write a file; `path` as bytes for names that are not UTF-8 (a GBK name, as a Windows-saved mirror has)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data.encode(encoding) if isinstance(data, str) else data)


def wget_mirror(folder: Path) -> Path:
    """What `wget -m -E [--restrict-file-names=windows]` writes for www.example.gov.cn, every naming quirk once."""
    site = folder / HOST
    put(site / "index.html", HOME)
    put(site / "xxgk" / "index.html", "<html><body>公开目录</body></html>")
    put(site / "xxgk" / "list.aspx?cid=3&page=2", "<html><body>cid 3 page 2</body></html>")          # wget
    put(site / "xxgk" / "list.aspx@cid=4&page=1", "<html><body>cid 4 page 1</body></html>")          # windows names
    put(site / "xxgk" / "show.aspx?id=5.html", "<html><body>doc 5</body></html>")                    # -E
    put(site / "xxgk" / "list.aspx@cid=3.html", "<html><body>cid 3</body></html>")                   # windows + -E
    put(site / "xxgk" / "index.html?page=2", "<html><body>公开目录 2</body></html>")
    put(site / "zwgk" / "default.htm", "<html><body>default.htm</body></html>")
    put(site / "gk" / "index.jsp", "<html><body>index.jsp</body></html>")
    put(site / "政策文件" / "通知.html", "<html><body>通知</body></html>")                              # UTF-8 name
    put(os.fsencode(site) + b"/" + "公开年报".encode("gbk") + b"/2023.html", "<html><body>年报</body></html>")
    put(site / "files" / "%E8%A7%84%E5%88%92.pdf", b"%PDF-1.4 plan")                                # name left encoded
    put(os.fsencode(site / "files") + b"/\xe6%94\xbf.doc", b"\xd0\xcf\x11\xe0doc")                  # wget's %94 for 政
    for name, data in (("a.docx", b"PK\x03\x04"), ("b.xlsx", b"PK\x03\x04"), ("c.wps", b"\xd0\xcf\x11\xe0"),
                       ("d.ofd", b"PK\x03\x04"), ("e.rar", b"Rar!"), ("f.zip", b"PK\x03\x04"), ("g.xyz", b"??"),
                       ("style.css", b"body{}"), ("app.js", b"var a;"), ("data.json", b"{}"), ("feed.xml", b"<a/>"),
                       ("download.aspx?id=7", b"%PDF-1.5 attachment"), ("page", b"<!DOCTYPE html><html></html>")):
        put(site / "files" / name, data)
    return folder


def get(server: ReplayServer, path: str, method: str = "GET", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)  # the path goes out as written
        for k, v in {"Host": HOST, **(headers or {})}.items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


@pytest.fixture()
def wget_server(tmp_path):
    mirror = open_mirror(wget_mirror(tmp_path / "saved"))
    with ReplayServer(mirror, port=0) as server:
        yield server


# ── the wget layout ───────────────────────────────────────────────────────────────────────────────────────────

def test_wget_mirror_host_folder_is_found_and_every_saved_name_form_is_served(wget_server):
    mirror = wget_server.mirror
    assert (mirror.host, mirror.host_source, mirror.layout) == (HOST, "the folder name", "wget")
    assert open_mirror(mirror.root).host == HOST  # the host folder itself, passed as DIR
    cases = {
        "/": b"SiteIDCode",
        "/xxgk/": "公开目录".encode(),
        "/xxgk/?page=2": "公开目录 2".encode(),
        "/xxgk/list.aspx?cid=3&page=2": b"cid 3 page 2",
        "/xxgk/list.aspx?cid=4&page=1": b"cid 4 page 1",
        "/xxgk/show.aspx?id=5": b"doc 5",
        "/xxgk/list.aspx?cid=3": b"cid 3</body>",
        "/xxgk/list.aspx%3Fcid=3.html": b"cid 3</body>",  # a link as `wget -k` rewrites it
        "/zwgk/": b"default.htm",
        "/gk/": b"index.jsp",
        "/%E6%94%BF%E7%AD%96%E6%96%87%E4%BB%B6/%E9%80%9A%E7%9F%A5.html": "通知".encode(),  # UTF-8 URL
        "/%D5%FE%B2%DF%CE%C4%BC%FE/%CD%A8%D6%AA.html": "通知".encode(),  # the same name asked for in GBK
        "/%E5%85%AC%E5%BC%80%E5%B9%B4%E6%8A%A5/2023.html": "年报".encode(),  # GBK folder name on disk
        "/files/%E8%A7%84%E5%88%92.pdf": b"%PDF-1.4 plan",  # the file's name is itself percent-encoded
        "/files/%E6%94%BF.doc": b"\xd0\xcf\x11\xe0doc",  # wget escaped the C1 byte of 政 as %94
        "/robots.txt": None,
    }
    for path, body in cases.items():
        status, _, got = get(wget_server, path)
        assert (status == 404) if body is None else (status == 200 and body in got), path
    assert wget_server.hits[-1] == ("GET", "/robots.txt") and len(wget_server.hits) == len(cases)


def test_content_types_from_the_name_html_without_a_charset(wget_server):
    expected = {
        "/": "text/html", "/xxgk/list.aspx?cid=3&page=2": "text/html", "/xxgk/show.aspx?id=5": "text/html",
        "/gk/": "text/html", "/files/a.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "/files/b.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "/files/c.wps": "application/vnd.ms-works", "/files/d.ofd": "application/ofd", "/files/e.rar": "application/vnd.rar",
        "/files/f.zip": "application/zip", "/files/g.xyz": "application/octet-stream", "/files/style.css": "text/css",
        "/files/app.js": "application/javascript", "/files/data.json": "application/json",
        "/files/feed.xml": "application/xml", "/files/%E8%A7%84%E5%88%92.pdf": "application/pdf",
        "/files/%E6%94%BF.doc": "application/msword",
        "/files/download.aspx?id=7": "application/pdf",  # a script's answer saved under a query: its bytes say PDF
        "/files/page": "text/html",  # saved without an extension: sniffed
    }
    for path, ctype in expected.items():
        status, headers, _ = get(wget_server, path)
        assert (status, headers["Content-Type"]) == (200, ctype), path


def test_folder_without_slash_redirects_with_the_clients_host_and_misses_are_404(wget_server):
    status, headers, _ = get(wget_server, "/xxgk")
    assert (status, headers["Location"]) == (301, f"http://{HOST}/xxgk/")
    status, headers, _ = get(wget_server, "/xxgk?page=2", headers={"Host": "127.0.0.1:1234"})
    assert (status, headers["Location"]) == (301, "http://127.0.0.1:1234/xxgk/?page=2")
    for path in ("/nothing.html", "/xxgk/list.aspx?cid=99", "/xxgk/index.html/", "/../../etc/passwd", "/files/"):
        status, headers, body = get(wget_server, path)
        assert status == 404 and headers["Content-Type"].startswith("text/html") and b"404" in body, path


def test_validators_answer_conditional_gets_with_304_and_head_has_no_body(wget_server):
    status, headers, body = get(wget_server, "/xxgk/show.aspx?id=5")
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    file = wget_server.mirror.root / "xxgk" / "show.aspx?id=5.html"
    assert headers["Last-Modified"] == formatdate(int(file.stat().st_mtime), usegmt=True)
    assert get(wget_server, "/xxgk/show.aspx?id=5", headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert get(wget_server, "/xxgk/show.aspx?id=5", headers={"If-None-Match": '"other"'})[0] == 200
    assert get(wget_server, "/xxgk/show.aspx?id=5", headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(wget_server, "/xxgk/show.aspx?id=5", headers={"If-Modified-Since": formatdate(0, usegmt=True)})[0] == 200
    os.utime(file, (file.stat().st_atime, file.stat().st_mtime + 60))  # the file changed: the old ETag is stale
    assert get(wget_server, "/xxgk/show.aspx?id=5", headers={"If-None-Match": headers["ETag"]})[0] == 200
    status, head_headers, body = get(wget_server, "/xxgk/show.aspx?id=5", method="HEAD")
    assert (status, body, head_headers["Content-Length"]) == (200, b"", str(len(b"<html><body>doc 5</body></html>")))


def test_a_saved_robots_txt_is_served_as_text(tmp_path):
    folder = wget_mirror(tmp_path / "saved")
    put(folder / HOST / "robots.txt", "User-agent: *\nDisallow: /admin/\n")
    with ReplayServer(open_mirror(folder), port=0) as server:
        status, headers, body = get(server, "/robots.txt")
    assert (status, headers["Content-Type"], body) == (200, "text/plain", b"User-agent: *\nDisallow: /admin/\n")


# ── HTTrack and root-level layouts, finding the host ───────────────────────────────────────────────────────────

def httrack_page(original: str, body: str) -> str:
    return (f"<html>\n<!-- Mirrored from {original} by HTTrack Website Copier/3.x [XR&CO'2014], "
            f"Mon, 11 Jun 2018 08:43:47 GMT -->\n<head><!-- Added by HTTrack --><meta http-equiv=\"content-type\" "
            f"content=\"text/html;charset=utf-8\" /><!-- /Added by HTTrack -->\n</head><body>{body}</body></html>")


def test_httrack_project_folder_serves_the_host_folder_and_maps_renamed_query_pages(tmp_path):
    project = tmp_path / "My Web Sites" / "luhe"
    put(project / "index.html", "<html><body>HTTrack Website Copier - Open Source offline browser; "
                                '<a href="www.luhe.gov.cn/index.html">luhe</a></body></html>')  # HTTrack's own index
    put(project / "hts-cache" / "new.txt", "")
    put(project / "backblue.gif", b"GIF89a")
    site = project / "www.luhe.gov.cn"
    put(site / "index.html", httrack_page("www.luhe.gov.cn/", '<a href="xxgk/list4b2c.html">列表</a>'))
    put(site / "xxgk" / "list4b2c.html", httrack_page("www.luhe.gov.cn/xxgk/list.aspx?cid=3&amp;page=2", "第二页"))
    mirror = open_mirror(tmp_path / "My Web Sites")  # a folder holding only the project folder is looked into
    assert (mirror.root, mirror.layout, mirror.host) == (site, "httrack", "www.luhe.gov.cn")
    with ReplayServer(mirror, port=0) as server:
        assert get(server, "/")[2].count(b"list4b2c.html") == 1
        assert "第二页".encode() in get(server, "/xxgk/list4b2c.html")[2]  # its links, as HTTrack rewrote them
        assert "第二页".encode() in get(server, "/xxgk/list.aspx?cid=3&page=2")[2]  # the original address too
        assert get(server, "/xxgk/list.aspx?cid=3&page=3")[0] == 404


def test_httrack_mirror_without_a_host_folder_takes_the_host_from_its_comments(tmp_path):
    put(tmp_path / "index.html", httrack_page("www.hd.gov.cn/", '<a href="http://www.gov.cn/">国务院</a>'))
    put(tmp_path / "xxgk" / "index.html", httrack_page("www.hd.gov.cn/xxgk/", "公开"))
    mirror = open_mirror(tmp_path)
    assert (mirror.root, mirror.layout, mirror.host) == (tmp_path, "httrack", "www.hd.gov.cn")
    assert mirror.host_source == "HTTrack's 'Mirrored from' comments"


def test_root_level_mirror_takes_the_host_of_links_whose_paths_it_holds(tmp_path):
    # More links to www.gov.cn than to the site itself, but none of their paths was saved here.
    links = "".join(f'<a href="http://www.gov.cn/p{i}.html">x</a>' for i in range(5))
    put(tmp_path / "index.html", f'<html><body>{links}<a href="http://www.rootsite.gov.cn/xxgk/">公开</a>'
                                 '<a href="https://www.rootsite.gov.cn/xxgk/a.html?id=1">a</a></body></html>')
    put(tmp_path / "xxgk" / "index.html", "<html><body>公开</body></html>")
    put(tmp_path / "xxgk" / "a.html?id=1", "<html><body>a</body></html>")
    mirror = open_mirror(tmp_path)
    assert (mirror.root, mirror.layout, mirror.host) == (tmp_path, "root", "www.rootsite.gov.cn")
    assert mirror.host_source == "absolute links in the saved pages"
    assert open_mirror(tmp_path, host="www.other.gov.cn").host == "www.other.gov.cn"  # --host wins


def test_a_mirror_with_no_host_anywhere_is_served_as_the_loopback_host(tmp_path):
    put(tmp_path / "saved" / "index.html", '<html><body><a href="/xxgk/">公开</a></body></html>')
    mirror = open_mirror(tmp_path / "saved")
    assert mirror.host is None
    with ReplayServer(mirror, port=0) as server:
        site = replay_site(mirror, server.port).site
        assert site.entry_urls == [f"{server.base_url}/"] and site.connect_to == {}
        assert site.allowed_hosts == [server.address] and site.site_id == "000000-127-0-0-1"


def test_real_saved_pages_give_their_host_code_and_name(tmp_path):
    """Three real pages of 邯郸市's disclosure platform saved at their paths: the host is the one their links name
    and the mirror holds, not hd.gov.cn, which more links name."""
    pages = reference_pages()
    if pages is None:
        pytest.skip("shared/reference-pages is absent here")
    for name, path in (("he_handan_city_trs_list_xxgk_saved.html", "zfwj/jinqixxgk/index.html"),
                       ("he_handan_city_trs_guide_index_saved.html", "zfxxgkzn/index.html"),
                       ("he_handan_city_trs_article_metadata_saved.html",
                        "gszbm/auto23716/202008/t20200802_1352104.html")):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pages / name, tmp_path / path)
    mirror = open_mirror(tmp_path)
    assert mirror.host == "hdzfxxgk.hd.gov.cn" and mirror.host_source == "absolute links in the saved pages"
    plan = replay_site(mirror, 18800, entry="/zfwj/jinqixxgk/")
    assert plan.site.site_id == "130400-hd" and plan.site.name == "邯郸市人民政府"
    assert plan.entry_url == "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/"


def test_bad_folders_are_named_with_what_to_do(tmp_path):
    with pytest.raises(MirrorError, match=r"missing: no such folder; save a site with e.g. `wget -m"):
        open_mirror(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(MirrorError, match=r"empty: the folder is empty"):
        open_mirror(tmp_path / "empty")
    put(tmp_path / "nohtml" / "a.pdf", b"%PDF")
    with pytest.raises(MirrorError, match=r"nohtml: no saved HTML page under it"):
        open_mirror(tmp_path / "nohtml")
    from gongkai_cli import main

    with pytest.raises(SystemExit, match=r"^gongkai: .*nohtml: no saved HTML page under it"):
        main(["--data", str(tmp_path / "data"), "sample", "replay", str(tmp_path / "nohtml")])
    mirror = open_mirror(wget_mirror(tmp_path / "saved"))
    with pytest.raises(MirrorError, match=r"--entry /zfxxgk/ \(/zfxxgk/\) is not in the mirror"):
        replay_site(mirror, 18800, entry="/zfxxgk/")
    with pytest.raises(MirrorError, match=r"site_id: .*6-digit"):
        replay_site(mirror, 18800, site_id="luhe")


def test_the_registry_entry_from_the_home_page(tmp_path):
    mirror = open_mirror(wget_mirror(tmp_path / "saved"))
    plan = replay_site(mirror, 18811, province="河北省")
    site = plan.site
    assert (site.site_id, site.name, site.level, site.province) == ("130400-example", "示例县人民政府", "county", "河北省")
    assert site.entry_urls == [f"http://{HOST}/"] and site.adapter is None and site.allowed_hosts == [HOST]
    assert site.connect_to == {HOST: "127.0.0.1:18811"} and site.allow_private_addresses
    assert (site.politeness.delay_seconds, site.politeness.max_concurrency) == (0.0, 2)
    assert str(mirror.root) in site.notes
    path = write_replay_registry(site, tmp_path / "data")
    assert path == tmp_path / "data" / "replay" / "registry.yaml" and load_registry(path) == [site]
    named = replay_site(mirror, 18811, entry=f"https://{HOST}/xxgk/show.aspx?id=5", site_id="441523-luhe", name="陆河")
    assert (named.site.site_id, named.site.name, named.site.entry_urls) == \
           ("441523-luhe", "陆河", [f"https://{HOST}/xxgk/show.aspx?id=5"])
    assert [slug_of(h) for h in ("www.luhe.gov.cn", "xxgk.luhe.gov.cn:8080", "www.liutang.example.gov.cn")] == \
           ["luhe", "luhe", "liutang"]


# ── connect_to in the harvester's client ──────────────────────────────────────────────────────────────────────

def mapped_site(port: int, **over) -> Site:
    fields = dict(site_id="130400-example", name="示例县", level="county", province="河北省",
                  entry_urls=[f"http://{HOST}/"], allowed_hosts=[HOST, "nowhere.invalid"],
                  connect_to={HOST: f"127.0.0.1:{port}"}, allow_private_addresses=True,
                  politeness=Politeness(delay_seconds=0.0, max_concurrency=2, retries=0, timeout_seconds=3))
    return Site(**(fields | over))


def test_polite_client_fetches_the_real_host_from_the_mirror_and_records_the_real_urls(wget_server, tmp_path):
    archive = WarcArchive(tmp_path / "run.warc.gz")
    client = PoliteClient(mapped_site(wget_server.port), archive, HostGate(tmp_path / "hosts"))
    got = client.fetch(f"http://{HOST}/xxgk/list.aspx?cid=3&page=2")
    assert (got.status, got.url, got.body) == (200, f"http://{HOST}/xxgk/list.aspx?cid=3&page=2",
                                               b"<html><body>cid 3 page 2</body></html>")
    moved = client.fetch(f"http://{HOST}/xxgk")  # the 301 names the real host, which the client follows
    assert (moved.status, moved.url) == (200, f"http://{HOST}/xxgk/")
    secure = client.fetch(f"https://{HOST}/gk/")  # an https original is fetched over http from the mirror
    assert (secure.status, secure.url, secure.body) == (200, f"https://{HOST}/gk/", b"<html><body>index.jsp</body></html>")
    archive.close()
    assert ("GET", "/robots.txt") in wget_server.hits and ("GET", "/xxgk/list.aspx?cid=3&page=2") in wget_server.hits
    with open(tmp_path / "run.warc.gz", "rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_header("Host"))
                   for r in ArchiveIterator(fh) if r.rec_type in ("request", "response")]
    assert records and all(uri.startswith((f"http://{HOST}/", f"https://{HOST}/")) for _, uri, _ in records)
    assert {host for kind, _, host in records if kind == "request"} == {HOST}
    assert os.listdir(tmp_path / "hosts") == [HOST]  # the politeness gate keys on the original host


def test_a_host_not_in_connect_to_is_not_sent_to_the_mirror(wget_server, tmp_path):
    archive = WarcArchive(tmp_path / "run.warc.gz")
    client = PoliteClient(mapped_site(wget_server.port), archive, HostGate(tmp_path / "hosts"))
    before = len(wget_server.hits)
    with pytest.raises(RobotsDisallowed, match=r"robots.txt unreachable .*Failed to resolve 'nowhere.invalid'"):
        client.fetch("http://nowhere.invalid/xxgk/")  # allowed but not mapped: asked of DNS, which has no such name
    assert len(wget_server.hits) == before
    with pytest.raises(OutOfScope, match="www.gov.cn.*not in allowed_hosts"):
        client.fetch("http://www.gov.cn/")
    strict = PoliteClient(mapped_site(wget_server.port, allow_private_addresses=False), archive,
                          HostGate(tmp_path / "hosts"))
    with pytest.raises(OutOfScope, match=rf"private address 127.0.0.1 \(connect_to sends {HOST} to 127.0.0.1:"):
        strict.fetch(f"http://{HOST}/")
    archive.close()
    assert len(wget_server.hits) == before


def test_a_bad_connect_to_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "sites.yaml"
    text = ("version: 1\nsites:\n  - site_id: 441523-luhe\n    name: 陆河县人民政府\n    level: county\n"
            "    province: 广东省\n    entry_urls: [http://www.luhe.gov.cn/]\n    connect_to:\n"
            "      www.luhe.gov.cn: 127.0.0.1\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    assert str(err.value).startswith(f"{path}:9: sites[0].connect_to.www.luhe.gov.cn: '127.0.0.1' is not "
                                     "address:port (e.g. 127.0.0.1:18800)")
    path.write_text(text.replace("www.luhe.gov.cn: 127.0.0.1", "http://www.luhe.gov.cn/: 127.0.0.1:80"), encoding="utf-8")
    with pytest.raises(RegistryError, match=r"sites.yaml:9: sites\[0\].connect_to.*is not host\[:port\]"):
        load_registry(path)
    path.write_text(text.replace("127.0.0.1\n", "127.0.0.1:18800\n"), encoding="utf-8")
    assert load_registry(path)[0].connect_to == {"www.luhe.gov.cn": "127.0.0.1:18800"}


# ── end to end: a saved sample county, harvested and parsed under its real host ─────────────────────────────────

def save_county(site, folder: Path) -> None:
    """Save every GET route of a sample county the way `wget -m` would (a query goes into the file name)."""
    for key, page in site.routes.items():
        if not isinstance(key, str):
            continue  # ("POST", path): a mirror has no forms
        _, body = page()
        path, _, query = key.partition("?")
        name = path.lstrip("/") + ("index.html" if path.endswith("/") else "") + (f"?{query}" if query else "")
        put(folder / name, body.encode(site.county.encoding, errors="xmlcharrefreplace") if isinstance(body, str) else body)


def test_a_saved_county_is_harvested_and_parsed_under_its_real_host(tmp_path):
    real = "www.liutang.example.gov.cn"
    with SampleWeb(counties=7) as web:
        county_site = web.sites[6]
        assert county_site.county.family == "vendor"
        save_county(county_site, tmp_path / "mirror" / real)
        county = county_site.county
    mirror = open_mirror(tmp_path / "mirror")
    assert mirror.host == real
    with ReplayServer(mirror, port=0) as server:
        plan = replay_site(mirror, server.port, entry="/zfxxgk/index.html")
        site = plan.site
        assert site.site_id == f"{county.site_id[:6]}-liutang" and site.entry_urls == [f"http://{real}/zfxxgk/index.html"]
        lake = DataFolder(tmp_path / "data")
        report = harvest_site(site, lake)
        parse_site(site, lake)
    assert report.status == "ok", report.message
    docs = lake.read_site_table(site.site_id, "documents")
    assert docs and all(d["url"].startswith(f"http://{real}/") for d in docs)
    assert len(docs) == sum(1 for _ in county.all_docs())
    assert server.hits and all(not path.startswith("http") for _, path in server.hits)


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed here")
def test_a_real_wget_mirror_with_windows_names_is_harvested_whole(tmp_path):
    """wget itself saves a sample county whose lists are `xxgk.shtml?code=…&temp=list` (Ucap): with -E and
    --restrict-file-names=windows it writes `127.0.0.1+PORT/…/xxgk.shtml@code=…&temp=list.html`."""
    with SampleWeb(counties=3) as web:
        county_site = web.sites[2]
        assert county_site.county.family == "ucap"
        subprocess.run(["wget", "-q", "-m", "-E", "--restrict-file-names=windows", "-P", str(tmp_path / "mirror"),
                        county_site.base_url + "/"], timeout=300, check=False)  # exit 8: the planted broken attachment
        expected = sum(1 for _ in county_site.county.all_docs())
        netloc = county_site.base_url.removeprefix("http://")
    assert any("@" in p.name for p in (tmp_path / "mirror").rglob("*.html"))
    mirror = open_mirror(tmp_path / "mirror")
    assert (mirror.host, mirror.root.name) == (netloc, netloc.replace(":", "+"))
    with ReplayServer(mirror, port=0) as server:  # the sample web is gone: only the mirror answers
        site = replay_site(mirror, server.port, entry=county_site.entry).site
        lake = DataFolder(tmp_path / "data")
        assert harvest_site(site, lake).status == "ok"
        parse_site(site, lake)
    docs = lake.read_site_table(site.site_id, "documents")
    assert len(docs) == expected and all(d["url"].startswith(f"http://{netloc}/") for d in docs)


@pytest.mark.parametrize("saved", ["whole site", "section alone"])
def test_a_saved_small_vendor_site_is_harvested_from_its_home_page_or_from_its_section_alone(tmp_path, saved):
    """The small vendor's ASP.NET county (query-string pages, group columns, a Chinese attachment name): from the home
    page the harvest discovers the platform; a mirror of the 信息公开 section alone starts from the saved page whose
    menu carries the most statutory names."""
    real = "www.shimenling.example.gov.cn"
    with SampleWeb(counties=8, docs_per_county=30) as web:
        county_site = web.sites[7]
        assert county_site.county.family == "aspx"
        save_county(county_site, tmp_path / "mirror" / real)
        truth = {d["url"].replace(county_site.base_url, f"http://{real}")
                 for d in ground_truth(web)["documents"] if d["site_id"] == county_site.county.site_id}
    if saved == "section alone":
        for page in (tmp_path / "mirror" / real).iterdir():
            if page.is_file():
                page.unlink()  # the home page and the robots file
        shutil.rmtree(tmp_path / "mirror" / real / "news")
    mirror = open_mirror(tmp_path / "mirror", host=real)
    with ReplayServer(mirror, port=0) as server:
        plan = replay_site(mirror, server.port)
        site = plan.site
        lake = DataFolder(tmp_path / "data")
        report = harvest_site(site, lake)
        parse_site(site, lake)
    start = "/" if saved == "whole site" else "/xxgk/"
    assert site.entry_urls == [f"http://{real}{start}"] and report.status == "ok", (report.message, report.errors[:2])
    assert {d["url"] for d in lake.read_site_table(site.site_id, "documents")} == truth
