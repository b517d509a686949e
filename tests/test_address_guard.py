"""The private-address guard: only public unicast addresses are connected to, judged on the connection itself."""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from gongkai.harvesters.archive import WarcArchive
from gongkai.harvesters.errors import HarvestError, OutOfScope, RobotsDisallowed
from gongkai.harvesters.fetch import PoliteClient
from gongkai.harvesters.guard import refusal
from gongkai.harvesters.hosts import HostGate
from gongkai.schemas.registry import Politeness, Site


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.100.100.200", "100.64.0.1",
    "0.0.0.0", "224.0.0.251", "239.255.255.250", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b:1::1",
    "2002:a00:1::", "2002:7f00:1::1", "2001:db8::1",
])
def test_non_global_addresses_are_refused(address):
    assert refusal(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "202.96.134.133", "2400:3200::1", "64:ff9b::808:808",
                                     "::ffff:8.8.8.8", "2002:808:808::1"])
def test_public_addresses_pass(address):
    assert refusal(address) is None


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>internal</body></html>")

    def log_message(self, *args):
        pass


@pytest.fixture()
def internal():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Counter.hits = []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _client(tmp_path, host: str) -> PoliteClient:
    site = Site(site_id="990000-guard", name="测试县", level="county", province="测试省",
                entry_urls=[f"http://{host}/"], allowed_hosts=[host],
                politeness=Politeness(delay_seconds=0.0, max_concurrency=1, retries=0, timeout_seconds=3))
    return PoliteClient(site, WarcArchive(tmp_path / "run.warc.gz"), HostGate(tmp_path / "hosts"))


def test_dns_rebinding_is_refused_on_the_connection(internal, tmp_path, monkeypatch):
    """The name resolves to a public address for the scope check and to 127.0.0.1 when the connection is made: the
    connection's peer address is judged, so nothing reaches the internal server."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), internal))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    client = _client(tmp_path, f"rebind.example:{internal}")
    with pytest.raises(RobotsDisallowed, match="private address 127.0.0.1; refused"):
        client.fetch(f"http://rebind.example:{internal}/xxgk/")
    assert _Counter.hits == []


def test_a_name_resolving_to_a_private_address_is_refused_before_any_request(internal, tmp_path):
    client = _client(tmp_path, f"localhost:{internal}")
    with pytest.raises(OutOfScope, match="private address 127.0.0.1; refused unless the registry sets"):
        client.fetch(f"http://localhost:{internal}/")
    assert _Counter.hits == []


def test_a_name_that_does_not_resolve_is_a_harvest_error_naming_the_url(tmp_path):
    client = _client(tmp_path, "no-such-county.invalid")
    with pytest.raises(HarvestError, match=r"http://no-such-county.invalid/: the host name does not resolve"):
        client.fetch("http://no-such-county.invalid/")
