"""The raw archive: every request and response of a harvest run as WARC records (ISO 28500), one file per site per run.

Parsing runs from these files alone (`read_responses`), so a parser fix reruns `parse` without a new crawl.
"""
from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SOFTWARE = "gongkai-harvester/0.1"


class WarcArchive:
    """Append-only WARC writer for one site run; `write` returns the response record's id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        if path.stat().st_size == 0:
            self._writer.write_record(self._writer.create_warcinfo_record(path.name, {"software": SOFTWARE}))

    def write(self, method: str, url: str, request_headers: dict[str, str], post_data: bytes | None,
              status: int, reason: str, response_headers: list[tuple[str, str]], body: bytes) -> str:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        req = StatusAndHeaders(f"{method} {target or '/'} HTTP/1.1",
                               [("Host", parts.netloc), *request_headers.items()], is_http_request=True)
        resp = StatusAndHeaders(f"{status} {reason}", response_headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=resp)
        request = self._writer.create_warc_record(url, "request", payload=io.BytesIO(post_data or b""),
                                                  http_headers=req)
        self._writer.write_request_response_pair(request, record)
        self._fh.flush()
        return record.rec_headers.get_header("WARC-Record-ID")

    def close(self) -> None:
        self._fh.close()


def read_responses(path: Path) -> dict[str, tuple[int, str, bytes]]:
    """WARC-Record-ID of each response → (status, content type, body)."""
    out: dict[str, tuple[int, str, bytes]] = {}
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            status = int(rec.http_headers.get_statuscode() or 0)
            out[rec.rec_headers.get_header("WARC-Record-ID")] = (
                status, rec.http_headers.get_header("Content-Type") or "", rec.content_stream().read())
    return out
