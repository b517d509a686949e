"""Soft-error pages (软错误页): an answer with HTTP 200 that is not the page asked for.

A login wall (统一身份认证), a captcha (验证码), a "page not found" (页面不存在) served with 200, or one page served for
every document URL (an error page, the home page, the site's chrome without the text). Taken for content they would
replace every document's title and text with the wall's, and a healthy-looking run would push the real pages out of
the archive window. So each is a per-page error of the run (the page's earlier copy stays), a run with them is not
healthy, and a run where they are most of the documents is `blocked`.

Two tests, both conservative: a page that carries what its kind should (a document's text or attachments, a list's
items or sub-columns, an entry's columns) is never a soft error however it is worded (a real 政府信息不存在告知书 or a
notice about the 统一身份认证 platform is content); and one page under many URLs is named only when at least
`REPEATED` documents listed under different titles show the very same title, text and attachments.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from gongkai.harvesters.adapters.dom import parse_html
from gongkai.harvesters.fields import clean

SUBSTANCE = 200   # characters of a document's own text that make it content whatever else the page says
REPEATED = 3      # documents under different list titles showing one page: an error page, not documents
SHORT = 600       # visible characters below which a page is nothing but what it says of itself

_PASSWORD = re.compile(r"""<input\b[^>]*\btype\s*=\s*["']?password""", re.IGNORECASE)
# Marks, checked in the page's <title>, and in its visible text when that is short (a real page's top bar may say
# 用户登录 or carry a login form; a wall or error page has little else). Each phrase is what the wall or error page
# says of itself, not a topic a document could have ("信息不存在" alone is the 告知书 a county must publish).
LOGIN = re.compile(r"统一身份认证|用户登[录陆]|请(先)?登[录陆]|登[录陆]后(才能|方可)?(查看|访问|浏览)|单点登[录陆]|"
                   r"\blog ?in\b|\bsign ?in\b", re.IGNORECASE)
CAPTCHA = re.compile(r"请输入(图形)?验证码|滑动验证|拖动滑块|人机验证|请完成(安全)?验证|\bcaptcha\b", re.IGNORECASE)
NOT_FOUND = re.compile(r"\b404\b|页面不存在|页面未找到|找不到(该|您要的|您所访问的|您访问的)?(页面|网页)|"
                       r"您(所)?(要)?访问的(页面|网页|内容|信息)(不存在|已被?删除|已过期|找不到)|页面已被?删除|"
                       r"page not found|\bnot found\b|无法找到(该)?页面|文章不存在|该(信息|文章|内容)已被?(删除|撤销|下线)",
                       re.IGNORECASE)
_KINDS = (("login wall (统一身份认证 / 用户登录)", LOGIN), ("captcha (验证码)", CAPTCHA),
          ("'page not found' (页面不存在)", NOT_FOUND))


def soft_error(html: str, has_content: bool) -> str | None:
    """What the page is when it is a soft error, or None. `has_content`: whether the adapter found what this kind of
    page carries (a document's text or attachments, a list's items, an entry's columns); such a page is never one."""
    if has_content:
        return None
    tree = parse_html(html)
    title = clean(tree.css_first("title").text()) if tree.css_first("title") else ""
    for node in tree.css("script, style, noscript"):
        node.decompose()
    body = tree.body
    text = clean(body.text(separator=" ")) if body is not None else ""
    short = len(text) < SHORT
    if short and _PASSWORD.search(html):
        return f"a login wall answered with HTTP 200 (a password form{f': {title}' if title else ''}), not the page"
    for where in (title, text if short else ""):
        for what, mark in _KINDS:
            if found := mark.search(where):
                return f"a {what} answered with HTTP 200 (the page says {found.group(0)!r}), not the page"
    return None


def document_has_content(body_text: str, attachments: list) -> bool:
    return len(body_text.strip()) >= SUBSTANCE or bool(attachments)


@dataclass(frozen=True)
class Shown:
    """What one document URL showed: the list titles it was listed under, and its page's title, text and files."""

    url: str
    listed_as: frozenset[str]
    title: str
    text_sha256: str
    attachments: tuple[str, ...]


def repeated_pages(shown: list[Shown]) -> dict[str, str]:
    """URL → why, for documents that show one and the same page (title, text and attachments alike) although at
    least REPEATED of them were listed under different titles: a wall or error page served for every URL, or pages
    whose text collapsed to the site's chrome."""
    groups: dict[tuple, list[Shown]] = defaultdict(list)
    for page in shown:
        groups[(page.title, page.text_sha256, page.attachments)].append(page)
    found: dict[str, str] = {}
    for (title, _, _), pages in groups.items():
        listed = {t for p in pages for t in p.listed_as}
        if len(pages) < REPEATED or len(listed) < REPEATED:
            continue
        if any(title and title in p.listed_as for p in pages):
            continue  # a page really titled so (the same notice listed several ways): content, not an error
        for p in pages:
            found[p.url] = (f"the same page (title {title[:40]!r}, same text) is served for {len(pages)} document URLs "
                            "listed under different titles: an error page or the site's chrome, not the document")
    return found
