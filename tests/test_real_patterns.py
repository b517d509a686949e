"""The generic page readers on the markup real county sites write (research notes: attribute lines, menus, pagers,
Fujian "动静结合" lists, Word-pasted bodies, chrome around bodies). Every page here is a small synthetic snippet
modelled on a pattern seen in the wild, for a fictional county (某某县) at a fictional address; each test states what
a careful human reading the page would extract.
"""
from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

import pytest
from gongkai.harvesters.adapters import adapter_for
from gongkai.harvesters.adapters.results import ColumnLink, Request
from gongkai.harvesters.discover import discover
from gongkai.harvesters.fields import parse_date
from gongkai.harvesters.tree import Tree

SITE = "http://www.example-county.gov.cn"
DOC_URL = f"{SITE}/xxgk/tzgg/201806/t20180611_1234.html"
LIST_URL = f"{SITE}/xxgk/tzgg/"
ENTRY_URL = f"{SITE}/xxgk/"
TITLE = "某某县人民政府办公室关于做好2018年防汛工作的通知"
BODY = "<p>各乡镇人民政府，县政府各部门：</p><p>为切实做好今年防汛工作，现将有关事项通知如下。</p>"


def page(body: str, title: str = f"{TITLE}-某某县人民政府", head: str = "") -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>{body}</body></html>'


def article(info: str, body: str = BODY, heading: str = f'<h2 class="title">{TITLE}</h2>') -> str:
    """A document page: site header, breadcrumb, heading, attribute line, body, footer."""
    return page(f'<div class="header"><a href="/">首页</a><a href="/xxgk/">政府信息公开</a></div>'
                f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/tzgg/">通知公告</a></div>'
                f'<div class="article">{heading}{info}<div class="content">{body}</div></div>'
                f'<div class="footer">主办：某某县人民政府办公室</div>')


def doc(html: str, url: str = DOC_URL):
    return adapter_for("generic").document(url, html)


def lst(html: str, url: str = LIST_URL, request: Request | None = None):
    return adapter_for("generic").list_page(url, html, request)


def rows(items: list[tuple[str, str]], tag: str = "li") -> str:
    """(href, title) pairs as <li> rows with a bracketed full date."""
    return "".join(f'<{tag}><a href="{h}" title="{t}">{t}</a><span>[2018-06-{11 - i:02d}]</span></{tag}>'
                   for i, (h, t) in enumerate(items))


def menu_names(html: str, url: str = ENTRY_URL) -> dict[str, str | None]:
    """path → url of the columns the generic reader finds on an entry page."""
    return {c.path: c.url for c in adapter_for("generic").columns(url, html)}


STATUTORY = [("zfxxgkzn", "政府信息公开指南"), ("zfxxgkzd", "政府信息公开制度"), ("fdzdgknr", "法定主动公开内容"),
             ("zfxxgknb", "政府信息公开年报")]


# ── documents: attribute lines ───────────────────────────────────────────────────────────────────────────────
def test_powereasy_attribute_spans():
    """PowerEasy SiteFactory: each field in its own span; the hit counter is a script, so 点击数 reads '点击数： 次'."""
    html = page('<div class="path"><span>当前位置：</span><a href="/">首页</a> &gt; <a href="/Category_12/Index.aspx">通知公告</a>'
                f'</div><!--startprint--><div class="printArea"><h2 class="title">{TITLE}</h2><h3 class="subTitle"><span></span></h3>'
                '<div class="property"><span>文章来源：本站原创</span> <span>作者：佚名</span> <span>发布时间：2019年01月23日</span>'
                ' <span>点击数：<script src="/Common/GetHits.aspx?id=9718"></script> 次</span> <span><span id="content_AdminEdit">'
                "</span><script>$.pe.ajax('admineditcheck')</script></span></div>"
                f'<div class="conTxt">{BODY}</div></div><!--endprint-->'
                '<div class="userControl"><a href="javascript:doPrint()">【打印正文】</a></div>'
                '<div class="others"><div class="prev"><span>上一篇：</span><a href="/Item/9717.aspx">某某县召开会议</a>[ 01-22 ]'
                '</div><div class="next"><span>下一篇：</span>没有了</div></div>')
    d = doc(html)
    assert d.title == TITLE
    assert d.published_date == date(2019, 1, 23)
    assert d.fields["source"] == "本站原创"
    assert d.body_text.splitlines() == ["各乡镇人民政府，县政府各部门：", "为切实做好今年防汛工作，现将有关事项通知如下。"]


