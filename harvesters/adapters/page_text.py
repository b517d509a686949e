"""A document page as text (正文页的文字): its text nodes in reading order, and which of its elements are chrome.

Chrome (页面框架) is what a CMS puts around every document: navigation, breadcrumbs (当前位置), share bars (分享到),
related-links boxes, print and close links (【打印】【关闭】), previous / next (上一篇 / 下一篇), pagers, footers, and
hidden elements (display:none). The metadata reader (metadata.py) and the title and body readers (content.py) read a
page through PageText and leave its chrome out.
"""
from __future__ import annotations

import re

from gongkai.harvesters.adapters.dom import is_element
from selectolax.lexbor import LexborHTMLParser, LexborNode

SKIP_TEXT = frozenset({"script", "style", "noscript", "select", "option", "textarea", "title", "head"})
# Class or id words of page chrome around a document: navigation, share bars, related links, footers, pagers.
CHROME = re.compile(r"(?:^|[-_\s])((nav|navbar|menu|header|footer|foot|copyright|share|related|xglj|xgwz|xgxx|position|"
                    r"crumb|breadcrumb|location|dqwz|pager|fenye|pagination|search|sidebar|friendlink|jiucuo|print|"
                    r"tools?|toolbar|fxd|dayin|prev|next|prevnext|pian|others)(?:$|[-_\s\d])|"
                    r"(bdshare|bshare|jiathis|usercontrol|article-?tools)\w*)", re.IGNORECASE)
# Lines that are page chrome whatever the markup: print / close / favourite links, previous and next, share, font size.
CHROME_LINE = re.compile(r"^((【[^】]{0,8}(打印|关闭|收藏|纠错|字体|返回|评论|好友)[^】]{0,8}】|[\[［(（]?(打印本页|关闭窗口|打印|"
                         r"关闭|返回顶部|加入收藏)[\]］)）]?)\s*)+$|^(上一篇|下一篇|上一条|下一条)[:：]|^分享到[:：]?|^【?字体[:：]")
HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _stream(tree: LexborHTMLParser) -> tuple[list[str], list[LexborNode]]:
    """The page's text nodes in order (stripped) and their parent elements, outside scripts and styles."""
    texts, where = [], []
    root = tree.body or tree.root
    if root is None:
        return texts, where
    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            t = node.text_content
            if t and not t.isspace():
                parent = node.parent
                if parent is not None and parent.tag not in SKIP_TEXT:
                    texts.append(t.strip())
                    where.append(parent)
    return texts, where


class PageText:
    """A document page's text, read once for the labels and the body: its text nodes in order (stripped) with their
    parent elements, and which elements are chrome (remembered per element)."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self.texts, self.where = _stream(tree)
        self._chrome: dict[int, bool] = {}

    def chrome(self, node: LexborNode) -> bool:
        """Whether the element is inside page chrome (CHROME class or id words) or hidden (display:none)."""
        seen = []
        n, hops, found = node, 0, False
        while n is not None and hops < 12:
            known = self._chrome.get(n.mem_id)
            if known is not None:
                found = known
                break
            seen.append(n.mem_id)
            if is_element(n) and chrome_self(n):
                found = True
                break
            n, hops = n.parent, hops + 1
        for key in seen:
            self._chrome[key] = found
        return found


def chrome_self(node: LexborNode) -> bool:
    """Whether the element itself is chrome (CHROME class or id words) or hidden (display:none)."""
    attrs = node.attributes
    if any(attrs.get(k) and CHROME.search(attrs.get(k)) for k in ("class", "id")):
        return True
    style = attrs.get("style")
    return bool(style) and "none" in style and HIDDEN.search(style) is not None


def in_chrome(node: LexborNode) -> bool:
    """Whether the node is inside page chrome (CHROME class or id words) or a hidden element (display:none)."""
    n, hops = node, 0
    while n is not None and hops < 12:
        if is_element(n) and chrome_self(n):
            return True
        n, hops = n.parent, hops + 1
    return False
