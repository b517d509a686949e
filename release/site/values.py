"""Values as the release site shows them: a cell as text (numbers without a spurious '.0', dates ISO), a file size,
an http(s) URL that may become a link, a release path as a relative URL, a county's page name, and JSON safe to
load as a script."""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote, urlsplit

_SITE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def text(value) -> str:
    """A cell value as display text: None → '', numbers without a spurious '.0', dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        value = value.normalize()
        return f"{value:f}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".10g")
    return str(value)


def http_url(value) -> str | None:
    """The URL if it is an absolute http(s) URL (no whitespace or control characters), else None."""
    url = text(value).strip()
    if not _HTTP_URL.fullmatch(url):
        return None
    try:
        if not urlsplit(url).netloc:
            return None
    except ValueError:
        return None
    return url


def url_path(path) -> str:
    """A path inside the release as the path of a relative URL: each segment percent-encoded, '/' kept."""
    return quote(text(path), safe="/")


def human_size(size) -> str:
    if size is None:
        return ""
    size = int(size)
    if size < 1024:
        return f"{size} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        size /= 1024
        if size < 1024 or unit == "TiB":
            return f"{size:.1f} {unit}"
    return ""  # unreachable


def share(value, most) -> float:
    """value / most, between 0 and 1 (0 when there is no most): how full a bar is."""
    return 0 if not most else max(0.0, min(1.0, float(value or 0) / float(most)))


def js_data(value) -> str:
    """JSON for a script file: sorted, compact, and with <, >, &, U+2028, U+2029 as \\uXXXX (only inside strings)."""
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for ch, sub in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(ch, sub)
    return out


def page_name(site_id: str) -> str:
    if not _SITE_ID.fullmatch(site_id or ""):
        raise ValueError(f"site_id {site_id!r} cannot name a page (letters, digits, '.', '_', '-' only)")
    return f"{site_id}.html"