def test_kesion_attribute_cell_with_nbsp_runs():
    """KesionCMS / PowerEasy 2006: one <td>, fields separated by &nbsp; runs, an unpadded date with a time."""
    html = page(f'<table><tr><td class="main_ArticleTitle"><b>{TITLE}</b></td></tr>'
                '<tr><td class="Article_tdbgall">作者：佚名&nbsp;&nbsp;文章来源：政府办&nbsp;&nbsp;点击数：123&nbsp;&nbsp;'
                '更新时间：2018-6-11 8:43:47&nbsp;&nbsp;文章录入：admin</td></tr>'
                f'<tr><td><div id="fontzoom">{BODY}</div></td></tr></table>')
    d = doc(html)
    assert d.published_date == date(2018, 6, 11)
    assert d.fields["source"] == "政府办"
    assert "admin" not in d.fields["published_date"]


def test_attribute_line_in_one_div():
    """发布日期 … 来源 … 作者 … 浏览次数 in one text node: each value runs to the next label."""
    d = doc(article('<div class="info">发布日期：2018-06-11 08:43:47&nbsp;&nbsp;来源：政府办秘书科&nbsp;&nbsp;'
                    '作者：张三&nbsp;&nbsp;浏览次数：35</div>'))
    assert d.published_date == date(2018, 6, 11)
    assert d.fields["source"] == "政府办秘书科"
    assert "张三" not in " ".join(d.fields.values())
    assert "浏览次数" not in d.body_text


def test_label_in_i_with_stale_alt_attribute():
    """TRS (Shanxi): <span alt="时间：stale"><i>时间：</i>visible</span>; the visible text wins over the alt."""
    info = ('<ul class="detail-article-infos"><li class="article-infos-source left">'
            '<span alt="时间：2017-11-08 20:26"><i>时间：</i>2019-09-18 06:23</span>'
            '<span alt="来源：县政府办公室"><i>来源：</i> 某某日报 </span></li>'
            '<li class="article-infos-func right"><span id="myPrint">打印</span>'
            '<span class="article-zoom"><i>字体：</i><a>放大</a><a>正常</a><a>缩小</a></span></li></ul>')
    d = doc(article(info))
    assert d.published_date == date(2019, 9, 18)
    assert d.fields["source"] == "某某日报"


def test_font_size_widget_in_the_attribute_line():
    """【字体：大 中 小】 and 打印 after the fields: noise, neither a value nor body text."""
    d = doc(article('<div class="pages-date">2020-03-05 09:30 <span class="font">来源：县卫健委</span>'
                    ' 【字体：<a href="javascript:fontZoom(16)">大</a> <a href="javascript:fontZoom(14)">中</a>'
                    ' <a href="javascript:fontZoom(12)">小</a>】 <a href="javascript:window.print()">打印</a></div>'))
    assert d.fields["source"] == "县卫健委"
    assert "字体" not in d.body_text and "打印" not in d.body_text


@pytest.mark.parametrize("tail", [
    "浏览量：35",
    "点击次数：28596",
    "文章人气数：35",
    "热度：12",
])
def test_view_counter_labels_end_the_value_before_them(tail):
    """Every view-counter label sites use (浏览量, 点击次数, 文章人气数, 热度) ends the 来源 before it."""
    d = doc(article(f'<div class="info">发布时间：2019-06-17&nbsp;&nbsp;来源：县政府办&nbsp;&nbsp;{tail}</div>'))
    assert d.fields["source"] == "县政府办"


def test_archiving_time_is_not_the_publish_date():
    """Hunan platform: 归档时间 is when the page was archived; the 日期 of the attribute line is the publish date."""
    d = doc(article('<div class="gd">归档时间:2018-11-21</div>'
                    '<div class="info">来源:县政府办 日期:2017-01-12 17:08 字号:【 视力保护色: 浏览量:</div>'))
    assert d.published_date == date(2017, 1, 12)
    assert d.fields["source"] == "县政府办"


def test_hanweb_value_wrapped_in_field_comments():
    """Hanweb: <span>信息来源：<!--<$[信息来源]>begin-->X<!--<$[信息来源]>end--></span>, an empty 浏览次数 beside it."""
    d = doc(article('<div class="small-title clearfix"><span>发布日期：2016-11-22</span> <span>浏览次数： </span>'
                    '<span>信息来源：<!--<$[信息来源]>begin-->某某县发改局<!--<$[信息来源]>end--></span></div>'))
    assert d.published_date == date(2016, 11, 22)
    assert d.fields["source"] == "某某县发改局"


def test_visible_date_wins_over_a_later_pubdate_meta():
    """<meta name="PubDate"> can be the page's generation time, years later: the visible 发布日期 wins."""
    html = article('<div class="info">发布日期：2018-06-11</div>').replace(
        "</head>", '<meta name="PubDate" content="2023-01-05 10:00:00"></head>')
    d = doc(html)
    assert d.published_date == date(2018, 6, 11)
    assert d.source_of("published_date") == "metadata"


