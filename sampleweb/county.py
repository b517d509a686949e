"""One county of the sample web, built from (seed, index, size, as_of): its column tree (model), then its documents
(documents), the same every time."""
from __future__ import annotations

import random
from datetime import date

from gongkai.sampleweb.documents import populate
from gongkai.sampleweb.model import (
    DEFECT_PLAN,
    DEPARTMENTS,
    DEPT_COLUMNS,
    FAMILIES,
    NAMES,
    ORDINALS,
    SLUGS,
    STATUTORY,
    Column,
    County,
)
from gongkai.schemas.clock import china_today


def build_county(index: int, seed: int = 7, docs_per_county: int = 60, as_of: date | None = None) -> County:
    """Build county `index` of the sample web. Same arguments → same county, document for document."""
    as_of = as_of or china_today()
    rng = random.Random(f"{seed}:{index}")
    cycle, pos = divmod(index, len(NAMES))
    short = NAMES[pos] + ("" if cycle == 0 else ORDINALS[cycle % len(ORDINALS)])  # 文号 prefixes carry no digits
    slug = SLUGS[pos] + ("" if cycle == 0 else str(cycle + 1))
    family = FAMILIES[index % len(FAMILIES)]
    plan = DEFECT_PLAN[index % len(DEFECT_PLAN)]
    county = County(
        index=index, site_id=f"99{index // 99 + 1:02d}{index % 99 + 1:02d}-{slug}", name=f"{short}县人民政府",
        short=short, slug=slug, family=family, encoding="gbk" if index % 6 == 3 else "utf-8",
        as_of=as_of, columns=[], defects=[],
    )
    missing = {p + s for kind, s in plan if kind == "missing" for p in ("", "jc")}  # the 基层 catalogue's column too

    def make(spec, parent):
        name, slug_, fresh, weight, kind, children = spec
        col = Column(name=name, slug=slug_, freshness=fresh, kind=kind, parent=parent)
        col.children = [make(c, col) for c in children if c[1] not in missing]
        col._weight = weight  # type: ignore[attr-defined]
        return col

    top = [
        ("政府信息公开指南", "zfxxgkzn", None, 0, "guide", []),
        ("政府信息公开制度", "zfxxgkzd", None, 2, "plain", []),
        ("法定主动公开内容", "fdzdgknr", None, 0, "container", STATUTORY),
        ("政府信息公开年报", "zfxxgknb", None, 0, "report", []),
        ("部门信息公开", "bmxxgk", None, 0, "container",
         [(f"县{n}", s, None, 0, "container", DEPT_COLUMNS) for n, s in DEPARTMENTS]),
    ]
    county.columns = [make(t, None) for t in top]
    for i, col in enumerate(county.all_columns()):
        col.col_id = 1000 + i
    populate(county, rng, docs_per_county, plan)
    return county
