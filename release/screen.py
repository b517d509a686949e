"""The privacy screen before publication (公开前审查), applied to whole tables: every text value (lists included) is
scanned for ID, mobile and bank-card numbers (release.privacy), redacted, and each hit is listed for the data team in a
quarantine report that is never published."""
from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
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
        if listed:  # the rows holding a suspect item
            items = suspects(pc.list_flatten(column))
            rows_with_runs = sorted(set(pc.list_parent_indices(column).take(items).to_pylist())) if items else []
        else:
            rows_with_runs = suspects(column)
        if not rows_with_runs:
            columns.append(column)
            continue
        values = column.to_pylist()
        changed = False
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


def leaks_in(values: list | pa.Array | pa.ChunkedArray) -> list:
    """PII hits in a batch of strings (the release check re-scans what was written)."""
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        values = pa.array(values, pa.large_string())
    found = suspects(values)
    return [h for text in values.take(found).to_pylist() for h in find_pii(text)] if found else []


def scan_release(folder: Path) -> list[dict]:
    """Every personal-data hit left in a written release: Parquet text columns, and the text of every other file."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        for values in _texts(path):  # a chunk at a time: memory stays bounded however large the file
            found += [{"file": name, "kind": h.kind, "masked": h.masked} for h in leaks_in(values)]
    return found


def _texts(path: Path, rows: int = 20_000):
    """The text a file holds, in chunks: a Parquet file's text cells `rows` at a time, any other file (gzipped or not)
    as the lines of each PIECE bytes read (a number never spans two lines, so none is cut in two)."""
    if path.suffix == ".parquet":
        for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
            texts = [column.cast(pa.large_string()) if _is_text(column.type) else
                     pc.list_flatten(column).cast(pa.large_string()) for column in batch.columns
                     if _is_text(column.type) or pa.types.is_list(column.type) and _is_text(column.type.value_type)]
            yield pa.chunked_array(texts, pa.large_string())
        return
    with (gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")) as fh:
        rest = b""
        while block := fh.read(PIECE):
            data = rest + block
            cut = data.rfind(b"\n") + 1 or (_cut(data, PIECE) if len(data) > PIECE else 0)
            if cut:
                yield [line.rstrip("\r") for line in data[:cut].decode("utf-8", "replace").split("\n")]
            rest = data[cut:]
        if rest:
            yield [rest.decode("utf-8", "replace")]


PIECE = 1 << 20  # bytes read at a time: the most of one line looked at at once (a search index is one line of 100s of MB)
_BREAKS = frozenset(b'"{}[]<>')


def _cut(line: bytes, size: int) -> int:
    """Where to cut the first `size` bytes of a long line: just after its last quote, brace, bracket or angle bracket
    (never inside a number, however it is spelled, nor inside a UTF-8 character); with none, at the last UTF-8
    character boundary."""
    cut = max((line.rfind(bytes([b]), 0, size) for b in _BREAKS), default=-1) + 1
    if cut == 0:
        cut = size
        while cut > 0 and (line[cut] & 0xC0) == 0x80:
            cut -= 1
    return cut or size