# ── documents: 文号 and signature date in the body ──────────────────────────────────────────────────────────
@pytest.mark.parametrize("written, normal", [("青政办发〔2018〕47号", "青政办发〔2018〕47号"),
                                             ("南政发【2014】7号", "南政发〔2014〕7号")])
def test_doc_no_as_the_first_centred_body_line(written, normal):
    """No 文号 label: the 文号 stands alone, centred, on the body's first line."""
    body = f'<p style="text-align:center">{written}</p>{BODY}'
    d = doc(article('<div class="info">发布时间：2018-06-11</div>', body=body))
    assert d.doc_no == normal
    assert d.sources["doc_no"] == "body_doc_no"


def test_procurement_number_is_not_a_doc_no():
    """A 采购编号 at the top of a tender notice looks like a 文号 but is not one; it stays body text."""
    body = "<p>采购编号：某财采〔2018〕12号</p><p>某某县政府采购中心受县教育局委托，对下列项目进行公开招标。</p>"
    d = doc(article('<div class="info">发布时间：2018-06-11</div>', body=body))
    assert d.doc_no is None
    assert "采购编号：某财采〔2018〕12号" in d.body_text


def test_chinese_numeral_signature_date_split_across_spans():
    """The signature's date in Chinese numerals, split across two spans by the editor."""
    body = (BODY + '<p style="text-align:right">某某县人民政府办公室</p>'
            '<p style="text-align:right"><span>二○一八年</span><span>六月二十日</span></p>')
    d = doc(article('<div class="info">发布时间：2018-06-22</div>', body=body))
    assert d.written_date == date(2018, 6, 20)
    assert d.sources["written_date"] == "body_signature"


def test_arabic_signature_date():
    body = BODY + '<p align="right">某某县人民政府办公室</p><p align="right">2018年6月20日</p>'
    d = doc(article('<div class="info">发布时间：2018-06-22</div>', body=body))
    assert d.written_date == date(2018, 6, 20)
    assert d.sources["written_date"] == "body_signature"


def test_signature_date_before_appended_rules():
    """太湖县 pattern: the notice's signature, then the rules it issues appended: the signature sits mid-body."""
    rules = "".join(f"<p>第{n}条 本规则第{n}项内容。</p>" for n in "一二三四五六")
    body = BODY + f"<p>某某县人民政府</p><p>2019年1月17日</p><p>某某县人民政府工作规则</p><p>第一章 总 则</p>{rules}"
    d = doc(article('<div class="info">发布时间：2019-01-23</div>', body=body))
    assert d.written_date == date(2019, 1, 17)


def test_page_without_labels_invents_nothing():
    """Title and body only: every field stays empty, and the page says it found no metadata block."""
    d = doc(article(""))
    for key in ("index_no", "publisher", "published_date", "written_date", "doc_no", "source"):
        assert d.value(key) is None, key
    assert "no metadata block found" in d.warnings
    assert d.title == TITLE


# ── documents: bodies ───────────────────────────────────────────────────────────────────────────────────────
def test_word_pasted_body():
    """Word paste: upper-case tags, MsoNormal, <o:p>, an xml namespace and a run of empty paragraphs."""
    empty = '<P class=MsoNormal><SPAN lang=EN-US><o:p>&nbsp;</o:p></SPAN></P>' * 12
    body = ('<?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" />'
            '<P style="LINE-HEIGHT: 28pt; mso-line-height-rule: exactly" class=MsoNormal>'
            '<SPAN style="FONT-FAMILY: 仿宋_GB2312; FONT-SIZE: 14pt">各乡镇人民</SPAN><SPAN style="FONT-SIZE: 14pt">政府：'
            '</SPAN><o:p></o:p></P>' + empty +
            '<P class=MsoNormal><SPAN style="FONT-FAMILY: 仿宋_GB2312">现将有关事项通知如下。<o:p></o:p></SPAN></P>' + empty)
    d = doc(article('<div class="info">发布时间：2018-06-11</div>', body=body))
    assert d.body_text == "各乡镇人民政府：\n现将有关事项通知如下。"


@pytest.mark.parametrize("family", ["generic", "trs"])
def test_trs_editor_style_block_does_not_leak(family):
    """TRS bodies open with an inline <style>.TRS_Editor P{…}</style>."""
    body = ('<div class="TRS_Editor"><style type="text/css">.TRS_Editor P{margin-top:5px;margin-bottom:5px;'
            'line-height:1.5;font-family:宋体;font-size:12pt;}.TRS_Editor DIV{line-height:1.5;}</style>'
            f'<div class="Custom_UnionStyle">{BODY}</div></div>')
    d = adapter_for(family).document(DOC_URL, article('<div class="info">发布时间：2018-06-11</div>', body=body))
    assert "TRS_Editor" not in d.body_text and "{" not in d.body_text
    assert d.body_text.startswith("各乡镇人民政府")


