"""What county web editors do between two harvests: publish new documents, edit old ones, withdraw some (撤稿).

Each change edits the county model in place; `CountySite.rebuild()` then re-renders its pages, as a CMS would
regenerate its static lists. Used by the incremental-harvest tests and the benchmarks, never by the demo.
"""
from __future__ import annotations

import random
from datetime import timedelta

from gongkai.sampleweb.documents import _doc
from gongkai.sampleweb.model import County, Doc


def _news_column(county: County):
    return next(c for c in county.all_columns() if c.slug == "gzdt" and not c.name_path.startswith("部门"))


def add_documents(county: County, n: int, seed: int = 1) -> list[Doc]:
    """Publish `n` new 工作动态 items dated today (the top of the column's first list page)."""
    rng, col = random.Random(f"add:{county.site_id}:{seed}"), _news_column(county)
    serial = max(d.serial for d in county.all_docs()) + 1
    new = [_doc(county, col, rng, serial + i, "plain", f"{county.short}县新发布工作动态第{seed}-{i + 1}号", county.as_of)
           for i in range(n)]
    col.docs[:0] = new
    return new


def edit_documents(county: County, m: int, visible: bool = True, seed: int = 1) -> list[Doc]:
    """Edit `m` older documents: a visible edit changes the title (so the list shows it); an invisible one changes
    only the body text, which only a full sweep (or the page's own validators) can notice."""
    docs = [d for d in county.all_docs() if d.kind == "plain" and county.as_of - d.published > timedelta(days=30)]
    chosen = random.Random(f"edit:{county.site_id}:{seed}:{visible}").sample(docs, m)
    for d in chosen:
        if visible:
            d.title = f"{d.title}（修订）"
        d.body = f"{d.body}\n（{seed}）本文已于发布后更正。"
    return chosen


def withdraw_document(county: County, slug: str = "zfwj") -> Doc:
    """Take one document of column `slug` off the site (its page and its list entry go)."""
    col = next(c for c in county.all_columns() if c.slug == slug and c.docs)
    return col.docs.pop(len(col.docs) // 2)
