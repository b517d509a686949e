"""Decoding county pages: GBK/GB2312/GB18030, UTF-8 and BIG5 from header, BOM, <meta charset> or detection."""
from __future__ import annotations

import re

from charset_normalizer import from_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
# GB2312 and GBK pages routinely contain characters only their superset GB18030 has; decode with the superset.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}


def _norm(name: str) -> str:
    name = name.lower().replace("_", "-")
    return _SUPERSET.get(name, "utf-8" if name in ("utf8", "utf-8") else name)


def _works(data: bytes, enc: str) -> bool:
    try:
        data.decode(enc)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Order: a BOM; then valid UTF-8 with non-ASCII bytes, which is UTF-8 whatever
    the labels say (GBK text is practically never valid UTF-8, while the reverse often decodes as GB18030
    mojibake); then the <meta> and header charsets, the first that decodes cleanly (the page's own tag first, since
    servers mislabel more often than pages); then detection (charset-normalizer)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    header = _HEADER.search(content_type or "")
    meta = _META.search(data[:4096])
    candidates = [_norm(m.group(1).decode("ascii") if isinstance(m.group(1), bytes) else m.group(1))
                  for m in (meta, header) if m]
    for enc in candidates:
        if _works(data, enc):
            return data.decode(enc), enc
    best = from_bytes(data[:65536]).best()
    enc = _norm(best.encoding) if best else "utf-8"
    return data.decode(enc, "replace"), enc