SENTENCE = "某某县2018年第二季度政府信息公开工作情况已按要求报送。"
CHROME = ('<div class="bdsharebuttonbox"><a href="#" class="bds_more">分享到：</a><a class="bds_weixin">微信</a></div>'
          '<div class="dayin"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a>'
          '</div><div class="pian"><p>上一篇：<a href="/xxgk/tzgg/201806/t20180610_1233.html">某某县召开防汛工作会议</a></p>'
          '<p>下一篇：<a href="/xxgk/tzgg/201806/t20180612_1235.html">某某县开展安全生产大检查</a></p></div>'
          '<div class="xgxx"><h4>相关链接</h4><ul><li><a href="http://www.gov.cn/">中国政府网</a></li></ul></div>')
HEAD = f'<h1 class="title">{TITLE}</h1><div class="info">发布时间：2018-06-11 来源：县政府办</div>'


def test_one_sentence_body_among_chrome():
    """A one-sentence body in a bare div, then a share bar, print/close links, 上一篇/下一篇 and related links."""
    assert doc(page(f"{HEAD}<div>{SENTENCE}</div>{CHROME}")).body_text == SENTENCE


def test_one_sentence_body_with_chrome_in_the_same_wrapper():
    """As above, but the share bar, tools and 上一篇/下一篇 sit inside the content wrapper, after the sentence."""
    assert doc(page(f'<div class="detail">{HEAD}<div class="bd"><div>{SENTENCE}</div>{CHROME}</div></div>')).body_text == SENTENCE


def test_source_stands_in_for_a_missing_publisher():
    d = doc(article('<div class="info">发布时间：2018-06-11 信息来源：某某县财政局</div>'))
    assert d.publisher == "某某县财政局"
    assert d.sources["publisher"] == "source_label"


def test_attachment_href_with_raw_chinese_characters():
    href = "/xxgk/czyjs/201806/P020180611/某某县2018年部门预算.pdf"
    body = BODY + f'<p>附件：<a href="{href}">某某县2018年部门预算.pdf</a></p>'
    d = doc(article('<div class="info">发布时间：2018-06-11</div>', body=body))
    assert len(d.attachments) == 1
    assert d.attachments[0].url == SITE + quote(href)
    assert d.attachments[0].href == href
    assert d.attachments[0].name == "某某县2018年部门预算.pdf"


def test_title_from_the_heading_title_names_not_the_logo():
    """<title> is 标题-某某县人民政府 and an <h1> holds the logo text 某某县人民政府: the title is the document's."""
    html = page('<div class="top"><h1 class="logo">某某县人民政府</h1></div>'
                f'<div class="article"><h3>{TITLE}</h3><div class="info">发布时间：2018-06-11</div>'
                f'<div class="content">{BODY}</div></div>')
    assert doc(html).title == TITLE


# ── lists ───────────────────────────────────────────────────────────────────────────────────────────────────
FIVE = [(f"/xxgk/tzgg/201806/t201806{11 - i:02d}_{100 + i}.html", f"某某县关于第{i + 1}批项目的公示") for i in range(5)]


def test_list_li_rows_with_bracketed_dates():
    r = lst(page(f'<ul class="list">{rows(FIVE)}</ul>'))
    assert [(i.url, i.title) for i in r.items] == [(SITE + h, t) for h, t in FIVE]
    assert r.items[0].date == date(2018, 6, 11) and r.items[-1].date == date(2018, 6, 7)


def test_list_table_rows():
    """名称 / 索引号 / 发布机构 / 发布日期 table (TRS 邯郸 layout)."""
    body = "".join(f'<tr><td><a href="{h}">{t}</a></td><td>014150827/2018-0012{i}</td><td>县政府办</td>'
                   f'<td>2018-06-{11 - i:02d}</td></tr>' for i, (h, t) in enumerate(FIVE))
    r = lst(page(f'<table><tr><th>名称</th><th>索引号</th><th>发布机构</th><th>发布日期</th></tr>{body}</table>'))
    assert [i.title for i in r.items] == [t for _, t in FIVE]
    assert r.items[2].date == date(2018, 6, 9)


