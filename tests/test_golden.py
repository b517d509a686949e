"""Golden-file tests, one set per adapter: saved example pages with the expected adapter output beside each.

Layout (see tests/golden/README.md): ``tests/golden/<adapter>/<case>.<kind>.html`` with kind entry | list | document,
``<case>.url`` (the page's URL, one line: relative links resolve against it), an optional ``<case>.ctype`` (the
Content-Type header the page came with) and the expected ``<case>.<kind>.json``. A real page saved from a public source
is never committed: ``<case>.<kind>.ref`` names its file in the shared reference-pages folder instead (see
``reference_pages``), and the case is skipped, saying why, where that folder is absent.

A missing expected file is written from what the adapter does now, and the test fails until someone has reviewed it
(delete a .json to re-pin one case; GOLDEN_UPDATE=1 rewrites every mismatching one, and those cases fail too).
An adapter that raises on a page is pinned as ``{"raises": "<ExceptionName>", "message": ...}``; "message" is
compared only when the expected file has it.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from gongkai.harvesters.adapters import adapter_for
from gongkai.harvesters.adapters.base import Adapter, Request
from gongkai.harvesters.encoding import decode_html

from tests.conftest import REFERENCE_CANDIDATES, reference_pages

GOLDEN = Path(__file__).parent / "golden"
KINDS = ("entry", "group", "list", "document")
SHOW = 8  # differences shown on a mismatch


def _cases() -> list:
    """One case per saved page, per `<case>.<kind>.from` (a page saved for another adapter, read by this one: the
    file holds its path under tests/golden/) and per `<case>.<kind>.ref` (a real page: the file holds its name in
    the reference-pages folder)."""
    out = []
    pages = [*GOLDEN.glob("*/*.html"), *(p.with_suffix(".html") for p in (*GOLDEN.glob("*/*.from"), *GOLDEN.glob("*/*.ref")))]
    for page in sorted(pages):
        case, _, kind = page.name.removesuffix(".html").rpartition(".")
        out.append(pytest.param(page.parent.name, case, kind, page, id=f"{page.parent.name}/{case}"))
    return out


CASES = _cases()


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _entry(adapter: Adapter, url: str, text: str, support: dict[str, str]) -> dict:
    return {"support": [r.url for r in adapter.support(url, text)],
            "columns": [asdict(c) for c in adapter.columns(url, text, support)]}


def _group(adapter: Adapter, url: str, text: str, support: dict[str, str]) -> dict:
    """A column's own page read for the sub-columns it shows (a group column's page)."""
    return {"columns": [asdict(c) for c in adapter.subcolumns(url, text)]}


def _list(adapter: Adapter, url: str, text: str, support: dict[str, str], request: Request | None = None) -> dict:
    r = adapter.list_page(url, text, request)
    return {"items": [{"url": i.url, "title": i.title, "date": _iso(i.date)} for i in r.items],
            "more": [{"url": m.url, "method": m.method, "data": [list(kv) for kv in m.data]} for m in r.more],
            "note": r.note}


def _document(adapter: Adapter, url: str, text: str, support: dict[str, str]) -> dict:
    d = adapter.document(url, text)
    return {"title": d.title, "fields": dict(d.fields), "index_no": d.index_no, "doc_no": d.doc_no,
            "written_date": _iso(d.written_date), "published_date": _iso(d.published_date), "body_text": d.body_text,
            "attachments": [{"url": a.url, "name": a.name, "href": a.href} for a in d.attachments],
            "related_urls": list(d.related_urls), "warnings": list(d.warnings),
            "sources": {k: d.source_of(k) for k in ("published_date", "written_date", "doc_no", "publisher") if d.value(k)}}


RUN = {"entry": _entry, "group": _group, "list": _list, "document": _document}


def _source(page: Path) -> Path:
    """The saved page itself, the page another adapter's folder holds (.from), or the real page (.ref)."""
    if page.exists():
        return page
    if page.with_suffix(".from").exists():
        return GOLDEN / page.with_suffix(".from").read_text(encoding="utf-8").strip()
    name = page.with_suffix(".ref").read_text(encoding="utf-8").strip()
    folder = reference_pages()
    if folder is None or not (folder / name).exists():
        pytest.skip(f"real page {name} is not here: the shared reference-pages folder ({REFERENCE_CANDIDATES[0]}, or "
                    f"$GONGKAI_REFERENCE_PAGES) is absent; real pages are never committed to the repo")
    return folder / name


