"""Documents of a sample county: titles, metadata (索引号, 发布机构, 成文日期, 发布日期, 文号, 有效性), 解读 links,
annual reports with the 2021-format tables, attachments, and the planted defects that concern them."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sampleweb.model import BLANK_NOTE, FRESHNESS, Attachment, Column, County, Doc, report_year_due

REQUIREMENT_OF_SLUG = {  # the ground truth names requirements independently of the audit's own mapping
    "sfxm": "art20_08_fees", "jdjc": "art20_13_inspections", "zfcg": "art20_09_procurement",
    "zdxm": "art20_10_major_projects", "ghjh": "art20_03_plans",
}
SUBJECTS = ["农村人居环境整治", "城乡居民医疗保险", "安全生产专项整治", "优化营商环境", "粮食安全责任制", "河长制",
            "城市管理综合执法", "义务教育均衡发展", "养老服务体系建设", "政府投资项目管理", "农村集体资产管理", "耕地保护"]
TITLES = {
    "policy": "{s}县人民政府关于印发《{s}县{x}管理办法》的通知",
    "plain": "{s}县{x}工作{c}情况",
    "zfwj": "{s}县人民政府关于{x}的通知",
    "gzdt": "{s}县召开{x}工作推进会",
    "tjxx": "{s}县{y}年第{q}季度国民经济运行情况",
    "czyjs": "{s}县{y}年财政预算执行情况和{y1}年财政预算草案的报告",
    "zfcg": "{s}县{x}项目政府采购公告",
    "rsxx": "{s}县{y}年公开招录公务员拟录用人员公示",
}
TOPICS = {"czyjs": "财政", "tjxx": "统计", "zfcg": "财政", "rsxx": "人事", "jyj": "教育", "yjgl": "安全生产监管"}


def _publisher(county: County, col: Column) -> tuple[str, int]:
    node = col
    while node.parent is not None and node.parent.slug != "bmxxgk":
        node = node.parent
    if node.parent is not None:  # a department (部门) subtree
        return f"{county.short}{node.name}", 1 + [c.slug for c in node.parent.children].index(node.slug)
    return f"{county.short}县人民政府办公室", 0


def _dates(rng: random.Random, newest: date, n: int, oldest: date) -> list[date]:
    span = max(1, (newest - oldest).days)
    return sorted([newest] + [newest - timedelta(days=rng.randint(1, span)) for _ in range(n - 1)], reverse=True)


def _doc(county, col, rng, serial, kind, title, published, written=None) -> Doc:
    publisher, org = _publisher(county, col)
    written = written or published - timedelta(days=rng.randint(0, 6))
    is_policy = kind == "policy"
    doc_no = None
    if is_policy:
        doc_no = f"{county.short}政规〔{written.year}〕{serial % 40 + 1}号"
    elif col.slug == "zfwj":
        doc_no = f"{county.short}政发〔{written.year}〕{serial % 60 + 1}号"
    body = (f"{title}。\n为深入贯彻落实《中华人民共和国政府信息公开条例》，结合我县实际，现将有关事项公开如下。\n"
            f"一、{county.short}县各有关单位要高度重视，认真组织实施。\n二、本文件自发布之日起施行，由{publisher}负责解释。")
    doc = Doc(
        serial=serial, column=col, kind=kind, title=title, written=written, published=published,
        publisher=publisher, index_no=f"{county.site_id[:6]}{org:03d}/{written.year}-{serial:05d}",
        doc_no=doc_no, validity=("失效" if serial % 7 == 3 else "有效") if is_policy else None,
        topic=TOPICS.get(col.slug, "综合政务"), body=body,
    )
    if is_policy or col.slug == "zfwj":
        doc.attachments.append(Attachment(name=f"附件{serial % 3 + 1}：{county.short}县{SUBJECTS[serial % 12]}实施细则",
                                          ext="pdf" if serial % 2 else "docx", size=rng.randint(800, 4000)))
    elif col.slug == "zfcg":
        doc.attachments.append(Attachment(name="采购需求一览表", ext="xlsx", size=rng.randint(800, 4000)))
    return doc


def _report_tables(policies: int, year: int) -> str:
    """Table 二 of the 2021 format (国办公开办函〔2021〕30号), trimmed to the normative-document rows."""
    return (
        "<table class=\"nb-table\"><caption>二、主动公开政府信息情况</caption>"
        "<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>"
        f"<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
        f"<tr><td>行政规范性文件</td><td>{policies}</td><td>0</td><td>{policies + 3}</td></tr></table>"
        "<table class=\"nb-table\"><caption>三、收到和处理政府信息公开申请情况</caption>"
        "<tr><th>本年新收政府信息公开申请数量</th><th>上年结转政府信息公开申请数量</th><th>总计</th></tr>"
        f"<tr><td>{year % 7 + 2}</td><td>1</td><td>{year % 7 + 3}</td></tr></table>"
    )


def populate(county: County, rng: random.Random, docs_per_county: int, plan: list[tuple[str, str]]) -> None:
    as_of, unit = county.as_of, max(1.0, docs_per_county / 47)  # ~docs_per_county in all, 解读 included
    kinds = {s: k for k, s in plan if s}
    flags = {k for k, _ in plan}
    serial = 0
    oldest = as_of - timedelta(days=1000)
    policies: list[Doc] = []
    interp_col = None
    for col in county.all_columns():
        if col.kind == "interpretation":
            interp_col = col
        if col.kind in ("container", "interpretation") or col.children:
            continue
        scope_gov = not col.name_path.startswith("部门信息公开")
        defect = kinds.get(col.slug) if scope_gov else None
        if col.kind == "guide":
            serial += 1
            col.docs.append(_doc(county, col, rng, serial, "guide", f"{county.name}政府信息公开指南",
                                 as_of - timedelta(days=rng.randint(100, 300))))
            continue
        if col.kind == "report":
            due = report_year_due(as_of)
            for year in range(due - 4, due + 1):
                if year == due and "no_annual_report" in flags:
                    continue
                pub = date(year + 1, 5, 20) if year == due and "late_annual_report" in flags else \
                    date(year + 1, 3, rng.randint(5, 28))
                serial += 1
                doc = _doc(county, col, rng, serial, "report", f"{county.name}{year}年政府信息公开工作年度报告", pub)
                doc.html_extra = _report_tables(sum(1 for p in policies if p.published.year == year), year)
                col.docs.append(doc)
            continue
        if defect in ("blank", "blank_with_note"):
            col.note = BLANK_NOTE if defect == "blank_with_note" else None
            county.defects.append({"kind": defect, "requirement": REQUIREMENT_OF_SLUG[col.slug],
                                   "column_path": col.name_path})
            continue
        n = max(1, round(col._weight * unit))  # type: ignore[attr-defined]
        newest = as_of - timedelta(days=rng.randint(0, 5))
        if defect == "stale":
            newest = as_of - timedelta(days=FRESHNESS[col.freshness] + 60 + rng.randint(0, 30))
            county.defects.append({"kind": "stale", "requirement": REQUIREMENT_OF_SLUG[col.slug],
                                   "column_path": col.name_path, "newest_item_date": newest.isoformat()})
        for i, pub in enumerate(_dates(rng, newest, n, oldest)):
            serial += 1
            kind = "policy" if col.kind == "policy" else "plain"
            template = TITLES.get(col.slug) or TITLES[kind]
            title = template.format(s=county.short, x=SUBJECTS[(serial + i) % 12], c=["推进", "落实", "完成"][serial % 3],
                                    y=pub.year - 1, y1=pub.year, q=serial % 4 + 1)
            doc = _doc(county, col, rng, serial, kind, title, pub)
            col.docs.append(doc)
            if kind == "policy" and scope_gov:
                policies.append(doc)
    for kind, slug in plan:
        if kind == "missing":
            county.defects.append({"kind": "missing", "requirement": REQUIREMENT_OF_SLUG[slug], "column_path": None})
    if "no_annual_report" in flags:
        county.defects.append({"kind": "missing", "requirement": "annual_report", "column_path": None,
                               "detail": f"no report for {report_year_due(as_of)}"})
    if "late_annual_report" in flags:
        county.defects.append({"kind": "late_annual_report", "year": report_year_due(as_of)})
    _plant_policy_defects(county, rng, policies, interp_col, plan)


def _plant_policy_defects(county, rng, policies, interp_col, plan) -> None:
    """Late publication (>20 working days after 成文日期) and missing or late 解读 on normative documents."""
    old = [p for p in policies if (county.as_of - p.published).days > 45]
    flags = [k for k, _ in plan]
    late = old[-1] if "late_document" in flags else None
    if late:
        late.written = late.published - timedelta(days=rng.randint(50, 70))
        county.defects.append({"kind": "late_document", "doc": late})
    skip = old[0] if "no_interpretation" in flags else None
    slow = old[1] if "late_interpretation" in flags else None
    if skip:
        county.defects.append({"kind": "no_interpretation", "doc": skip})
    serial = 9000
    for p in policies:
        if p is skip:
            continue
        serial += 1
        pub = p.published + timedelta(days=30 if p is slow else 0)
        title = f"《{p.title.split('《')[-1].split('》')[0]}》政策解读"
        jd = _doc(county, interp_col, rng, serial, "interpretation", title, pub, written=pub)
        jd.body = f"{title}。\n一、起草背景和依据。\n二、主要内容：明确了工作目标、职责分工和保障措施。\n三、解读机关：{p.publisher}。"
        jd.related.append(p)
        p.related.append(jd)
        interp_col.docs.append(jd)
        if p is slow:
            county.defects.append({"kind": "late_interpretation", "doc": p, "interpretation": jd})
    interp_col.docs.sort(key=lambda d: d.published, reverse=True)