def test_list_table_rows_with_a_serial_number_cell():
    """序号 / 名称 / 发布日期, written without whitespace between the cells (as templates emit rows)."""
    body = "".join(f'<tr><td>{i + 1}</td><td><a href="{h}">{t}</a></td><td>2018-06-{11 - i:02d}</td></tr>'
                   for i, (h, t) in enumerate(FIVE))
    r = lst(page(f'<table><tr><th>序号</th><th>名称</th><th>发布日期</th></tr>{body}</table>'))
    assert [i.title for i in r.items] == [t for _, t in FIVE]
    assert r.items[2].date == date(2018, 6, 9)


def test_list_dl_dd_rows():
    body = "".join(f'<dd><a href="{h}">{t}</a><span class="time">2018-06-{11 - i:02d}</span></dd>'
                   for i, (h, t) in enumerate(FIVE))
    r = lst(page(f'<dl class="news"><dt>通知公告</dt>{body}</dl>'))
    assert [i.url for i in r.items] == [SITE + h for h, _ in FIVE]
    assert r.items[4].date == date(2018, 6, 7)


def test_month_day_dates_are_kept_without_a_year():
    """[06-11] has no year: the item is kept, its date None (never guessed)."""
    body = "".join(f'<li><a href="{h}">{t}</a><span class="date">[06-{11 - i:02d}]</span></li>'
                   for i, (h, t) in enumerate(FIVE))
    r = lst(page(f"<ul>{body}</ul>"))
    assert len(r.items) == 5
    assert all(i.date is None for i in r.items)


def test_month_day_date_with_the_full_date_in_the_title_attribute():
    body = "".join(f'<li><a href="{h}" title="标题：{t}&#xD;点击数：97&#xD;发表时间：2018年06月{11 - i:02d}日">{t}</a>'
                   f'<span class="dateRight">[06-{11 - i:02d}]</span></li>' for i, (h, t) in enumerate(FIVE))
    r = lst(page(f"<ul>{body}</ul>"))
    assert [i.date for i in r.items] == [date(2018, 6, 11 - i) for i in range(5)]
    assert r.items[0].title == FIVE[0][1]


def test_date_inside_the_link_title_from_the_attribute():
    """Fujian: <a title="full"><div class="li-btn">2023-06-11</div></a>; the title only in the attribute."""
    body = "".join(f'<li><a href="{h}" title="{t}"><div class="li-btn">2023-06-{11 - i:02d}</div></a></li>'
                   for i, (h, t) in enumerate(FIVE))
    r = lst(page(f'<ul class="gl-ul">{body}</ul>'))
    assert [(i.title, i.date) for i in r.items] == [(t, date(2023, 6, 11 - i)) for i, (_, t) in enumerate(FIVE)]


def test_avalon_template_rows_are_ignored():
    """avalon.js rows (ms-repeat, {{el.title}}) with a designer's placeholder date: not items."""
    template = ('<li ms-repeat="list"><a ms-attr-href="el.url" href="{{el.url}}" ms-attr-title="el.title">{{el.title}}</a>'
                '<span class="date" ms-text="el.time">2018-06-11</span></li>')
    r = lst(page(f'<ul class="gl-ul">{rows(FIVE[:3])}{template * 3}</ul>'))
    assert [i.url for i in r.items] == [SITE + h for h, _ in FIVE[:3]]


def test_unsorted_dates_and_repeated_titles_are_kept():
    """A pinned item breaks the date order; the same title under two addresses is two items."""
    body = ('<li><a href="/xxgk/tzgg/201801/t20180105_1.html">某某县政府信息公开指南</a><span>2018-01-05</span></li>'
            '<li><a href="/xxgk/tzgg/201806/t20180611_2.html">关于征求意见的公告</a><span>2018-06-11</span></li>'
            '<li><a href="/xxgk/tzgg/201803/t20180302_3.html">关于征求意见的公告</a><span>2018-03-02</span></li>')
    r = lst(page(f"<ul>{body}</ul>"))
    assert [i.date for i in r.items] == [date(2018, 1, 5), date(2018, 6, 11), date(2018, 3, 2)]
    assert [i.title for i in r.items].count("关于征求意见的公告") == 2


def test_dede_pager_every_page():
    """DedeCMS: 首页 1 2 下一页 末页 with list_32_N.html links and 共 7页137条."""
    pager = ('<ul class="pagelist"><li><a>首页</a></li><li class="thisclass"><a>1</a></li>'
             '<li><a href="list_32_2.html">2</a></li><li><a href="list_32_2.html">下一页</a></li>'
             '<li><a href="list_32_7.html">末页</a></li>'
             '<li><span class="pageinfo">共 <strong>7</strong>页<strong>137</strong>条</span></li></ul>')
    r = lst(page(f"<ul>{rows(FIVE)}</ul>{pager}"), url=f"{SITE}/a/xxgk/tzgg/")
    assert [q.url for q in r.more] == [f"{SITE}/a/xxgk/tzgg/list_32_{n}.html" for n in range(2, 8)]


