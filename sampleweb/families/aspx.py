"""A small vendor's ASP.NET county portal, built the way many real county sites are (no adapter knows it).

The registry names the home page "/": a portal whose 政务公开 block links 政府信息公开 (/xxgk/index.aspx), beside news
blocks whose articles (/news/show.aspx?id=…) are not part of the disclosure section. The platform's side menu is flat
(first-level columns only) and repeated on every page with a breadcrumb; a column with children opens a group page
(group.aspx?cid=…) of blocks, one per child, each with its newest items; the 指南 column links straight to its article;
leaf columns are lists (list.aspx?cid=…&page=N, 15 a page, a numbered pager, the 工作动态 list pins an old item first).
Articles (show.aspx?id=…) carry no metadata table and no 索引号 or 有效性: one attribute line (发布日期 with the time,
来源, 作者, 浏览次数), the 文号 and the 成文日期 (in Chinese numerals) only in the Word-pasted body; <meta name="PubDate">
is the night's regeneration time. Attachments sit under /uploadfile/, some with raw Chinese names.
"""
from __future__ import annotations

import math
from datetime import timedelta
from html import escape

from gongkai.sampleweb.documents import SUBJECTS
from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, leaves
from gongkai.sampleweb.model import Column, County, Doc
from gongkai.sampleweb.pages import head

AUTHORS = ["县政府办", "综合股", "信息科", "办公室"]
DIGITS = "〇一二三四五六七八九"
NEWS_BLOCKS = [("{short}要闻", ["工作会议召开", "专项行动启动", "现场推进会举行"]),
               ("通知公告", ["报名工作的通知", "专项检查的公告", "意见征集的公告"]),
               ("部门动态", ["业务培训班开班", "调研组来我县调研", "半年工作总结会召开"])]
SPAN = 'style="FONT-SIZE: 16pt; FONT-FAMILY: 仿宋_GB2312; mso-hansi-font-family: 宋体"'


