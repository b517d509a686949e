"""The templates' labels of an annual report's (政府信息公开工作年度报告, 年报) tables, and how a written label is
matched to its canonical form.

Tables: 二、主动公开政府信息情况 (rows 规章, 行政规范性文件, 行政许可 …), 三、收到和处理政府信息公开申请情况 (columns
申请人情况: 自然人, 法人或其他组织 (商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他), 总计; rows 本年新收, 上年结转,
本年度办理结果 （一）予以公开 … （七）总计, 结转下年度继续办理) and 四、政府信息公开行政复议、行政诉讼情况 (结果维持,
结果纠正, 其他结果, 尚未审结, 总计).

Each label is matched by a regular expression against its key (NFKC, no spaces, no quotes, half-width brackets) after
the leading enumerators (三、 （一） 1. ①) are stripped; the patterns are anchored at the start, so '予以公开' does not
match '不予公开'. Emitted labels are the canonical ones below (full-width brackets).

Report labels repeat from table to table and report to report, and re-parsing reads every report again: the label
functions are cached (bounded, `functools.lru_cache`), which makes a report's tables several times cheaper to read.
Strings longer than `SHORT` (a whole page's or table's text) are not cached: they rarely repeat and weigh much.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TABLE3_MEASURES = (*APPLICANT_COLUMNS, "总计")
TABLE4_ITEMS = ("行政复议", "未经复议直接起诉", "复议后起诉")
TABLE4_MEASURES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# A vocabulary is a tuple of (canonical, pattern), tried in order by `match`.
T2_ITEMS = (  # 2019's '规范性文件' is reported as 行政规范性文件
    ("规章", r"规章"), ("行政规范性文件", r"(?:行政)?规范性文件"), ("行政许可", r"行政许可"),
    ("其他对外管理服务事项", r"其他对外管理服务"), ("行政处罚", r"行政处罚"), ("行政强制", r"行政强制"),
    ("行政事业性收费", r"行政事业性收费"), ("政府集中采购", r"政府集中采购"),
)
T2_MEASURES = (
    ("本年制发件数", r"本年制发"), ("本年废止件数", r"本年废止"), ("现行有效件数", r"现行有效"),
    ("本年处理决定数量", r"本年处理决定"), ("本年收费金额（万元）", r"本年收费金额"),
    ("本年新制作数量", r"本年新制作"), ("本年新公开数量", r"本年新公开"), ("对外公开总数量", r"对外公开总"),
    ("上一年项目数量", r"上一?年项目"), ("本年增/减", r"本年增"), ("处理决定数量", r"处理决定"),
    ("采购项目数量", r"采购项目"), ("采购总金额", r"采购总金额"),
)
_T2_2021 = ("本年制发件数", "本年废止件数", "现行有效件数")
_T2_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_T2_2019_ITEMS = ("上一年项目数量", "本年增/减", "处理决定数量")
T2_ROWS = {  # flattened text: the template's row order and columns per format
    "2021": [("规章", _T2_2021), ("行政规范性文件", _T2_2021), ("行政许可", ("本年处理决定数量",)),
             ("行政处罚", ("本年处理决定数量",)), ("行政强制", ("本年处理决定数量",)),
             ("行政事业性收费", ("本年收费金额（万元）",))],
    "2019": [("规章", _T2_2019), ("行政规范性文件", _T2_2019), ("行政许可", _T2_2019_ITEMS),
             ("其他对外管理服务事项", _T2_2019_ITEMS), ("行政处罚", _T2_2019_ITEMS), ("行政强制", _T2_2019_ITEMS),
             ("行政事业性收费", ("上一年项目数量", "本年增/减")), ("政府集中采购", ("采购项目数量", "采购总金额"))],
}

T3_TOP = (  # (canonical, pattern)
    ("一、本年新收政府信息公开申请数量", r"本年新收"),
    ("二、上年结转政府信息公开申请数量", r"上年结转"),
    ("三（一）予以公开", r"予以公开"),
    ("三（二）部分公开", r"部分公开"),
    ("三（三）不予公开", r"不予公开"),
    ("三（四）无法提供", r"无法提供"),
    ("三（五）不予处理", r"不予处理"),
    ("三（六）其他处理", r"其他处理"),
    ("三（七）总计", r"(?:总计|合计)$"),
    ("四、结转下年度继续办理", r"结转下年度"),
)
T3_SUBROWS = {  # the numbered sub-rows as printed in the templates (（六）'s only in 2021)
    "三（三）不予公开": ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                   "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"],
    "三（四）无法提供": ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"],
    "三（五）不予处理": ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                   "要求行政机关确认或重新出具已获取信息"],
    "三（六）其他处理": ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                   "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"],
}
RESULT_ROWS = ("三（一）予以公开", "三（二）部分公开", "三（三）不予公开", "三（四）无法提供", "三（五）不予处理",
               "三（六）其他处理")
T3_MEASURE_PATTERNS = (*[(m, re.escape(m) + ("$" if m == "其他" else "")) for m in APPLICANT_COLUMNS],
                       ("总计", r"(?:总计|合计)$"))
T4_ITEM_PATTERNS = (("行政复议", r"行政复议"), ("未经复议直接起诉", r"未经复议"), ("复议后起诉", r"复议后起诉"))
T4_MEASURE_PATTERNS = (("结果维持", r"结果维持"), ("结果纠正", r"结果纠正"), ("其他结果", r"其他结果"),
                       ("尚未审结", r"尚未审结"), ("总计", r"(?:总计|合计)$"))

# ---------------------------------------------------------------------------------------------------------------------
# Normalisation

_TRANSLATE = {ord(c): None for c in "“”‘’\"'「」『』〝〞＂"}
_TRANSLATE.update({ord(a): b for a, b in zip("〔〕【】［］﹙﹚⑴⑵", "()()()()", strict=False)})


def norm(s: str) -> str:
    """NFKC (full-width digits and brackets to half-width), quotes dropped, other brackets made round."""
    return unicodedata.normalize("NFKC", s).translate(_TRANSLATE)


_SPACE = re.compile(r"\s+")

SHORT = 200  # longer strings (a whole page's or table's text) are not cached: they rarely repeat and weigh much


def key_of(s: str) -> str:
    """A label's matching key: normalised (`norm`), without whitespace."""
    return _short_key(s) if len(s) <= SHORT else _SPACE.sub("", norm(s))