def test_page_count_text_with_only_a_next_link():
    pager = '<div class="page">共 5 页 当前第 1 页 <a href="index_2.html">下一页</a></div>'
    r = lst(page(f"<ul>{rows(FIVE)}</ul>{pager}"), url=f"{LIST_URL}index.html")
    assert [q.url for q in r.more] == [f"{LIST_URL}index_{n}.html" for n in range(2, 6)]


def test_dates_in_urls_are_not_taken_as_item_dates():
    """Rows with no date at all, under /2018/0611/… addresses: the items are read, their dates left empty."""
    body = "".join(f'<li><a href="/2018/06{11 - i:02d}/{200 + i}.html">某某县{n}工作情况通报</a></li>'
                   for i, n in enumerate(["一月", "二月", "三月", "四月", "五月"]))
    r = lst(page(f'<ul class="list">{body}</ul>'))
    assert len(r.items) == 5
    assert all(i.date is None for i in r.items)


FUJIAN_CONFIG = ("<script>require(['list2.trsapi']);listModel({url:'/fjdzapp/search', channelid:'229105', "
                 "sortfield:'-docorderpri,-docreltime', classsql:'chnlid=4910', prepage:10, "
                 "pagebar:{prepage:10, recordCount:'45'}})</script>")
FUJIAN_STATIC = "".join(f'<li><a href="{h}" title="{t}"><div class="li-btn">2018-06-{11 - i:02d}</div></a></li>'
                        for i, (h, t) in enumerate(FIVE))
FUJIAN_TEMPLATE = '<li ms-repeat="list"><a ms-attr-href="el.url"></a></li>'


def _form_pages(more: list[Request]) -> list[int]:
    assert all(q.method == "POST" and q.url == f"{SITE}/fjdzapp/search" for q in more)
    assert all(q.form["channelid"] == "229105" and q.form["classsql"] == "chnlid=4910" and q.form["prepage"] == "10"
               for q in more)
    return [int(q.form["page"]) for q in more]


@pytest.mark.parametrize("family", ["generic", "trs"])
def test_fujian_static_first_page_then_search_posts(family):
    r = adapter_for(family).list_page(LIST_URL, page(f'<ul class="gl-ul">{FUJIAN_STATIC}{FUJIAN_TEMPLATE}</ul>{FUJIAN_CONFIG}'))
    assert len(r.items) == 5
    assert _form_pages(r.more) == [2, 3, 4, 5]


@pytest.mark.parametrize("family", ["generic", "trs"])
def test_fujian_list_with_no_static_rows_asks_every_page(family):
    r = adapter_for(family).list_page(LIST_URL, page(f'<ul class="gl-ul">{FUJIAN_TEMPLATE}</ul>{FUJIAN_CONFIG}'))
    assert r.items == []
    assert _form_pages(r.more) == [1, 2, 3, 4, 5]


def test_fujian_json_answer():
    form = (("channelid", "229105"), ("classsql", "chnlid=4910"), ("page", "1"), ("prepage", "10"))
    request = Request(f"{SITE}/fjdzapp/search", "POST", form)
    answer = json.dumps({"data": [{"doctitle": "某某县关于公布权责清单的通知", "docpuburl": f"{SITE}/zwgk/201806/t20180611_9.htm",
                                   "docreltime": "2018-06-11 08:43:47"}], "pageCount": 5}, ensure_ascii=False)
    r = lst(answer, url=request.url, request=request)
    assert [(i.title, i.url, i.date) for i in r.items] == [
        ("某某县关于公布权责清单的通知", f"{SITE}/zwgk/201806/t20180611_9.htm", date(2018, 6, 11))]
    assert [int(q.form["page"]) for q in r.more] == [2, 3, 4, 5]
    assert all(q.method == "POST" and q.form["classsql"] == "chnlid=4910" for q in r.more)


def test_blank_column_note():
    r = lst(page('<div class="list"><ul></ul><div class="nodata">本栏目暂无信息</div></div>'))
    assert r.items == [] and r.more == []
    assert r.note == "本栏目暂无信息"


# ── menus and column trees ──────────────────────────────────────────────────────────────────────────────────
def test_flat_div_menu():
    items = "".join(f'<div class="item"><a href="/xxgk/{s}/">{n}</a></div>' for s, n in STATUTORY)
    found = menu_names(page(f'<div class="left-menu">{items}</div>', title="政府信息公开"))
    assert found == {n: f"{ENTRY_URL}{s}/" for s, n in STATUTORY}


