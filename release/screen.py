"""The privacy screen before publication (公开前审查), applied to whole tables: every text value (lists included) is
scanned for ID, mobile and bank-card numbers (release.privacy), redacted, and each hit is listed for the data team in a
quarantine report that is never published."""
from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from gongkai.release.privacy import find_pii, redact, suspects

URL_FIELDS = ("url", "subject_url", "entry_url")


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def screen_table(resource: str, table: pa.Table, key: tuple[str, ...]) -> tuple[pa.Table, list[dict]]:
    """(the table with personal data redacted, quarantine rows: resource, key, field, kind, masked value, source URL)."""
    hits: list[dict] = []
    columns = []
    rows = None
    for name, column in zip(table.column_names, table.columns, strict=True):
        t = column.type
        text, listed = _is_text(t), pa.types.is_list(t) and _is_text(t.value_type)
        if not (text or listed):
            columns.append(column)
            continue
        values = column.to_pylist()
        changed = False
        rows_with_runs = [i for i, value in enumerate(values) if value and suspects(value)] if listed else \
            suspects(values)
        for i in rows_with_runs:
            cells = values[i] if listed else [values[i]]
            if not any(c and find_pii(c) for c in cells):
                continue
            if rows is None:
                rows = table.select([c for c in (*key, *URL_FIELDS) if c in table.column_names]).to_pylist()
            clean = []
            for cell in cells:
                red, found = redact(cell) if cell else (cell, [])
                clean.append(red)
                source = next((rows[i][f] for f in URL_FIELDS if rows[i].get(f)), None)
                hits += [{"resource": resource, "key": "|".join(str(rows[i][k]) for k in key), "field": name,
                          "kind": h.kind, "masked": h.masked, "source_url": source} for h in found]
            values[i] = clean if listed else clean[0]
            changed = True
        columns.append(pa.array(values, type=t) if changed else column)
    return pa.table(columns, schema=table.schema), hits


def leaks_in(values) -> list:
    """PII hits in a list of strings (the release check re-scans what was written)."""
    return [h for i in suspects(values) for h in find_pii(values[i])]


def scan_release(folder: Path) -> list[dict]:
    """Every personal-data hit left in a written release: Parquet text columns, and the text of every other file."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        for values in _texts(path):  # a chunk at a time: memory stays bounded however large the file
            found += [{"file": name, "kind": h.kind, "masked": h.masked} for h in leaks_in(values)]
    return found


def _texts(path: Path, lines: int = 20_000):
    """The text a file holds, in chunks: a Parquet file's text cells a batch at a time, any other file (gzipped or
    not) `lines` lines at a time (a number never spans two lines, so none is cut in two)."""
    if path.suffix == ".parquet":
        for batch in pq.ParquetFile(path).iter_batches(batch_size=lines):
            values = []
            for column in batch.columns:
                t = column.type
                if _is_text(t):
                    values += column.to_pylist()
                elif pa.types.is_list(t) and _is_text(t.value_type):
                    values += [v for cell in column.to_pylist() if cell for v in cell]
            yield values
        return
    with (gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")) as fh:
        while chunk := list(itertools.islice(fh, lines)):
            yield [piece.decode("utf-8", "replace") for line in chunk for piece in _pieces(line)]


PIECE = 1 << 20  # the most of one line looked at at once (a search index is a single line of hundreds of MB)
_BREAKS = frozenset(b'"{}[]<>')


def _pieces(line: bytes, size: int = PIECE):
    """A line in pieces of about `size` bytes, each cut just after a quote, brace, bracket or angle bracket (never
    inside a number, however it is spelled, nor inside a UTF-8 character); a line with none is cut every `size` bytes
    at a UTF-8 character boundary."""
    start = 0
    while len(line) - start > size:
        cut = max((line.rfind(bytes([b]), start, start + size) for b in _BREAKS), default=-1) + 1
        if cut <= start:  # no break in the window: cut before a UTF-8 lead byte
            cut = start + size
            while cut > start and (line[cut] & 0xC0) == 0x80:
                cut -= 1
        yield line[start:cut]
        start = cut
    yield line[start:]
