"""The raw archive: every request and response of a harvest run as WARC records (ISO 28500), one file per site per run.

Each record is its own gzip member, so a record can be read at its offset without reading the file (`read_at`),
and a file cut short by a killed harvest is repaired by truncating it to the last record the fetch journal names.
A 304 Not Modified is archived as a ``revisit`` record (WARC 1.1 §6.7.2, profile server-not-modified) that refers
to the earlier response whose body it confirms. Parsing runs from these files alone.
"""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SOFTWARE = "gongkai-harvester/0.2"
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


class WarcArchive:
    """Append-only WARC writer for one site run; `write` returns the response record's id and offset."""

    def __init__(self, path: Path, keep_bytes: int | None = None) -> None:
        """`keep_bytes`: when resuming a killed run, cut the file to the end of the last journaled record first."""
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if keep_bytes is not None and path.exists() and path.stat().st_size > keep_bytes:
            os.truncate(path, keep_bytes)
        self._fh = open(path, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        self._lock = threading.Lock()
        if self._fh.tell() == 0:
            self._writer.write_record(self._writer.create_warcinfo_record(path.name, {"software": SOFTWARE}))
            self._fh.flush()

    def write(self, method: str, url: str, request_headers: dict[str, str], post_data: bytes | None,
              status: int, reason: str, response_headers: list[tuple[str, str]], body: bytes,
              refers_to: str | None = None) -> tuple[str, int, int]:
        """Archive one exchange; returns (response record id, its offset, end offset of the pair)."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        req = StatusAndHeaders(f"{method} {target or '/'} HTTP/1.1",
                               [("Host", parts.netloc), *request_headers.items()], is_http_request=True)
        resp = StatusAndHeaders(f"{status} {reason}", response_headers, protocol="HTTP/1.1")
        if status == 304 and refers_to:
            record = self._writer.create_warc_record(url, "revisit", payload=io.BytesIO(b""), http_headers=resp)
            record.rec_headers.add_header("WARC-Profile", NOT_MODIFIED_PROFILE)
            record.rec_headers.add_header("WARC-Refers-To", refers_to)
        else:
            record = self._writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=resp)
        request = self._writer.create_warc_record(url, "request", payload=io.BytesIO(post_data or b""), http_headers=req)
        with self._lock:
            offset = self._fh.tell()
            self._writer.write_request_response_pair(request, record)  # response first, then its request
            self._fh.flush()
            end = self._fh.tell()
        return record.rec_headers.get_header("WARC-Record-ID"), offset, end

    def close(self) -> None:
        self._fh.close()


class ArchiveReader:
    """Random access to archived responses by (file, offset); keeps one open handle per file. Thread-safe: a site's
    workers share one reader, and a seek by one must not move another's read (that read garbage under load)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, io.BufferedReader] = {}
        self._lock = threading.Lock()

    def read_at(self, warc_file: str, offset: int) -> tuple[int, list[tuple[str, str]], bytes]:
        """(status, response headers, body) of the record at `offset` in `warc_file`."""
        with self._lock:
            fh = self._files.get(warc_file)
            if fh is None:
                fh = self._files[warc_file] = open(self.folder / warc_file, "rb")
            fh.seek(offset)
            rec = next(iter(ArchiveIterator(fh)))
            return int(rec.http_headers.get_statuscode() or 0), rec.http_headers.headers, rec.content_stream().read()

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files.clear()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_responses(path: Path) -> dict[str, tuple[int, str, bytes]]:
    """WARC-Record-ID of each response → (status, content type, body); for whole-file checks and tests."""
    out: dict[str, tuple[int, str, bytes]] = {}
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            status = int(rec.http_headers.get_statuscode() or 0)
            out[rec.rec_headers.get_header("WARC-Record-ID")] = (
                status, rec.http_headers.get_header("Content-Type") or "", rec.content_stream().read())
    return out
