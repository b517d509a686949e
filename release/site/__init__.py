"""The public static site inside a release (发布站点): ``releases/YYYY-MM-DD/site/``.

``build_site(release_dir)`` reads the release's ``manifest.json`` and Parquet files (``data.py``) and writes plain
HTML from Jinja2 templates (``templates/``, rendered by ``render.py``), one CSS file and a little vanilla JavaScript
(``static/``):

* ``index.html``, for readers first (in Chinese, English beside it): what the 条例 requires and what was checked,
  how the score works, the ranking with a bar per county, and the requirements counties most often fail;
* ``heatmap.html``: county × requirement table of coverage verdicts under the requirements' Chinese names, the county
  column fixed while it scrolls, each failing cell opening the county page at that requirement's evidence;
* ``county/<site_id>.html``: a county's audit date, score and dimensions out of their points, every finding with its
  evidence (the live page and 存档, the archived copy in ``../../evidence/``), the rules behind them with their legal
  basis, the coverage gaps;
* ``downloads.html``: release notes (date, licence, schema and code version) and every file with its size and full
  sha256, linked relatively (``../documents.parquet``); ``dictionary.html``: every column of every table;
* ``search.html``: client-side search over the documents, narrowed by province, county and date. The index is
  ``search-index.js`` (fields, counties, provinces) and ``search-index/p<N>.js`` per province (``search.py``):
  scripts, so the page works from ``file://`` where ``fetch()`` of JSON does not; every province loads with the page
  up to ``PRELOAD_DOCS`` documents, and past that only the province a reader chooses.

Everything links relatively, so the site works from ``file://`` and from any static host, in any sub-folder, and
nothing is fetched from the network. The templates autoescape everything harvested (titles, names, subjects,
details, URLs); only http(s) URLs become links, anything else (``javascript:``) is shown as text. The search index is
JSON made safe to load as a script (``<``, ``>``, ``&``, U+2028/2029 as ``\\uXXXX``) and rendered with DOM methods
and ``textContent`` only. The output is deterministic: every list is sorted and no timestamp is written (the
manifest's ``created_at`` is left out, so two releases of the same inputs give the same site).

The element ids, classes and data attributes the pages expose (browser tests select on them) are listed at the top
of each template and in ``tests/test_release_site.py``'s docstring.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from gongkai.release.site.data import Release, load_release
from gongkai.release.site.render import (
    county_page,
    dictionary_page,
    downloads_page,
    heatmap_page,
    index_page,
    search_page,
    static_files,
)
from gongkai.release.site.search import search_sites, write_search_index
from gongkai.release.site.values import http_url, human_size, js_data, number, page_name, text

__all__ = ["PRELOAD_DOCS", "SITE_DIR", "Release", "build_site", "http_url", "human_size", "js_data", "load_release",
           "number", "page_name", "pages", "text"]

SITE_DIR = "site"
PRELOAD_DOCS = 200_000  # up to this many documents, every province's index loads with the page; past it, on demand


def pages(rel: Release):
    """Every file of the site as (path relative to site/, content), one at a time: a county page is written before
    the next is rendered. (The search index is written apart: write_search_index streams it.)"""
    yield from static_files()
    yield "index.html", index_page(rel)
    yield "heatmap.html", heatmap_page(rel)
    yield "search.html", search_page(rel, search_sites(rel)[1], preload=rel.document_count <= PRELOAD_DOCS)
    yield "downloads.html", downloads_page(rel)
    yield "dictionary.html", dictionary_page(rel)
    for sid, site in rel.counties.items():
        yield f"county/{page_name(sid)}", county_page(rel, sid, site)


def build_site(release_dir: Path) -> Path:
    """Write <release_dir>/site/ (replacing an earlier one) and return the path of its index.html."""
    release_dir = Path(release_dir)
    rel = load_release(release_dir)
    out, tmp = release_dir / SITE_DIR, release_dir / f".{SITE_DIR}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    for rel_path, content in pages(rel):
        path = tmp / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
    write_search_index(rel, tmp)  # streamed: together they hold every document
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out / "index.html"
