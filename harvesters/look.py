"""A one-off polite look at a site, outside any harvest (`gongkai inspect`, `gongkai discover`).

robots.txt is read first and the host limits every harvest has apply (the shared host gate under `<data>/hosts`, or
Redis); the responses are kept in a throw-away archive, deleted when the look is closed. Nothing is written to the lake.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.harvesters.adapters.dom import host_of
from gongkai.harvesters.archive import WarcArchive
from gongkai.harvesters.encoding import decode_html
from gongkai.harvesters.errors import HarvestError
from gongkai.harvesters.fetch import Fetched, PoliteClient
from gongkai.harvesters.hosts import open_gate
from gongkai.schemas.registry import Site


class LookFailed(Exception):
    """A page could not be looked at; the message is `<url or file>: <reason>`."""


class Look:
    """A throw-away site around `url` (its host alone allowed) with a polite client. With `same_site`, hosts of the
    same government (xxgk.luhe.gov.cn beside www.luhe.gov.cn) are followed too. Close it (or use it in `with`)."""

    def __init__(self, url: str, hosts_dir: str | Path, adapter: str | None = None, allow_private: bool = False,
                 same_site: bool = False) -> None:
        self.site = Site(site_id="000000-inspect", name="inspect", level="county", province="-", entry_urls=[url],
                         adapter=adapter or "generic", allowed_hosts=[urlsplit(url).netloc],
                         allow_private_addresses=allow_private)
        self.same_site = same_site
        self._tmp = tempfile.TemporaryDirectory()
        self.archive = WarcArchive(Path(self._tmp.name) / "look.warc.gz")
        self.client = PoliteClient(self.site, self.archive, open_gate(hosts_dir))

    def fetch(self, url: str) -> Fetched:
        """The exchange, ok or not; a HarvestError (robots, scope, block) propagates."""
        host = host_of(url)
        if self.same_site and host not in self.site.allowed_hosts and registrable(host) in (
                registrable(h) for h in self.site.allowed_hosts):
            self.site.allowed_hosts.append(host)
        return self.client.fetch(url)

    def raw(self, url: str) -> tuple[bytes, str, str] | None:
        """(body, content type, final URL) of a good answer, else None; a HarvestError propagates."""
        got = self.fetch(url)
        return (got.body, got.content_type, got.url) if got.ok else None

    def file(self, url: str) -> tuple[bytes, str] | None:
        """(body, content type) of a file a page needs (its scripts), or None, refusals included."""
        try:
            got = self.raw(url)
        except HarvestError:
            return None
        return got[:2] if got else None

    def page(self, url: str) -> tuple[str, str] | None:
        """(final URL, decoded text) of a page, or None, refusals included."""
        try:
            got = self.raw(url)
        except HarvestError:
            return None
        return (got[2], decode_html(got[0], got[1])[0]) if got else None

    def close(self) -> None:
        self.archive.close()
        self._tmp.cleanup()

    def __enter__(self) -> Look:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def registrable(host: str) -> str:
    """The registered domain a government's hosts share: luhe.gov.cn for www.luhe.gov.cn and xxgk.luhe.gov.cn."""
    labels = host.split(":")[0].split(".")
    return ".".join(labels[-3:] if labels[-2:] == ["gov", "cn"] else labels[-2:])


def read_saved(file: str | Path) -> bytes:
    """A saved page's bytes; a missing or unreadable file is a LookFailed naming it."""
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise LookFailed(f"{file}: {exc.strerror}; pass a saved page file") from exc
