"""Documents of a sample county: titles, metadata (索引号, 发布机构, 成文日期, 发布日期, 文号, 有效性), 解读 links,
annual reports with the 2021-format tables, attachments, and the planted defects that concern them."""
from __future__ import annotations

import random
from datetime import date, timedelta
from html import escape

from gongkai.sampleweb.model import BLANK_NOTE, FRESHNESS, Attachment, Column, County, Doc, report_year_due

REQUIREMENTS_OF_SLUG = {  # the ground truth names requirements independently of the audit's own column mapping
    "sfxm": ["art20_08_fees"], "yjgl": ["art20_12_emergency"], "zfcg": ["art20_09_procurement"],
    "zdxm": ["art20_10_major_projects", "jc_major_projects"], "ghjh": ["art20_03_plans"],
    "jcssgl": ["jc_tax"], "jchjgl": ["jc_household_registration"], "jcylfw": ["jc_elderly_care"],
    "jcggfl": ["jc_public_legal"],
}
# The finding each planted defect must produce (the rules of audit/rules/); None: it must pass.
RULE_OF_KIND = {
    "missing": "missing_category", "blank": "blank_column", "blank_with_note": None, "stale": "stale_column",
    "late_document": "late_publication", "no_annual_report": "annual_report_missing",
    "late_annual_report": "annual_report_late", "late_dept_report": "annual_report_late",
    "no_interpretation": "interpretation_missing", "late_interpretation": "interpretation_late",
    "copied_interpretation": "interpretation_copied", "no_validity": "validity_missing",
    "guide_incomplete": "guide_incomplete", "broken_attachment": "attachment_broken",
    "site_inspection": "site_inspection", "report_check_failure": "report_crosscheck",
    "report_discrepancy": "report_reconciliation", "hostile_title": None, "pii_leak": None,
}
HOSTILE_TITLE = '=HYPERLINK("http://example.invalid","点击")关于<script>window.__pwned=1</script>开展"清风"<img src=x onerror="window.__pwned=2">行动的通知'
# A 公示 list that leaks personal data (fictional people; the numbers pass their checksums so the screen must act).
PII_ROWS = [("张某某", "男", "330106199003071236", "13912345678"), ("李某某", "女", "330106199207152644", "13687654321")]
# The 指南's parts (条例 第十二条), keyed by the taxonomy's guide-field requirements; `guide_incomplete` drops two.
GUIDE_PARTS = [
    ("guide_classification", "一、政府信息的分类：本机关主动公开的政府信息分为政策文件、机构职能、规划计划、统计信息、财政预决算等类别。"),
    ("guide_arrangement", "二、编排体系：政府信息按主题分类编排，每条信息包括索引号、名称、内容概述和生成日期。"),
    ("guide_access", "三、获取方式：公民、法人和其他组织可通过本网站政府信息公开专栏、县档案馆和县图书馆查阅主动公开的政府信息；"
                     "依申请公开的，可通过网上申请、信函或当面提交申请。"),
    ("guide_office_name", "四、政府信息公开工作机构名称：{short}县人民政府办公室（县政务公开办公室）"),
    ("guide_office_address", "办公地址：{short}县人民路1号县政府大楼三楼"),
    ("guide_office_hours", "办公时间：工作日上午8:30—12:00，下午14:30—17:30"),
    ("guide_phone", "联系电话：0999-6123456"),
    ("guide_fax", "传真号码：0999-6123457"),
    ("guide_web_contact", "电子邮箱：zwgk@{slug}.gov.example"),
]
GUIDE_DROPPED = ("guide_office_hours", "guide_fax")

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


def report_html(issued: int, year: int, break_check: str | None = None, flat: bool = False) -> str:
    """The statistical tables of a 2021-format annual report (国办公开办函〔2021〕30号), as tables or flattened text."""
    from gongkai.sampleweb.report_tables import ReportNumbers, render_2021_html, render_2021_text

    numbers = ReportNumbers(normative_issued=issued, normative_in_force=issued + 3 + year % 5, licences=40 + year % 13,
                            penalties=5 + year % 4, requests_new={"自然人": 3 + year % 7, "商业企业": year % 3, "其他": 1})
    if flat:  # some sites paste the tables as text: one paragraph per line
        return "".join(f"<p>{escape(line)}</p>" for line in render_2021_text(numbers, break_check=break_check).splitlines())
    return render_2021_html(numbers, break_check=break_check)


def _defect(county: County, kind: str, **fields) -> None:
    county.defects.append({"kind": kind, "rule": RULE_OF_KIND[kind], **fields})


def _guide(county: County, col: Column, rng: random.Random, serial: int, dropped: tuple[str, ...]) -> Doc:
    doc = _doc(county, col, rng, serial, "guide", f"{county.name}政府信息公开指南",
               county.as_of - timedelta(days=rng.randint(100, 300)))
    parts = [text.format(short=county.short, slug=county.slug) for key, text in GUIDE_PARTS if key not in dropped]
    doc.body = f"{county.name}政府信息公开指南\n" + "\n".join(parts)
    for key in dropped:
        _defect(county, "guide_incomplete", requirement=key, column_path=col.name_path)
    return doc


