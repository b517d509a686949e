"""A seeded, deterministic model of fictional counties: column trees (栏目), documents and planted defects.

Nothing is stored: `sampleweb.county.build_county(i, ...)` rebuilds the same county from (seed, index, size, as_of) every time.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

# One county per family in turn; county 3 (GBK) is on Epoint, county 6 on a layout no adapter knows, county 7 on a small
# vendor's ASP.NET portal (registered by its home page), county 8 on a provincial TRS platform with 动静结合 lists.
FAMILIES = ("trs", "hanweb", "ucap", "epoint", "trsapi", "gkmlpt", "vendor", "aspx", "trsprov")
# Fictional names (虚构) under a fictional province code 99, so they never collide with real counties.
NAMES = ["青川", "芦河", "白石", "云溪", "松阳湾", "金沙", "柳塘", "石门岭", "桂水", "南屏", "清源", "东岗"]
SLUGS = ["qingchuan", "luhe", "baishi", "yunxi", "songyangwan", "jinsha", "liutang", "shimenling", "guishui",
         "nanping", "qingyuan", "donggang"]
ORDINALS = "十二三四五六七八九"  # the second 青川 is 青川二, the tenth 青川十
FRESHNESS = {"news": 14, "notices_policy": 183, "personnel_plans": 366}

# (name, slug, freshness class, weight of documents, kind); children follow as a list.
STATUTORY = [
    ("政策文件", "zcwj", None, 0, "container", [
        ("规范性文件", "gfxwj", "notices_policy", 6, "policy", []),
        ("县政府文件", "zfwj", "notices_policy", 4, "plain", []),
    ]),
    ("政策解读", "zcjd", "notices_policy", 0, "interpretation", []),
    ("机构职能", "jgzn", None, 1, "plain", []),
    ("规划计划", "ghjh", "personnel_plans", 1, "plain", []),
    ("统计信息", "tjxx", "personnel_plans", 1, "plain", []),
    ("行政许可", "xzxk", "notices_policy", 1, "plain", []),
    ("行政处罚", "xzcf", "notices_policy", 1, "plain", []),
    ("财政预决算", "czyjs", "personnel_plans", 1, "plain", []),
    ("收费项目", "sfxm", "personnel_plans", 1, "plain", []),
    ("政府采购", "zfcg", "notices_policy", 1, "plain", []),
    ("重大建设项目", "zdxm", "personnel_plans", 1, "plain", []),
    ("民生保障", "msbz", "personnel_plans", 1, "plain", []),
    ("应急管理", "yjgl", "notices_policy", 1, "plain", []),
    ("监督检查", "jdjc", "notices_policy", 1, "plain", []),
    ("人事信息", "rsxx", "personnel_plans", 1, "plain", []),
    ("其他法定公开信息", "qtxx", "personnel_plans", 1, "plain", []),
    ("工作动态", "gzdt", "news", 3, "plain", []),
    # 条例 第二十一条: what a county government discloses besides Art. 20 (土地征收, 房屋征收 and 社会救助 are met by the
    # 基层 catalogue's columns below)
    ("市政建设", "szjs", "personnel_plans", 0, "plain", []),
    ("公共服务", "ggfw", "personnel_plans", 0, "plain", []),
    ("公益事业", "gysy", "personnel_plans", 0, "plain", []),
    ("治安管理", "zagl", "personnel_plans", 0, "plain", []),
    # 国办发〔2019〕54号: the standard catalogue of the 26 基层政务公开 fields, one column each
    ("基层政务公开标准目录", "jczwgk", None, 0, "container", [
        (name, f"jc{slug}", "personnel_plans", 0, "plain", []) for name, slug in (
            ("重大建设项目", "zdxm"), ("公共资源交易", "ggzyjy"), ("财政预决算", "czyjs"), ("安全生产", "aqsc"),
            ("救灾", "jz"), ("税收管理", "ssgl"), ("农村集体土地征收", "tdzs"), ("城乡规划", "cxgh"),
            ("国有土地上房屋征收与补偿", "fwzs"), ("保障性住房", "bzxzf"), ("农村危房改造", "wfgz"), ("市政服务", "szfw"),
            ("城市综合执法", "zhzf"), ("生态环境", "sthj"), ("公共文化服务", "ggwh"), ("公共法律服务", "ggfl"),
            ("乡村振兴", "xczx"), ("食品药品监管", "sppjg"), ("就业", "jy"), ("社会保险", "shbx"), ("社会救助", "shjz"),
            ("养老服务", "ylfw"), ("户籍管理", "hjgl"), ("涉农补贴", "snbt"), ("义务教育", "ywjy"), ("卫生健康", "wsjk"))
    ]),
]
DEPARTMENTS = [("发展和改革局", "fgj"), ("财政局", "czj"), ("教育局", "jyj")]
DEPT_COLUMNS = [("工作动态", "gzdt", "news", 2, "plain", []), ("政策文件", "zcwj", "notices_policy", 1, "plain", []),
                ("财政预决算", "czyjs", "personnel_plans", 1, "plain", []), ("信息公开年报", "xxgknb", None, 0, "report", [])]

# Defects planted in county i % 6 (the plan repeats for larger webs). Keys are column slugs, a department's slug, or
# empty. County 1's five blank columns also fail the site-level inspection (≥ 5 blank columns). `hostile_title` and
# `pii_leak` are for the release: markup in a title must render as text, personal data must not be republished.
DEFECT_PLAN: dict[int, list[tuple[str, str]]] = {
    0: [("missing", "sfxm"), ("late_document", "gfxwj"), ("broken_attachment", "gfxwj"), ("hostile_title", "gzdt")],
    1: [("blank", "yjgl"), ("blank", "jcssgl"), ("blank", "jchjgl"), ("blank", "jcylfw"), ("blank", "jcggfl"),
        ("no_interpretation", "gfxwj")],
    2: [("stale", "zfcg"), ("late_document", "gfxwj"), ("late_annual_report", ""), ("copied_interpretation", "gfxwj"),
        ("pii_leak", "rsxx")],
    3: [("missing", "zdxm"), ("no_interpretation", "gfxwj"), ("no_validity", "gfxwj"), ("guide_incomplete", "")],
    4: [("blank_with_note", "sfxm"), ("late_document", "gfxwj"), ("no_annual_report", ""), ("late_dept_report", "czj")],
    5: [("stale", "ghjh"), ("late_interpretation", "gfxwj"), ("report_discrepancy", ""), ("report_check_failure", "")],
}
BLANK_NOTE = "说明：本机关无行政事业性收费项目，无此类信息。"


@dataclass
class Attachment:
    name: str
    ext: str
    size: int
    path: str = ""
    broken: bool = False  # linked from its document but not on the server (a planted broken link)
    external: bool = False  # on another host of the same government: `path` is the full URL, never served here


@dataclass
class Doc:
    serial: int
    column: Column
    kind: str
    title: str
    written: date
    published: date
    publisher: str
    index_no: str
    doc_no: str | None
    validity: str | None
    topic: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    related: list[Doc] = field(default_factory=list)
    html_extra: str = ""  # tables of an annual report (年报), rendered after the body
    path: str = ""  # URL path, set by the family renderer
    hexid: str = ""


@dataclass
class Column:
    name: str
    slug: str
    freshness: str | None
    kind: str
    parent: Column | None = None
    children: list[Column] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    note: str | None = None
    col_id: int = 0
    path: str = ""  # URL path of the first list page, set by the renderer

    @property
    def name_path(self) -> str:
        return f"{self.parent.name_path}/{self.name}" if self.parent else self.name

    @property
    def slug_path(self) -> str:
        return f"{self.parent.slug_path}/{self.slug}" if self.parent else self.slug

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class County:
    index: int
    site_id: str
    name: str
    short: str
    slug: str
    family: str
    encoding: str
    as_of: date
    columns: list[Column]
    defects: list[dict]

    def all_columns(self):
        for c in self.columns:
            yield from c.walk()

    def all_docs(self):
        for c in self.all_columns():
            yield from c.docs


def _hex(*parts: object) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def report_year_due(as_of: date) -> int:
    """The latest year whose government annual report (年报) is due by as_of (March 31 of the next year)."""
    return as_of.year - 1 if as_of > date(as_of.year, 3, 31) else as_of.year - 2
