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
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.harvesters.errors import HarvestError
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
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


class ArchiveDamaged(HarvestError):
    """An archived record that cannot be read where the fetch log says it is (a truncated or corrupt WARC file)."""


class ArchiveReader:
    """Random access to archived responses by (file, offset); keeps one open handle per file. Thread-safe: a site's
    workers share one reader, and a seek by one must not move another's read (that read garbage under load)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, io.BufferedReader] = {}
        self._lock = threading.Lock()

    def read_at(self, warc_file: str, offset: int, record_id: str | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
        """(status, response headers, body) of the record at `offset` in `warc_file`; ArchiveDamaged (naming the
        file and offset) when no whole record is there, or not the one `record_id` names."""
        with self._lock:
            try:
                fh = self._files.get(warc_file)
                if fh is None:
                    fh = self._files[warc_file] = open(self.folder / warc_file, "rb")
                fh.seek(offset)
                rec = next(iter(ArchiveIterator(fh)), None)
                if rec is None or rec.http_headers is None:
                    raise ArchiveDamaged(f"{self.folder / warc_file}: no record at offset {offset}")
                found = rec.rec_headers.get_header("WARC-Record-ID")
                if record_id and found != record_id:
                    raise ArchiveDamaged(f"{self.folder / warc_file}: the record at offset {offset} is {found}, not "
                                         f"{record_id} as the fetch log says")
                return int(rec.http_headers.get_statuscode() or 0), rec.http_headers.headers, rec.content_stream().read()
            except ArchiveDamaged:
                raise
            except (OSError, EOFError, ValueError, zlib.error, ArchiveLoadFailed) as exc:
                raise ArchiveDamaged(f"{self.folder / warc_file}: the record at offset {offset} cannot be read "
                                     f"({type(exc).__name__}: {exc}); the file is truncated or corrupt. Records "
                                     "before it are kept; the next harvest fetches the page again") from None

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
