"""Hostile or broken sites and registries: bounded in time and memory, reported with the reason, never a crash."""
from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

import pytest
from gongkai.harvesters.archive import WarcArchive
from gongkai.harvesters.errors import RobotsDisallowed
from gongkai.harvesters.fetch import PoliteClient
from gongkai.harvesters.hosts import HostGate
from gongkai.schemas.registry import Politeness, RegistryError, Site, load_registry


class RawServer:
    """A loopback server answering every connection with `answer(conn, request_path)`."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.paths: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            path = head.split(b" ", 2)[1].decode()
            self.paths.append(path)
            with contextlib.suppress(OSError):  # the client hung up: that is the point of some of these servers
                self.answer(conn, path)

    def close(self) -> None:
        self.sock.close()


def _client(tmp_path, port: int, **politeness) -> PoliteClient:
    host = f"127.0.0.1:{port}"
    site = Site(site_id="990000-hostile", name="测试县", level="county", province="测试省",
                entry_urls=[f"http://{host}/"], allow_private_addresses=True,
                politeness=Politeness(**{"delay_seconds": 0.0, "retries": 0, "timeout_seconds": 1.0} | politeness))
    return PoliteClient(site, WarcArchive(tmp_path / "run.warc.gz"), HostGate(tmp_path / "hosts"))


def _ok(conn, body: bytes, ctype: str = "text/html") -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype.encode() + b"\r\nContent-Length: "
                 + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)


def test_a_body_trickling_a_byte_at_a_time_is_cut_at_the_timeout(tmp_path):
    def trickle(conn, path):
        if path == "/robots.txt":
            return _ok(conn, b"", "text/plain")
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(1000):
            conn.sendall(b"x")
            time.sleep(0.2)  # each read waits far less than the timeout

    server = RawServer(trickle)
    client = _client(tmp_path, server.port, timeout_seconds=1.0)
    started = time.monotonic()
    got = client.fetch(f"http://127.0.0.1:{server.port}/xxgk/")
    spent = time.monotonic() - started
    server.close()
    assert got.status == 0 and "SlowResponse" in got.error and "longer than timeout_seconds" in got.error
    assert spent < 4, spent


@pytest.mark.parametrize("delay", ["86400", "1e300"])
def test_a_crawl_delay_over_the_cap_is_reported_not_waited_for(tmp_path, delay):
    def robots(conn, path):
        _ok(conn, f"User-agent: *\nCrawl-delay: {delay}\n".encode() if path == "/robots.txt" else b"<html></html>")

    server = RawServer(robots)
    client = _client(tmp_path, server.port, max_crawl_delay_seconds=5)
    started = time.monotonic()
    with pytest.raises(RobotsDisallowed, match=r"Crawl-delay of [0-9e+]+ s, more than the 5 s this registry honours"):
        client.fetch(f"http://127.0.0.1:{server.port}/xxgk/")
    with pytest.raises(RobotsDisallowed):  # every later request of the run too
        client.fetch(f"http://127.0.0.1:{server.port}/xxgk/2.html")
    assert time.monotonic() - started < 3
    assert server.paths == ["/robots.txt"]
    server.close()
    waits = tmp_path / "hosts" / f"127.0.0.1_{server.port}" / "next"  # nothing of the refused delay is kept
    assert not waits.exists() or struct.unpack("d", waits.read_bytes()[:8])[0] <= time.time() + 5


ENTRY = ("version: 1\nsites:\n  - site_id: {site_id}\n    name: 测试县\n    level: county\n    province: 测试省\n"
         "    entry_urls: [\"http://www.example.gov.cn/\"]\n{extra}")


def _registry(tmp_path, site_id: str = "990000-test", extra: str = ""):
    path = tmp_path / "sites.yaml"
    path.write_text(ENTRY.format(site_id=site_id, extra=extra), encoding="utf-8")
    return load_registry(path)


@pytest.mark.parametrize("extra, says", [
    ("    politeness: {timeout_seconds: .inf}\n", "politeness.timeout_seconds"),
    ("    politeness: {delay_seconds: 1e300}\n", "politeness.delay_seconds"),
    ("    politeness: {delay_seconds: .nan}\n", "politeness.delay_seconds"),
    ("    harvest: {max_page_bytes: 1e30}\n", "harvest.max_page_bytes"),
    ("    allowed_hosts: [other.example.gov.cn]\n", "leaves out the entry URLs' host"),
])
def test_registry_values_are_bounded(tmp_path, extra, says):
    with pytest.raises(RegistryError, match=rf"sites\.yaml:\d+: sites\[0\]\.{says}|{says}"):
        _registry(tmp_path, extra=extra)


@pytest.mark.parametrize("site_id", ['"990000-abc\\n"', "990000-" + "a" * 300, '"990000-ab/../x"'])
def test_site_ids_are_matched_whole_and_bounded(tmp_path, site_id):
    with pytest.raises(RegistryError, match=r"sites\[0\]\.site_id"):
        _registry(tmp_path, site_id=site_id)


def test_yaml_aliases_are_refused_before_they_expand(tmp_path):
    laughs = "".join(f"    x{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 12))
    path = tmp_path / "sites.yaml"
    path.write_text("version: 1\nlol: &l0 [lol]\nbombs:\n" + laughs + "sites: []\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RegistryError, match=r"sites\.yaml:\d+: not valid YAML \(alias \*l0 is not allowed"):
        load_registry(path)
    assert time.monotonic() - started < 1


def test_a_page_nested_200000_deep_is_read_in_bounded_time(tmp_path):
    from gongkai.harvesters.adapters.dom import nesting_cut, parse_html
    from gongkai.harvesters.crawl import harvest_site
    from gongkai.schemas.datafolder import DataFolder

    deep = "<html><body><h1>县政府信息公开</h1>" + "<div>" * 200_000 + "x</body></html>"
    assert parse_html(deep).css_first("h1").text() == "县政府信息公开"  # what comes before the cut is read
    assert nesting_cut("<div>" * 900 + "</div>" * 900) is None and nesting_cut("<br>" * 5000) is None

    def answer(conn, path):
        _ok(conn, b"" if path == "/robots.txt" else deep.encode(), "text/plain" if path == "/robots.txt" else "text/html")

    server = RawServer(answer)
    site = Site(site_id="990000-deep", name="测试县", level="county", province="测试省",
                entry_urls=[f"http://127.0.0.1:{server.port}/xxgk/"], allow_private_addresses=True,
                politeness=Politeness(delay_seconds=0.0, retries=0, timeout_seconds=5))
    started = time.monotonic()
    report = harvest_site(site, DataFolder(tmp_path))
    server.close()
    assert report.status == "failed" and "no disclosure column" in report.message  # reported, as any page without one
    assert time.monotonic() - started < 20  # without the guard, minutes: lexbor's time grows with depth squared


def test_a_lone_surrogate_in_a_json_list_is_mended_not_fatal():
    import pyarrow as pa
    from gongkai.harvesters.adapters.listing import json_list

    result = json_list("http://x/api?page=1", '{"total": 1, "data": [{"title": "通知\\ud800", "url": "/t1.html"}]}')
    assert result.items[0].title == "通知\ufffd"
    assert pa.array([result.items[0].title]).to_pylist() == ["通知\ufffd"]  # writable to Parquet


def test_an_entry_host_outside_allowed_hosts_is_reported_as_such_not_as_an_empty_site(tmp_path):
    from gongkai.harvesters.crawl import harvest_site
    from gongkai.schemas.datafolder import DataFolder

    site = Site(site_id="990000-scope", name="测试县", level="county", province="测试省",
                entry_urls=["http://10.0.0.1/xxgk/"], allowed_hosts=["10.0.0.1"])
    report = harvest_site(site, DataFolder(tmp_path))
    assert report.status == "failed" and "private" in report.message and "no disclosure columns" not in report.message
