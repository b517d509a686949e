"""A document page's metadata (元数据): every labelled value on it, in whatever markup its CMS writes.

The page's text is read as a stream (page_text.PageText) and each known label (索引号, 发布机构 … with any spaces
inside, e.g. 索 引 号) takes the text after it, in the same node (索引号：X), after the label's element
(<strong>索引号</strong>：X) or in the element right after it (<td>索引号</td><td>X</td>). An **attribute line**
(属性行) holds several in one node (发布日期：2018-06-11 08:43:47  来源：政府办  作者：…  浏览次数：…): it is split at every
label, and the labels that are not metadata (作者, 浏览次数, 字体 …) only end the value before them. The labels and
their fields are harvesters.fields.LABELS; a family adapter with its own metadata table reads that instead
(Adapter.metadata_pairs).
"""
from __future__ import annotations

import re
from functools import lru_cache

from gongkai.harvesters.adapters.dom import is_element, text_of
from gongkai.harvesters.adapters.page_text import PageText
from gongkai.harvesters.fields import LABELS, LOOSE_DATE_LABELS, SPACE_CHARS, STOP_LABELS, clean, parse_date
from selectolax.lexbor import LexborNode

SPACE = f"{SPACE_CHARS}*"  # spaces inside a label (索 引 号) and between it and its colon


@lru_cache(maxsize=1)
def _labels() -> tuple[dict[str, str | None], re.Pattern, re.Pattern]:
    """(bare label → field or None for stop labels, the pattern of a label opening a text, the pattern of every label
    in an attribute line)."""
    known: dict[str, str | None] = {**dict.fromkeys(STOP_LABELS), **dict.fromkeys(LOOSE_DATE_LABELS, "published_date"),
                                    **LABELS}
    alts = "|".join(SPACE.join(map(re.escape, label)) for label in sorted(known, key=len, reverse=True))
    opening = re.compile(rf"^({alts}){SPACE}([:：]?)\s*(.*)$", re.DOTALL)
    inline = re.compile(rf"(?:^|(?<=[\s|丨｜│/【\[（(】\]）)·,，;；]))({alts}){SPACE}[:：]")
    return known, opening, inline


def bare(label: str) -> str:
    return re.sub(SPACE, "", label)


# Any other short label after a space ends a value too (点击次数：…, 文章人气数：…): a line of labels never runs into the
# next one, whatever words a CMS uses for its counters.
OTHER_LABEL = re.compile(r"[\s\u3000\u00a0|丨｜│【\[]+[\u4e00-\u9fff]{2,6}[:：]")


def split_attributes(text: str) -> list[tuple[str, str]]:
    """Every (label, value) of an attribute line, in order: the value runs to the next label (known or not). Stop
    labels end a value and are dropped; a bare 时间 / 日期 counts only when a full date follows it."""
    known, _, inline = _labels()
    marks = list(inline.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        label = bare(m.group(1))
        other = OTHER_LABEL.search(text, m.end(), end)
        value = clean(text[m.end():other.start() if other else end]).strip("【】[]|丨｜│ ")
        if known.get(label) is None:
            continue
        if label in LOOSE_DATE_LABELS and parse_date(value) is None and (value or i + 1 < len(marks)):
            continue  # a bare 时间 / 日期 with no date after it (an empty one at the end may take the next node's)
        out.append((label, value))
    return out


def labelled_values(page: PageText) -> tuple[list[tuple[str, str]], set[int]]:
    """(every (label, value) pair on the page in order, the mem_ids of the elements that hold them)."""
    known, opening, _ = _labels()
    texts, where = page.texts, page.where
    pairs: list[tuple[str, str]] = []
    holders: set[int] = set()
    soft: list[LexborNode] = []  # texts with only non-metadata labels (浏览次数：…, 采购编号：…)
    i = 0
    while i < len(texts):
        text = texts[i]
        found: list[tuple[str, str]] = []
        labelled = False
        if len(text) < 300:
            if "：" in text or ":" in text:
                found = split_attributes(text)
                labelled = bool(found) or _labels()[2].search(text) is not None  # 浏览次数：… is metadata too
            if not found:
                m = opening.match(text)
                if m and not m.group(3) and known.get(bare(m.group(1))) is not None:
                    found = [(bare(m.group(1)), "")]
        if labelled and not found:
            soft.append(where[i])
        if found:
            holders.add(where[i].mem_id)
            label, value = found[-1]
            if (not value and i + 1 < len(texts) and not opening.match(texts[i + 1])
                    and _follows(where[i], label, where[i + 1])):
                found[-1] = (label, clean(texts[i + 1]).lstrip(":：").strip())
                holders.add(where[i + 1].mem_id)
                i += 1
            pairs += [(k, v) for k, v in found if k not in LOOSE_DATE_LABELS or parse_date(v)]
        i += 1
    # 浏览次数：… belongs to the attribute line it sits in (a block holding metadata labels); alone, as a 采购编号 line
    # in a body, it is text
    blocks = {_block_of(n).mem_id for n in texts_parents(holders, where)}
    holders |= {n.mem_id for n in soft if _block_of(n).mem_id in blocks}
    return pairs, holders


def texts_parents(holders: set[int], where: list[LexborNode]) -> list[LexborNode]:
    return [n for n in {n.mem_id: n for n in where if n.mem_id in holders}.values()]


def _block_of(node: LexborNode) -> LexborNode:
    """The nearest block element holding the node (an inline span's div, a cell's row)."""
    n = node
    while n.parent is not None and n.tag not in ("div", "p", "tr", "li", "ul", "dl", "table", "td", "section"):
        n = n.parent
    return n.parent if n.tag in ("td", "li") and n.parent is not None else n


def _follows(label_el: LexborNode, label_text: str, value_el: LexborNode) -> bool:
    """Whether value_el holds the value of the label written in label_el."""
    if value_el.mem_id == label_el.mem_id:  # <span>信息来源：<!--…-->省发改委</span>
        return True
    if _next_holds(label_el, value_el):  # <dt>索引号</dt><dd>X</dd>: the common case, and cheap
        return True
    box = label_el  # <td><strong>索引号</strong></td><td>X</td>: climb to the td
    while box.parent is not None and bare(text_of(box.parent)).rstrip(":：") == label_text:
        box = box.parent
    if box.parent is not None and value_el.mem_id == box.parent.mem_id:
        return True
    return box is not label_el and _next_holds(box, value_el)


def _next_holds(box: LexborNode, value_el: LexborNode) -> bool:
    """Whether value_el is, or is inside (within 4 levels), the element right after box."""
    sibling = box.next
    while sibling is not None and not is_element(sibling):
        sibling = sibling.next
    node, hops = value_el, 0
    while sibling is not None and node is not None and hops < 4:
        if node.mem_id == sibling.mem_id:
            return True
        node, hops = node.parent, hops + 1
    return False
