"""The fetch journal (采集日志): one JSON line per exchange, flushed as the run goes, beside the run's WARC file.

A run killed mid-way (SIGKILL, power loss) leaves its journal and WARC; the next harvest of the site picks the run up
again: exchanges the journal names are answered from the archive, the WARC is cut back to the last journaled record,
and the run goes on from there. A finished run turns its journal into `fetch_log.parquet` and deletes it.
"""
from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from pathlib import Path

NAME = "journal.jsonl"


class Journal:
    def __init__(self, path: Path, header: dict | None = None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "a", encoding="utf-8")
        self._lock = threading.Lock()
        if header is not None and self._fh.tell() == 0:
            self._write({"header": header})

    def _write(self, obj: dict) -> None:
        self._fh.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()

    def append(self, row: dict) -> None:
        with self._lock:
            self._write(row)

    def close(self) -> None:
        self._fh.close()

    def remove(self) -> None:
        self.close()
        os.remove(self.path)

    @staticmethod
    def load(path: Path) -> tuple[dict, list[dict]]:
        """(header, rows). A torn last line (the process died while writing it) is cut off the file."""
        header, rows, good = {}, [], 0
        raw = path.read_bytes()
        for line in raw.splitlines(keepends=True):
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                break
            if not line.endswith(b"\n"):
                break
            good += len(line)
            if "header" in obj:
                header = obj["header"]
                continue
            obj["fetched_at"] = datetime.fromisoformat(obj["fetched_at"])
            rows.append(obj)
        if good < len(raw):
            os.truncate(path, good)
        return header, rows