def _reports(county: County, col: Column, rng: random.Random, serial: int, flags: set, dept: str | None) -> list[Doc]:
    """Annual reports (年报): the county's for the last five years (due March 31), a department's for the last two
    (due January 31). The county's tables are filled in once the policies are known (see _report_tables)."""
    as_of = county.as_of
    if dept:
        due = as_of.year - 1 if as_of > date(as_of.year, 1, 31) else as_of.year - 2
        years, publisher = range(due - 1, due + 1), f"{county.short}{dept}"
    else:
        due = report_year_due(as_of)
        years, publisher = range(due - 4, due + 1), county.name
    docs = []
    for year in years:
        if year == due and not dept and "no_annual_report" in flags:
            continue
        if dept:
            late = year == due and ("late_dept_report", col.parent.slug) in flags
            pub = date(year + 1, 2, 20) if late else date(year + 1, 1, rng.randint(5, 25))
        else:
            late = year == due and "late_annual_report" in flags
            pub = date(year + 1, 5, 20) if late else date(year + 1, 3, rng.randint(5, 28))
        serial += 1
        doc = _doc(county, col, rng, serial, "report", f"{publisher}{year}年政府信息公开工作年度报告", pub)
        doc.report_year = year  # type: ignore[attr-defined]
        if dept:  # a department issues no normative documents of its own here
            doc.html_extra = report_html(0, year)
        docs.append(doc)
        if late:
            _defect(county, "late_dept_report" if dept else "late_annual_report", year=year, column_path=col.name_path,
                    doc=doc)
    return docs


def populate(county: County, rng: random.Random, docs_per_county: int, plan: list[tuple[str, str]]) -> None:
    as_of, unit = county.as_of, max(1.0, docs_per_county / 47)  # ~docs_per_county in all, 解读 included
    kinds = {s: k for k, s in plan if s}
    flags = {k for k, _ in plan} | set(plan)
    serial = 0
    oldest = as_of - timedelta(days=1000)
    policies: list[Doc] = []
    reports: list[Doc] = []
    interp_col = None
    blank_columns = []
    for col in county.all_columns():
        if col.kind == "interpretation":
            interp_col = col
        if col.kind in ("container", "interpretation") or col.children:
            continue
        scope_gov = not col.name_path.startswith("部门信息公开")
        defect = kinds.get(col.slug) if scope_gov else None
        if col.kind == "guide":
            serial += 1
            col.docs.append(_guide(county, col, rng, serial, GUIDE_DROPPED if "guide_incomplete" in flags else ()))
            continue
        if col.kind == "report":
            col.docs.extend(_reports(county, col, rng, serial, flags, None if scope_gov else col.parent.name))
            serial += len(col.docs)
            if scope_gov:
                reports.extend(col.docs)
            continue
        if defect in ("blank", "blank_with_note"):
            col.note = BLANK_NOTE if defect == "blank_with_note" else None
            for req in REQUIREMENTS_OF_SLUG[col.slug]:
                _defect(county, defect, requirement=req, column_path=col.name_path)
            blank_columns += [col.name_path] if defect == "blank" else []
            continue
        n = max(1, round(col._weight * unit))  # type: ignore[attr-defined]
        newest = as_of - timedelta(days=rng.randint(0, 5))
        if defect == "stale":
            newest = as_of - timedelta(days=FRESHNESS[col.freshness] + 60 + rng.randint(0, 30))
            for req in REQUIREMENTS_OF_SLUG[col.slug]:
                _defect(county, "stale", requirement=req, column_path=col.name_path, newest_item_date=newest.isoformat())
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
    _plant_release_defects(county, plan)
    for kind, slug in plan:
        if kind == "missing":
            for req in REQUIREMENTS_OF_SLUG[slug]:
                _defect(county, "missing", requirement=req, column_path=None)
    if "no_annual_report" in flags:
        _defect(county, "no_annual_report", requirement="annual_report", column_path=None,
                detail=f"no report for {report_year_due(as_of)}")
    if len(blank_columns) >= 5:  # 国办秘函〔2019〕19号: ≥ 5 blank columns fail the whole site
        _defect(county, "site_inspection", requirement=None, column_path=None, detail=f"{len(blank_columns)} blank columns")
    _plant_policy_defects(county, rng, policies, interp_col, plan)
    if county.family == "aspx":
        _aspx_quirks(county, policies)
    _report_tables(county, reports, policies, flags)