def actual_output(adapter_name: str, case: str, kind: str, page: Path) -> dict:
    """What the adapter makes of a saved page now, as plain JSON."""
    url = (page.parent / f"{case}.url").read_text(encoding="utf-8").strip()
    ctype_file = page.parent / f"{case}.ctype"
    ctype = ctype_file.read_text(encoding="utf-8").strip() if ctype_file.exists() else None
    source = _source(page)
    text, encoding = decode_html(source.read_bytes(), ctype)
    adapter = adapter_for(adapter_name)
    support = {}  # <case>.support: lines "<url> <file under tests/golden/>", the files the page needs (Adapter.support)
    listed = page.parent / f"{case}.support"
    for line in (listed.read_text(encoding="utf-8").splitlines() if listed.exists() else []):
        support_url, path = line.split()
        support[support_url] = decode_html((GOLDEN / path).read_bytes())[0]
    posted = page.parent / f"{case}.post"  # a list answer to a POST: its form, one "name=value" a line
    extra = {}
    if posted.exists():
        form = tuple(tuple(line.split("=", 1)) for line in posted.read_text(encoding="utf-8").splitlines() if line)
        extra = {"request": Request(url, "POST", form)}
    try:
        result = RUN[kind](adapter, url, text, support, **extra)
    except Exception as e:  # pinned honestly: a page the adapter cannot parse yet
        result = {"raises": type(e).__name__, "message": str(e)}
    return {"encoding": encoding, **result}


def dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _short(value, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


def differences(expected, actual, path: str = "$") -> list[str]:
    """Readable differences, first ones first: 'path: expected X, got Y'."""
    if type(expected) is not type(actual):
        return [f"{path}: expected {_short(expected)}, got {_short(actual)}"]
    if isinstance(expected, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}.{key}"
            if key not in actual:
                out.append(f"{where}: expected {_short(expected[key])}, missing now")
            elif key not in expected:
                out.append(f"{where}: not expected, got {_short(actual[key])}")
            else:
                out += differences(expected[key], actual[key], where)
        return out
    if isinstance(expected, list):
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            out += differences(e, a, f"{path}[{i}]")
        if len(expected) != len(actual):
            extra = expected[len(actual):] or actual[len(expected):]
            out.append(f"{path}: expected {len(expected)} entries, got {len(actual)}; "
                       f"{'missing' if len(expected) > len(actual) else 'extra'}: {_short(extra)}")
        return out
    if expected == actual:
        return []
    if isinstance(expected, str) and len(expected) + len(actual) > 160:
        at = next((i for i, (x, y) in enumerate(zip(expected, actual, strict=False)) if x != y),
                  min(len(expected), len(actual)))
        lo = max(0, at - 30)
        return [f"{path}: strings differ at character {at}: expected …{expected[lo:at + 50]!r}…, "
                f"got …{actual[lo:at + 50]!r}…"]
    return [f"{path}: expected {_short(expected)}, got {_short(actual)}"]


@pytest.mark.parametrize(("adapter_name", "case", "kind", "page"), CASES)
def test_golden(adapter_name: str, case: str, kind: str, page: Path) -> None:
    assert kind in KINDS, f"{page}: kind {kind!r} is not one of {KINDS}; name pages <case>.<kind>.html"
    actual = actual_output(adapter_name, case, kind, page)
    expected_file = page.with_suffix(".json")
    rel = expected_file.relative_to(GOLDEN.parent.parent)
    if not expected_file.exists():
        expected_file.write_text(dump(actual), encoding="utf-8")
        pytest.fail(f"{rel} did not exist and was written from the adapter's current output: review it against "
                    f"{page.name} and commit it (the test passes once it exists)", pytrace=False)
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    if "raises" in expected and "message" not in expected:
        actual.pop("message", None)
    if expected == actual:
        return
    diff = differences(expected, actual)
    more = f"\n  … and {len(diff) - SHOW} more" if len(diff) > SHOW else ""
    note = ""
    if os.environ.get("GOLDEN_UPDATE") == "1":
        expected_file.write_text(dump(actual), encoding="utf-8")
        note = f"\n{rel} was rewritten (GOLDEN_UPDATE=1): review the change with git diff"
    pytest.fail(f"{adapter_name}/{case} ({kind}) differs from {rel}:\n  " + "\n  ".join(diff[:SHOW]) + more + note,
                pytrace=False)


def test_golden_layout() -> None:
    """Every case has one page of a known kind and its .url; no expected file or .url is left without a page."""
    assert CASES, f"no golden pages under {GOLDEN}"
    problems, seen = [], set()
    for param in CASES:
        adapter_name, case, kind, page = param.values
        if kind not in KINDS or "." in case:
            problems.append(f"{page.name}: name pages <case>.<kind>.html, with no dot in the case and kind one of {KINDS}")
        if (adapter_name, case) in seen:
            problems.append(f"{adapter_name}/{case}: more than one page (one page per case: the .url is per case)")
        seen.add((adapter_name, case))
        url = page.parent / f"{case}.url"
        if not url.exists() or not url.read_text(encoding="utf-8").strip().startswith(("http://", "https://")):
            problems.append(f"{adapter_name}/{case}: {url.name} missing or not an http(s) URL")
    for extra in sorted(GOLDEN.glob("*/*")):
        if extra.suffix in (".json", ".url", ".ctype", ".ref", ".from", ".post"):
            case = extra.name.split(".", 1)[0]
            if (extra.parent.name, case) not in seen:
                problems.append(f"{extra.relative_to(GOLDEN)}: no page for case {case!r}")
    assert not problems, "\n".join(problems)