def chinese_date(d, zero: str = "○") -> tuple[str, str]:
    """(year, month+day) as a Chinese document writes its date: 二○二三年, 六月二十日."""
    def small(n: int) -> str:  # 1..31
        tens, ones = divmod(n, 10)
        return ("" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")) + (DIGITS[ones] if ones else "")
    year = "".join(DIGITS[int(c)] for c in str(d.year)).replace("〇", zero)
    return f"{year}年", f"{small(d.month)}月{small(d.day)}日"


def short_title(title: str, limit: int = 28) -> str:
    return title if len(title) <= limit else title[:limit - 2] + "…"


class Aspx:
    page_size = 15
    entry = "/xxgk/index.aspx"
    registry_entry = "/"  # the harvest must find the platform from the portal's home page
    pinned_slug = "gzdt"  # the government's 工作动态 list pins its oldest item (置顶) above the newest

    def build(self, county: County) -> dict:
        routes: dict = {}
        self.county, self.pinned = county, None
        self.regenerated = f"{county.as_of:%Y-%m-%d} 02:00:00"  # every page was regenerated last night
        used: set[str] = set()
        for d in county.all_docs():
            d.path = f"/xxgk/show.aspx?id={10000 + d.serial}"
            for k, a in enumerate(d.attachments):
                if a.external:
                    continue
                p = d.published
                chinese = f"/uploadfile/{p:%Y}/{p:%m}/{a.name}.{a.ext}"
                if d.kind == "policy" and chinese not in used:  # the editor uploaded it under its own name
                    a.path = chinese
                else:
                    a.path = f"/uploadfile/{p:%Y}/{p:%m}/{p:%Y%m%d}{self.clock(d).replace(':', '')}{d.serial}{k}.{a.ext}"
                used.add(a.path)
        for col in county.all_columns():
            if col.kind == "guide" and col.docs:
                col.path = col.docs[0].path  # the column link is the article itself
            elif col.children:
                col.path = f"/xxgk/group.aspx?cid={col.col_id}"
            else:
                col.path = self.list_url(col, 1)
        self.menu = "<div class=\"xxgk-menu\"><div class=\"menu-title\">政府信息公开</div>" + "".join(
            f'<div class="menu-item"><a href="{escape(c.path)}">{escape(c.name)}</a></div>' for c in county.columns) + "</div>"
        for col in county.all_columns():
            if col.children:
                routes[col.path] = html_page(self.group_page(col))
        for col in leaves(county):
            if col.kind != "guide":
                order = self.display_order(col)
                pages = max(1, math.ceil(len(order) / self.page_size))
                for p in range(1, pages + 1):
                    routes[self.list_url(col, p)] = html_page(self.list_page(col, order, p, pages))
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(d))
                attachment_routes(routes, d)
        routes[self.entry] = html_page(self.entry_page())
        self.portal(routes)
        return dress(county, routes)

    # -- addresses and what the truth must know -------------------------------------------------------------------
    @staticmethod
    def list_url(col: Column, p: int) -> str:
        return f"/xxgk/list.aspx?cid={col.col_id}" + (f"&page={p}" if p > 1 else "")

    @staticmethod
    def is_short(d: Doc) -> bool:
        """工作动态 items: a one-sentence body in a bare div#zoom, no signature (so no 成文日期 on the page)."""
        return d.column.slug == "gzdt"

    def hidden_fields(self, d: Doc) -> tuple[str, ...]:
        """Fields of the model this site's page of `d` does not show (the ground truth says None)."""
        return ("index_no", "validity") + (("written_date",) if self.is_short(d) else ())

    @staticmethod
    def clock(d: Doc) -> str:
        return f"{8 + d.serial % 10:02d}:{d.serial * 7 % 60:02d}:{d.serial * 13 % 60:02d}"

    def display_order(self, col: Column) -> list[Doc]:
        docs = list(col.docs)
        if col.slug == self.pinned_slug and col.parent is not None and col.parent.parent is None and len(docs) > 1:
            oldest = min(docs, key=lambda d: (d.published, d.serial))
            docs.remove(oldest)
            docs.insert(0, oldest)
            self.pinned = oldest
        return docs

    # -- the platform's pages -------------------------------------------------------------------------------------
    def frame(self, title: str, column: Column | None, content: str, tail: str = "", doc: Doc | None = None) -> str:
        crumbs = ['<a href="/">首页</a>', f'<a href="{self.entry}">政府信息公开</a>']
        chain = []
        node = column
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        crumbs += [f'<a href="{escape(c.path)}">{escape(c.name)}</a>' for c in chain]
        pubdate = self.regenerated if doc else None
        return (f"<html>{head(self.county, title, column.name if column else '', pubdate=pubdate)}<body>"
                f'<div class="xxgk-main w1200"><div class="xxgk-left">{self.menu}</div><div class="xxgk-right">'
                f'<div class="position">当前位置：{" &gt; ".join(crumbs)}</div>{content}</div></div>{tail}</body></html>')

    def entry_page(self) -> str:
        newest = sorted(self.county.all_docs(), key=lambda d: (d.published, d.serial), reverse=True)[:8]
        rows = "".join(f'<tr><td class="bt"><a href="{d.path}" target="_blank" title="{escape(d.title)}">'
                       f'{escape(short_title(d.title))}</a></td><td class="rq">{d.published:%Y-%m-%d}</td></tr>'
                       for d in newest)
        return self.frame("政府信息公开", None,
                          f'<div class="xxgk-intro">欢迎访问{escape(self.county.name)}政府信息公开平台。</div>'
                          f'<div class="zxxx"><div class="zxxx-title"><span>最新信息</span></div>'
                          f'<table class="zxxx-table" width="100%" cellspacing="0">{rows}</table></div>')

    def group_page(self, col: Column) -> str:
        """One block per child: its name and 更多 link, and the newest three items (of all its descendants when the
        child is itself a group)."""
        blocks = []
        for ch in col.children:
            docs = sorted((d for c in ch.walk() for d in c.docs), key=lambda d: (d.published, d.serial), reverse=True)
            items = "".join(f'<li><a href="{d.path}" target="_blank" title="{escape(d.title)}">'
                            f'{escape(short_title(d.title, 22))}</a><span>{d.published:%Y-%m-%d}</span></li>'
                            for d in docs[:3])
            blocks.append(f'<div class="lm-block"><div class="lm-title"><a href="{escape(ch.path)}">{escape(ch.name)}</a>'
                          f'<a class="more" href="{escape(ch.path)}">更多&gt;&gt;</a></div><ul>{items}</ul></div>')
        return self.frame(col.name, col, f'<div class="lm-group">{"".join(blocks)}</div>')

    def pager(self, col: Column, p: int, pages: int, total: int) -> str:
        def link(text: str, target: int | None) -> str:
            href = escape(self.list_url(col, target).removeprefix("/xxgk/")) if target else "javascript:;"
            return f'<a href="{href}">{text}</a>'
        numbers = [f'<a class="cur" href="javascript:;">{n}</a>' if n == p else link(str(n), n) for n in range(1, pages + 1)]
        return (f'<div class="pager">共 {total} 条 第 {p}/{pages} 页 {link("首页", 1 if p > 1 else None)} '
                f'{link("上一页", p - 1 if p > 1 else None)} {" ".join(numbers)} '
                f'{link("下一页", p + 1 if p < pages else None)} {link("尾页", pages if p < pages else None)}</div>')

    def list_page(self, col: Column, order: list[Doc], p: int, pages: int) -> str:
        pin = '<em class="top">[置顶]</em>'
        rows = "".join(
            f'<li>{pin if d is self.pinned else ""}'
            f'<a href="{d.path}" target="_blank" title="{escape(d.title)}">{escape(short_title(d.title))}</a>'
            f'<span class="date">[{d.published:%Y-%m-%d}]</span></li>'
            for d in order[(p - 1) * self.page_size:p * self.page_size])
        if not rows and col.note:
            rows = f'<li class="nodata">{escape(col.note)}</li>'
        return self.frame(col.name, col, f'<div class="list-title">{escape(col.name)}</div><ul class="list">{rows}</ul>'
                                         f"{self.pager(col, p, pages, len(order))}")

    # -- articles -------------------------------------------------------------------------------------------------
    def word_body(self, d: Doc) -> str:
        """The body as pasted from Word: 文号 (or 采购编号) centred, paragraphs indented, the signature (publisher and
        成文日期 in Chinese numerals, split across spans) right-aligned."""
        def para(text: str, style: str = "TEXT-INDENT: 32pt; LINE-HEIGHT: 28pt; mso-char-indent-count: 2.0",
                 align: str = "") -> str:
            return f'<P class=MsoNormal{align} style="{style}"><SPAN {SPAN}>{text}</SPAN></P>'
        centre = (" align=center", "TEXT-ALIGN: center; LINE-HEIGHT: 28pt")
        right = (" align=right", "TEXT-ALIGN: right; LINE-HEIGHT: 28pt")
        lines = d.body.split("\n")
        out = []
        if d.doc_no:
            out.append(para(escape(d.doc_no), centre[1], centre[0]))
        elif d.column.slug == "zfcg":
            out.append(para(f"采购编号：ZFCG-{d.published.year}-{d.serial % 1000:03d}", centre[1], centre[0]))
        out.append(f'<P class=MsoNormal align=center style="TEXT-ALIGN: center"><B><SPAN style="FONT-SIZE: 22pt; '
                   f'FONT-FAMILY: 方正小标宋简体">{escape(lines[0])}</SPAN></B></P>')
        out += [para(escape(line)) for line in lines[1:]]
        out.append(d.html_extra)
        out.append('<P class=MsoNormal style="LINE-HEIGHT: 28pt"><SPAN lang=EN-US><o:p>&nbsp;</o:p></SPAN></P>')
        out.append(para(escape(d.publisher), right[1], right[0]))
        year, day = chinese_date(d.written, "○" if d.serial % 2 else "〇")
        spans = [year, day] if d.serial % 3 else [year[:-1], year[-1] + day[:day.index("月") + 1], day[day.index("月") + 1:]]
        out.append(f'<P class=MsoNormal{right[0]} style="{right[1]}">' + "".join(f"<SPAN {SPAN}>{s}</SPAN>" for s in spans)
                   + "</P>")
        return f'<DIV class=WordSection1>{"".join(out)}</DIV>'

    def doc_page(self, d: Doc) -> str:
        if self.is_short(d):  # the first sentence, and whatever an editor added later (sampleweb.changes)
            lines = d.body.split("\n")
            zoom = f'<div id="zoom">{escape("".join(lines[:1] + lines[4:]))}</div>'
        else:
            zoom = f'<div id="zoom">{self.word_body(d)}</div>'
        nb = "&nbsp;&nbsp;"
        info = (f'<div class="info">发布日期：{d.published:%Y-%m-%d} {self.clock(d)}{nb}来源：{escape(d.publisher)}{nb}'
                f'作者：{AUTHORS[d.serial % len(AUTHORS)]}{nb}浏览次数：<span id="hits">{37 + d.serial * 53 % 1900}</span>'
                f'{nb}【字体：<a href="javascript:setFontSize(18)">大</a> <a href="javascript:setFontSize(16)">中</a> '
                f'<a href="javascript:setFontSize(14)">小</a>】</div>')
        files = "".join(f'<li><a href="{escape(a.path)}" target="_blank">{escape(a.name)}.{a.ext}</a></li>'
                        for a in d.attachments)
        files = f'<div class="fujian"><span>附件：</span><ul>{files}</ul></div>' if files else ""
        related = "".join(f'<li><a href="{r.path}" target="_blank">{escape(r.title)}</a></li>' for r in d.related)
        label = "相关文件" if d.kind == "interpretation" else "相关解读"
        related = (f'<div class="xglj"><div class="xglj-title">{label}</div><ul>{related}</ul></div>' if related else "")
        share = ('<div class="bdsharebuttonbox">分享到：<a class="bds_weixin" data-cmd="weixin">微信</a>'
                 '<a class="bds_tsina" data-cmd="tsina">微博</a><a class="bds_qzone" data-cmd="qzone">QQ空间</a></div>'
                 '<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a>'
                 '<a href="javascript:window.close()">【关闭窗口】</a></div>')
        return self.frame(d.title, d.column, f'<div class="article"><h1>{escape(d.title)}</h1>{info}{zoom}{files}'
                                             f"{related}{share}</div>", doc=d)

    # -- the portal around the platform --------------------------------------------------------------------------
    def portal(self, routes: dict) -> None:
        """The home page "/" and the news it shows (/news/…: not part of the disclosure section)."""
        c, s = self.county, self.county.short
        blocks = []
        for b, (name, endings) in enumerate(NEWS_BLOCKS):
            name = name.format(short=s)
            items = []
            for k in range(6):
                nid, day = 80000 + b * 100 + k, c.as_of - timedelta(days=b + 3 * k + c.index % 3)
                subject = SUBJECTS[(b * 6 + k + c.index) % len(SUBJECTS)]
                title = (f"关于{subject}{endings[k % 3]}" if b == 1 else f"{s}县{subject}{endings[k % 3]}")
                path = f"/news/show.aspx?id={nid}"
                lead = (f"<p>各有关单位：现将{subject}有关事项公告如下。</p>" if b == 1
                        else f"<p>{day.month}月{day.day}日，{escape(title)}。</p>")
                items.append((path, title, day))
                routes[path] = html_page(
                    f"<html>{head(c, title, name)}<body><div class=\"news-main w1200\"><div class=\"position\">当前位置："
                    f'<a href="/">首页</a> &gt; <a href="/news/list.aspx?cid={b + 1}">新闻中心</a> &gt; {escape(name)}</div>'
                    f'<div class="article"><h1>{escape(title)}</h1><div class="info">发布日期：{day:%Y-%m-%d} 10:{k * 7:02d}:00'
                    f"&nbsp;&nbsp;来源：{escape(s)}县融媒体中心</div><div id=\"zoom\">{lead}<p>要坚持问题导向，压实工作责任，"
                    f"确保各项任务落到实处。</p></div>"
                    f"</div></div></body></html>")
            routes[f"/news/list.aspx?cid={b + 1}"] = html_page(
                f"<html>{head(c, name, name)}<body><div class=\"news-main w1200\"><ul class=\"list\">" + "".join(
                    f'<li><a href="{p}" title="{escape(t)}">{escape(t)}</a><span class="date">[{d:%Y-%m-%d}]</span></li>'
                    for p, t, d in items) + "</ul></div></body></html>")
            dated = "%Y-%m-%d" if b == 0 else "%m-%d"
            blocks.append(f'<div class="news-block"><div class="block-title"><span>{escape(name)}</span>'
                          f'<a class="more" href="/news/list.aspx?cid={b + 1}">更多</a></div><ul>' + "".join(
                              f'<li><a href="{p}" target="_blank" title="{escape(t)}">{escape(t)}</a>'
                              f"<span>{d.strftime(dated)}</span></li>" for p, t, d in items) + "</ul></div>")
        named = {col.name: col.path for col in c.all_columns() if col.parent is None or col.name == "政策解读"}
        zwgk = [("政府信息公开", self.entry)] + [(n, named[n]) for n in ("政府信息公开指南", "政策解读", "政府信息公开年报")
                                              if n in named]
        zwgk_links = "".join(f'<li><a href="{escape(u)}" target="_blank">{escape(n)}</a></li>' for n, u in zwgk)
        services = "".join(f'<li><a href="http://zwfw.example.gov.cn/{k}" target="_blank">{n}</a></li>'
                           for k, n in enumerate(["个人办事", "法人办事", "办件查询", "好差评"]))
        talk = "".join(f'<li><a href="http://hd.example.gov.cn/{k}" target="_blank">{n}</a></li>'
                       for k, n in enumerate(["县长信箱", "在线访谈", "征集调查"]))
        routes["/"] = html_page(
            f"<html>{head(c, c.name)}<body><div class=\"home w1200\"><div class=\"banner\"><img src=\"/images/banner.jpg\" "
            f'alt="{escape(c.name)}"></div><div class="home-news">{"".join(blocks)}</div><div class="home-zwgk">'
            f'<div class="zwgk-block"><div class="block-title"><span>政务公开</span></div><ul class="zwgk-links">'
            f'{zwgk_links}</ul></div><div class="zwfw-block"><div class="block-title"><span>政务服务</span></div><ul>'
            f'{services}</ul></div><div class="hdjl-block"><div class="block-title"><span>互动交流</span></div><ul>{talk}'
            f"</ul></div></div></div></body></html>")