def _plant_release_defects(county: County, plan: list[tuple[str, str]]) -> None:
    """A title with markup in it (it must render as text) and a 公示 that leaks ID and mobile numbers (it must not be
    republished)."""
    columns = {c.slug: c for c in county.all_columns() if not c.name_path.startswith("部门信息公开")}
    for kind, slug in plan:
        if kind == "hostile_title":
            doc = columns[slug].docs[-1]
            doc.title = HOSTILE_TITLE
            _defect(county, kind, doc=doc)
        elif kind == "pii_leak":
            doc = columns[slug].docs[0]
            doc.title = f"{county.short}县{doc.published.year}年公开招聘工作人员拟聘用人员公示"
            doc.body += "\n拟聘用人员名单：\n" + "\n".join(" ".join(row) for row in PII_ROWS)
            _defect(county, kind, doc=doc, values=[v for row in PII_ROWS for v in row[2:]])


def _report_tables(county: County, reports: list[Doc], policies: list[Doc], flags: set) -> None:
    """The county's reports state how many normative documents (行政规范性文件) it issued each year: the policies
    written that year. `report_discrepancy` overstates the latest report's count by 4; `report_check_failure`
    unbalances the latest report's table 三."""
    issued = {}
    for p in policies:
        issued[p.written.year] = issued.get(p.written.year, 0) + 1
    for doc in reports:
        year = doc.report_year  # type: ignore[attr-defined]
        claimed = issued.get(year, 0)
        if "report_discrepancy" in flags and doc is reports[-1]:
            claimed += 4
            _defect(county, "report_discrepancy", year=year, doc=doc,
                    detail=f"report says {claimed}, site published {issued.get(year, 0)}")
        broken = "report_check_failure" in flags and doc is reports[-1]
        if broken:
            _defect(county, "report_check_failure", year=year, doc=doc, check="table3_balance")
        doc.html_extra = report_html(claimed, year, break_check="table3_balance" if broken else None,
                                     flat=county.family == "ucap")


def _aspx_quirks(county: County, policies: list[Doc]) -> None:
    """What the small vendor's ASP.NET site (sampleweb.families.aspx) does to its documents, as real ones do: its CMS
    has no 有效性 field, so every normative document lacks the mark (validity_missing must flag each one); two notices
    of 县政府文件 carry the same title; one document links an attachment on the city government's host."""
    for p in policies:
        if p.validity is not None:  # a plan's own no_validity is already planted
            p.validity = None
            _defect(county, "no_validity", doc=p)
    gov = {c.slug: c for c in county.all_columns() if not c.name_path.startswith("部门信息公开")}
    zfwj = gov["zfwj"].docs if "zfwj" in gov else []
    if len(zfwj) >= 2:
        zfwj[1].title = zfwj[0].title
    target = zfwj[0] if zfwj else next((d for d in county.all_docs() if d.attachments), None)
    if target is not None:
        target.attachments.append(Attachment(
            name=f"市人民政府关于{SUBJECTS[target.serial % 12]}的实施意见", ext="pdf", size=0, external=True,
            path=f"http://www.city.example.gov.cn/uploadfile/{target.written:%Y%m}/{target.serial:04d}{target.written:%d}.pdf"))


def _plant_policy_defects(county, rng, policies, interp_col, plan) -> None:
    """Late publication (>20 working days after 成文日期), missing, late or copied 解读, a missing validity mark and a
    broken attachment link on normative documents."""
    old = [p for p in policies if (county.as_of - p.published).days > 45]
    flags = [k for k, _ in plan]
    late = old[-1] if "late_document" in flags else None
    if late:
        late.written = late.published - timedelta(days=rng.randint(50, 70))
        _defect(county, "late_document", doc=late)
    skip = old[0] if "no_interpretation" in flags else None
    slow = old[1] if "late_interpretation" in flags else None
    copied = old[2] if "copied_interpretation" in flags else None
    if skip:
        _defect(county, "no_interpretation", doc=skip)
    if "no_validity" in flags:
        old[3].validity = None
        _defect(county, "no_validity", doc=old[3])
    if "broken_attachment" in flags:
        with_file = next(p for p in old if p.attachments)
        with_file.attachments[0].broken = True
        _defect(county, "broken_attachment", doc=with_file, attachment=with_file.attachments[0])
    serial = 9000
    for p in policies:
        if p is skip:
            continue
        serial += 1
        pub = p.published + timedelta(days=30 if p is slow else 0)
        title = f"《{p.title.split('《')[-1].split('》')[0]}》政策解读"
        jd = _doc(county, interp_col, rng, serial, "interpretation", title, pub, written=pub)
        jd.body = f"{title}。\n一、起草背景和依据。\n二、主要内容：明确了工作目标、职责分工和保障措施。\n三、解读机关：{p.publisher}。"
        if p is copied:  # a 解读 that only repeats the policy does not count (国办发〔2016〕19号)
            jd.body = f"{title}。\n{p.body}"
            _defect(county, "copied_interpretation", doc=p, interpretation=jd)
        jd.related.append(p)
        p.related.append(jd)
        interp_col.docs.append(jd)
        if p is slow:
            _defect(county, "late_interpretation", doc=p, interpretation=jd)
    interp_col.docs.sort(key=lambda d: d.published, reverse=True)
