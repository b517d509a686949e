"""Normalising metadata fields as county pages write them: dates, 索引号, 文号, labels and their variants."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from functools import lru_cache

# Label variants (after removing spaces and colons) → field. See shared/domain/disclosure-rules.md §6.
LABELS = {
    "索引号": "index_no", "主题分类": "topic", "分类": "topic", "组配分类": "topic", "信息分类": "topic",
    "所属分类": "topic", "公开类别": "topic",
    "发布机构": "publisher", "发文机关": "publisher", "责任部门": "publisher", "发布单位": "publisher",
    "发文单位": "publisher", "发文机构": "publisher", "制发机关": "publisher", "发布部门": "publisher",
    "成文日期": "written_date", "生成日期": "written_date", "发文日期": "written_date", "成文时间": "written_date",
    "印发日期": "written_date",
    "发布日期": "published_date", "公开日期": "published_date", "发布时间": "published_date",
    "公开时间": "published_date", "更新时间": "published_date", "发表时间": "published_date",
    "来源": "source", "信息来源": "source", "文章来源": "source", "稿件来源": "source", "来源单位": "source",
    "來源": "source", "信息來源": "source", "發布日期": "published_date", "發布時間": "published_date",
    "添加时间": "published_date", "投稿部门": "source", "转贴自": "source",
    "文号": "doc_no", "发文字号": "doc_no", "文件编号": "doc_no", "发文号": "doc_no",
    "有效性": "validity", "时效性": "validity", "效力状态": "validity",
    "名称": "name", "标题": "name", "文件名称": "name", "信息名称": "name",
    "主题词": "keywords", "废止日期": "repealed_date", "公开方式": "disclosure_mode",
}
# Labels an attribute line (发布日期：… 来源：… 作者：… 浏览次数：…) also carries: they end the value before them and
# are not kept. A procurement or project number (采购编号) is not a 文号.
STOP_LABELS = ("作者", "浏览次数", "点击数", "点击次数", "点击量", "点击", "阅读次数", "阅读量", "阅读", "访问次数",
               "访问量", "浏览量", "浏览率", "浏览", "人气", "文章人气数", "热度", "字体", "字号", "责任编辑", "编辑",
               "审核", "打印", "关闭", "分享", "收藏", "采购编号", "项目编号", "发布人", "发布者", "录入", "文章录入",
               "供稿", "归档时间", "點擊次數", "瀏覽次數", "瀏覽量", "字號", "作者單位")
# Bare 时间 / 日期 are labels of an attribute line only, and only when a full date follows them.
LOOSE_DATE_LABELS = ("时间", "日期", "時間")
# The page-level <meta> tags the 政府网站发展指引 (国办发〔2017〕47号) asks every government page to carry.
SITE_META = {"articletitle": "name", "pubdate": "published_date", "contentsource": "source"}
# A space as county pages write it: any whitespace, the full-width 　 (U+3000), &nbsp;, &ensp; and &emsp; named too.
SPACE_CHARS = r"[\s\u3000\u00a0\u2002\u2003]"
_SPACES = re.compile(f"{SPACE_CHARS}+")
# A full date in digits (全日期): 2023-05-11, 2023年5月11日, 2023/5/11, 2023.05.11, spaces allowed around the
# separators, never the tail of a longer number; groups year, month, day. The one pattern for it: list dates, date
# cells and columns, labelled dates (parse_date) all use this.
FULL_DATE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# A date written in Chinese numerals, as signatures are (二〇一八年六月二十日; 〇 also as ○, O or 零).
_HAN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0, "Ｏ": 0, "o": 0}
_HAN_DATE_PATTERN = (r"([〇○零OＯo一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                     r"\s*([一二三四五六七八九十]{1,4})\s*日")
_HAN_DATE = re.compile(_HAN_DATE_PATTERN)
_EMPTY = {"", "无", "-", "—", "/", "暂无"}


def clean(text: str | None) -> str:
    """NFC, every run of whitespace (full-width 　, &nbsp;, &ensp;, &emsp; included) one space, trimmed.
    (str.split() splits on all of them and is ~4x faster than a regex on the re-parse hot path.)"""
    return " ".join(unicodedata.normalize("NFC", text).split()) if text else ""


@lru_cache(maxsize=4096)
def label_key(label: str) -> str | None:
    """'索 引 号：' → 'index_no'. (Cached: a site writes the same few labels on every page.)"""
    bare = _SPACES.sub("", unicodedata.normalize("NFKC", label)).rstrip(":：")
    return LABELS.get(bare)


def _han_number(text: str) -> int:
    """一 … 九十九 as written in dates: 十 = 10, 二十 = 20, 二十一 = 21, 十一 = 11."""
    if "十" not in text:
        return sum(_HAN_DIGIT[c] * 10 ** i for i, c in enumerate(reversed(text)))
    tens, _, ones = text.partition("十")
    return (_HAN_DIGIT[tens] if tens else 1) * 10 + (_HAN_DIGIT[ones] if ones else 0)


def parse_date(text: str | None) -> date | None:
    """2023-05-11, 2023年5月11日, 2023/5/11 and 2023.05.11, with or without a time after them; and a date in Chinese
    numerals (二〇二三年五月十一日)."""
    norm = unicodedata.normalize("NFKC", text or "")
    m = FULL_DATE.search(norm)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        h = _HAN_DATE.search(norm.replace(" ", ""))
        if h:
            year = int("".join(str(_HAN_DIGIT[c]) for c in h.group(1)))
            return date(year, _han_number(h.group(2)), _han_number(h.group(3)))
    except (ValueError, KeyError):
        return None
    return None


# A 文号 standing alone on a line: issuer's abbreviation, the year in brackets, the number and 号 (青政办发〔2018〕47号).
DOC_NO_LINE = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,16}\s*[〔\[［(（【]\s*(19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号$")
# A date standing alone on a line: the signature's date (落款日期) at the end of a document's body.
DATE_LINE = re.compile(rf"^(\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|{_HAN_DATE_PATTERN})$")


def normalise_doc_no(text: str | None) -> str | None:
    """文号: '青政规[2023]3号' and '青政规(2023)3号' → '青政规〔2023〕3号'; '无' → None."""
    value = clean(text).replace(" ", "")
    if value in _EMPTY:
        return None
    return re.sub(r"[\[［(（【]\s*(\d{4})\s*[\]］)）】]", r"〔\1〕", value)


def normalise_index_no(text: str | None) -> str | None:
    """索引号 kept leniently: full-width characters folded, spaces removed; None when absent."""
    value = _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))
    return None if value in _EMPTY else value


_VALIDITY = [("废止", "废止"), ("失效", "失效"), ("不再有效", "失效"), ("修改", "已修改"), ("修订", "已修改"), ("有效", "有效")]


def normalise_validity(text: str | None) -> str | None:
    """有效性 as one of 有效 / 失效 / 废止 / 已修改 ('现行有效' → 有效, '已废止' → 废止, '已修订' → 已修改);
    anything else is kept as written, and a blank stays None."""
    value = optional(text)
    if value is None:
        return None
    bare = value.replace(" ", "")
    return next((norm for mark, norm in _VALIDITY if mark in bare), value)


_PUBLISHER_PREFIX = re.compile(r"^(发布机构|发布单位|发文机关|责任部门|信息来源|来源)[:：]")


def normalise_publisher(text: str | None) -> str | None:
    """发布机构 as one spelling: full-width letters and digits folded, no spaces (县 财政局 → 县财政局), brackets
    full-width as names write them (（县政府办）), a repeated label prefix dropped; None when blank."""
    value = optional(text)
    if value is None:
        return None
    value = _SPACES.sub("", unicodedata.normalize("NFKC", value)).replace("(", "（").replace(")", "）")
    return _PUBLISHER_PREFIX.sub("", value) or None


def optional(text: str | None) -> str | None:
    value = clean(text)
    return None if value in _EMPTY else value


_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(text: str):
    """json.loads, with surrogate escapes no pair completes (a lone "\\ud800" in a list API's title) made U+FFFD: left
    in, such a string can be written neither to the journal nor to Parquet, and the site's run would stop there."""
    return _mend(json.loads(text))


def _mend(value):
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [_mend(v) for v in value]
    if isinstance(value, dict):
        return {_mend(k): _mend(v) for k, v in value.items()}
    return value