def test_heading_followed_by_a_list():
    """<h3><a>法定主动公开内容</a></h3><ul>…</ul>: the list's columns sit under the heading."""
    html = page('<div class="side"><h3><a href="/xxgk/zfxxgkzn/">政府信息公开指南</a></h3>'
                '<h3><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></h3>'
                '<ul><li><a href="/xxgk/fdzdgknr/jgzn/">机构职能</a></li><li><a href="/xxgk/fdzdgknr/zcwj/">政策文件</a></li>'
                '<li><a href="/xxgk/fdzdgknr/czyjs/">财政预决算</a></li></ul>'
                '<h3><a href="/xxgk/zfxxgknb/">政府信息公开年报</a></h3></div>', title="政府信息公开")
    found = menu_names(html)
    assert found["法定主动公开内容/机构职能"] == f"{ENTRY_URL}fdzdgknr/jgzn/"
    assert found["法定主动公开内容/财政预决算"] == f"{ENTRY_URL}fdzdgknr/czyjs/"
    assert "政府信息公开年报" in found and "法定主动公开内容/政府信息公开年报" not in found


def test_dl_group_with_dt_heading():
    html = page('<div class="side"><dl><dt>重点领域信息公开</dt><dd><a href="/xxgk/czyjs/">财政预决算</a></dd>'
                '<dd><a href="/xxgk/aqsc/">安全生产</a></dd><dd><a href="/xxgk/hjbh/">环境保护</a></dd>'
                '<dd><a href="/xxgk/shjz/">社会救助</a></dd></dl></div>', title="政府信息公开")
    found = menu_names(html)
    assert found["重点领域信息公开"] is None
    assert found["重点领域信息公开/财政预决算"] == f"{ENTRY_URL}czyjs/"
    assert found["重点领域信息公开/环境保护"] == f"{ENTRY_URL}hjbh/"


def test_table_cell_menu():
    cells = "".join(f'<td><a href="/xxgk/{s}/">{n}</a></td>' for s, n in STATUTORY)
    found = menu_names(page(f'<table class="nav"><tr>{cells}</tr></table>', title="政府信息公开"))
    assert set(found) == {n for _, n in STATUTORY}


def test_portal_topic_dropdown_is_not_the_tree():
    """The portal's 专题专栏 dropdown names 乡村振兴 and 安全生产 among campaign links: not disclosure columns."""
    nav = ('<ul class="topnav"><li><a href="/">首页</a></li><li><a href="/zwdt/">政务动态</a></li>'
           '<li><a href="/ztzl/">专题专栏</a><ul class="drop"><li><a href="/ztzl/xczx/">乡村振兴</a></li>'
           '<li><a href="/ztzl/aqsc/">安全生产</a></li><li><a href="/ztzl/wmcj/">创建全国文明城市</a></li>'
           '<li><a href="/ztzl/sh/">扫黑除恶专项斗争</a></li><li><a href="/ztzl/dsxx/">党史学习教育</a></li></ul></li>'
           '<li><a href="/hdjl/">互动交流</a></li></ul>')
    side = "".join(f'<li><a href="/xxgk/{s}/">{n}</a></li>' for s, n in STATUTORY)
    found = menu_names(page(f'{nav}<div class="xxgk-left"><ul>{side}</ul></div>', title="政府信息公开"))
    assert not any(name.endswith(("乡村振兴", "安全生产")) for name in found)
    assert "政府信息公开指南" in found


def test_menu_written_twice_by_a_broken_comment():
    """<!-- old <!-- nested --> closes early: the old copy of the menu renders too; each column is listed once."""
    side = "".join(f'<li><a href="/xxgk/{s}/">{n}</a></li>' for s, n in STATUTORY)
    html = page(f'<div class="menu"><!-- 旧菜单 <!-- 2016 --> <ul>{side}</ul> --> <ul>{side}</ul></div>', title="政府信息公开")
    cols = adapter_for("generic").columns(ENTRY_URL, html)
    assert sorted(c.url for c in cols) == sorted(f"{ENTRY_URL}{s}/" for s, _ in STATUTORY)


def test_grid_group_page_block_titles_are_subcolumns():
    """A group column's page: a block per department (title link, 更多>>, three dated items)."""
    blocks = "".join(
        f'<div class="block"><div class="block-hd"><a href="/xxgk/bmxxgk/{s}/">{n}</a>'
        f'<a class="more" href="/xxgk/bmxxgk/{s}/">更多&gt;&gt;</a></div><ul>'
        + "".join(f'<li><a href="/xxgk/bmxxgk/{s}/201806/t201806{10 + k}_{k}.html">{n}2018年第{k + 1}季度工作要点</a>'
                  f'<span>2018-06-{10 + k}</span></li>' for k in range(3))
        + "</ul></div>" for s, n in [("jyj", "县教育局"), ("wjw", "县卫健委"), ("czj", "县财政局")])
    url = f"{ENTRY_URL}bmxxgk/"
    found = adapter_for("generic").subcolumns(url, page(f'<div class="grid">{blocks}</div>', title="部门信息公开"),
                                             frozenset({ENTRY_URL}))
    assert {c.name: c.url for c in found} == {"县教育局": f"{url}jyj/", "县卫健委": f"{url}wjw/", "县财政局": f"{url}czj/"}