@lru_cache(maxsize=16384)
def _short_key(s: str) -> str:
    return _SPACE.sub("", norm(s))


_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.,]|[一二三四五六七八九十]+(?=\()|\([一二三四五六七八九十]+\)"
                   r"|\(\d{1,2}\)|\d{1,2}[.、,)]?)+")


def core_of(label: str) -> str:
    """A label's key without its leading enumerators: '三、（三）1．属于国家秘密' -> '属于国家秘密'."""
    return _short_core(label) if len(label) <= SHORT else _ENUM.sub("", key_of(label))


@lru_cache(maxsize=16384)
def _short_core(label: str) -> str:
    return _ENUM.sub("", key_of(label))


def match_label(core: str, vocab: tuple[tuple[str, str], ...]) -> str | None:
    """The canonical name of the first pattern in `vocab` (a vocabulary above) that matches `core`."""
    return (_cached_match if len(core) <= SHORT else _match)(core, vocab)


def _match(core: str, vocab: tuple[tuple[str, str], ...]) -> str | None:
    return next((canon for canon, pattern in vocab if re.match(pattern, core)), None)


_cached_match = lru_cache(maxsize=65536)(_match)


# ---------------------------------------------------------------------------------------------------------------------
# Table 三's numbered sub-rows (（三）不予公开 1.属于国家秘密 …)

@dataclass(frozen=True)
class Sub:
    label: str        # 三（三）1.属于国家秘密
    parent: str
    number: int
    core: str         # the key prefix that names it ('属于国家秘密', '其他法律行政')
    exact: bool       # short labels ('其他') must match whole, with their number

    @cached_property
    def pattern(self) -> str:
        return re.escape(self.core) + ("$" if self.exact else "")


SUBS = [Sub(f"{parent[:4]}{i}.{text}", parent, i, key_of(text)[:6], len(key_of(text)) <= 2)
        for parent, texts in T3_SUBROWS.items() for i, text in enumerate(texts, 1)]
# every canonical table 三 row, in template order
TABLE3_ITEMS = tuple(x for label, _ in T3_TOP for x in [label, *[s.label for s in SUBS if s.parent == label]])


class Table3Labels:
    """Resolves a table 三 row's labels to its canonical item, remembering the open parent row (（三）不予公开 …)."""

    def __init__(self) -> None:
        self.parent: str | None = None

    def item(self, labels: list[str]) -> str | None:
        found = None
        for label in labels:
            got = self.one(core_of(label), label)
            if got:
                found = got
        return found

    def one(self, core: str, label: str) -> str | None:
        top = match_label(core, T3_TOP)
        if top:
            self.parent = top if top in T3_SUBROWS else None
            return top
        if re.match(r"小计$", core):
            return self.parent
        number = re.match(r"^\D{0,3}?(\d{1,2})", key_of(label))
        mine = [s for s in SUBS if s.parent == self.parent]
        others = [s for s in SUBS if s.parent != self.parent and not s.exact]
        for s in mine + others:
            if re.match(s.pattern, core) and (not s.exact or not number or int(number.group(1)) == s.number):
                self.parent = s.parent
                return s.label
        return None

    @staticmethod
    def is_item(label: str) -> bool:
        """A row label of table 三 ('（七）总计' is; the column header '总计' is not)."""
        core = core_of(label)
        return bool(match_label(core, T3_TOP)) and (core != key_of(label) or not match_label(core, T3_MEASURE_PATTERNS))


# ---------------------------------------------------------------------------------------------------------------------
# Which template: 2021 (国办公开办函〔2021〕30号) or 2019 (国办公开办函〔2019〕60号), by their own column words

_WORDS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期未按收费通知")
_WORDS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购", "采购项目数量",
               "其他对外管理服务事项")


def detect_format(text: str) -> str:
    """'2021', '2019' or 'unknown': the template whose column words the text has more of."""
    k = key_of(text)
    a = sum(w in k for w in _WORDS_2021)
    b = sum(w in k for w in _WORDS_2019)
    return "2021" if a > b else "2019" if b > a else "unknown"