def _tree_and_group() -> tuple[Tree, ColumnLink]:
    side = "".join(f'<li><a href="/xxgk/{s}/">{n}</a></li>' for s, n in STATUTORY)
    tree = Tree(adapter_for("generic"), {"www.example-county.gov.cn"})
    tree.add_entry(ENTRY_URL, page(f'<div class="menu"><ul>{side}</ul></div>', title="政府信息公开"))
    return tree, tree.paths["法定主动公开内容"]


def _group_page(crumb_href: str) -> str:
    subs = [("jgzn", "机构职能"), ("zcwj", "政策文件"), ("czyjs", "财政预决算")]
    items = "".join(f'<li><a href="/xxgk/fdzdgknr/{s}/">{n}</a></li>' for s, n in subs)
    return page(f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; '
                f'<a href="{crumb_href}">法定主动公开内容</a></div><div class="sub"><ul>{items}</ul></div>',
                title="法定主动公开内容")


def test_breadcrumb_link_to_the_page_itself_is_not_a_subcolumn():
    tree, col = _tree_and_group()
    added = tree.column_page(col, col.url, _group_page("/xxgk/fdzdgknr/")).columns
    assert {c.path for c in added} == {f"法定主动公开内容/{n}" for n in ("机构职能", "政策文件", "财政预决算")}


def test_breadcrumb_link_to_the_page_itself_as_index_html_is_not_a_subcolumn():
    tree, col = _tree_and_group()
    added = tree.column_page(col, col.url, _group_page("/xxgk/fdzdgknr/index.html")).columns
    assert {c.path for c in added} == {f"法定主动公开内容/{n}" for n in ("机构职能", "政策文件", "财政预决算")}


# ── discovery ───────────────────────────────────────────────────────────────────────────────────────────────
PLATFORM = page('<div class="menu"><ul>' + "".join(f'<li><a href="/xxgk/{s}/">{n}</a></li>' for s, n in STATUTORY)
                + '<li><a href="/xxgk/ysqgk/">依申请公开</a></li></ul></div>', title="政府信息公开-某某县人民政府")


def _portal(platform: str) -> str:
    return page('<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwdt/">政务动态</a></li>'
                '<li><a href="/hdjl/">互动交流</a></li></ul>'
                '<div class="zwgk"><h3>政务公开</h3><ul>'
                f'<li><a href="{platform}">政府信息公开</a></li>'
                '<li><a href="/xxgk/zfxxgkzn/">政府信息公开指南</a></li>'
                '<li><a href="/xxgk/zfxxgknb/">政府信息公开年报</a></li>'
                '<li><a href="/xxgk/zfxxgkzd/">政府信息公开制度</a></li></ul></div>', title="某某县人民政府")


def test_discover_follows_the_platform_link_from_the_portal():
    pages = {f"{SITE}/xxgk/": PLATFORM}
    asked: list[str] = []

    def fetch(u: str):
        asked.append(u)
        return (u, pages[u]) if u in pages else None
    found = discover(f"{SITE}/", _portal("/xxgk/"), fetch)
    assert found.entry == f"{SITE}/xxgk/"
    assert asked[0] == f"{SITE}/xxgk/"


def test_discover_does_not_follow_a_sub_host_outside_hosts():
    sub = "http://xxgk.example-county.gov.cn/"
    asked: list[str] = []

    def fetch(u: str):
        asked.append(u)
        return (u, PLATFORM) if u == sub else None
    found = discover(f"{SITE}/", _portal(sub), fetch, hosts={"www.example-county.gov.cn"})
    assert sub not in asked and sub not in {u for u, _ in found.path}
    # the portal points to the platform: it is never taken for it (its few links would make every category missing)
    assert found.entry is None and sub in found.elsewhere


# ── dates ───────────────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("text, day", [("二〇二三年十二月三十一日", date(2023, 12, 31)), ("二○一八年六月二十日", date(2018, 6, 20)),
                                       ("2018-6-11 8:43:47", date(2018, 6, 11)), ("2026- 08- 07", date(2026, 8, 7))])
def test_parse_date_forms(text, day):
    assert parse_date(text) == day
