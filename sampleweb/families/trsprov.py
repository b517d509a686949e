"""A county on a provincial TRS 集约化 platform (Fujian style) with 动静结合 lists: only a list's first page is static
HTML; every further page (and the whole list of a JavaScript-only column) comes from `POST /fjdzapp/search`."""
from __future__ import annotations

import json
import math
from html import escape

from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, leaves
from gongkai.sampleweb.model import Column, County, Doc
from gongkai.sampleweb.pages import attachment_links, body_paragraphs, head, nav_tree, related_links

# The platform's list script, in the style of the real one: avalon renders the rows of the JSON search API.
LIST_JS = r"""/* list2.trsapi.js: 动静结合列表 */
function listModel(opts) {
  var staticMax = opts.maxStaticIndex == null ? -1 : opts.maxStaticIndex;  // pages 0..staticMax are index.htm
  var vm = avalon.define({ $id: "list", list: [], page: 1 });

  function load(page) {
    $.ajax({
      url: opts.url, type: "POST", dataType: "json",
      data: { channelid: opts.channelid, classsql: opts.classsql, sortfield: opts.sortfield, classcol: opts.classcol,
              classnum: opts.classnum, classsort: opts.classsort, cache: opts.cache, prepage: opts.prepage, page: page },
      success: function (res) {
        vm.list = $.map(res.data, function (d) {
          return { title: d.doctitle, url: d.docpuburl, time: d.docreltime.substring(0, 10) };
        });
        vm.page = page;
        createPagebar(opts.pagebar, res.pageCount, page, go);
      }
    });
  }

  function go(page) {
    if (page - 1 <= staticMax) { location.href = "index.htm"; } else { $(".gl-list dd:not([ms-repeat])").remove(); load(page); }
  }

  if (staticMax < 0) { load(1); }
  else { createPagebar(opts.pagebar, Math.ceil(opts.pagebar.recordCount / opts.pagebar.prepage), 1, go); }
}
"""


class TrsProv:
    page_size = 10
    entry = "/zwgk/zfxxgkzl/index.htm"
    api = "/fjdzapp/search"
    script = "/static/js/list2.trsapi.js"
    channel = "229105"
    js_only = ("fdzdgknr/zcjd", "fdzdgknr/gzdt")  # no static rows at all: page 1 comes from the API too

    def build(self, county: County) -> dict:
        routes: dict = {}
        self.county = county
        self.regenerated = f"{county.as_of:%Y-%m-%d} 03:12:40"  # PubDate: when the platform last regenerated the page
        self.columns: dict[str, Column] = {}
        for col in leaves(county):
            base = f"/zwgk/zfxxgkzl/{col.slug_path}/"
            col.path = base + "index.htm"
            self.columns[str(col.col_id)] = col
            for d in col.docs:
                docid = 2290000 + county.index * 20000 + d.serial
                d.path = f"{base}{d.published:%Y%m}/t{d.published:%Y%m%d}_{docid}.htm"
                for k, a in enumerate(d.attachments):
                    if not a.external:
                        a.path = f"{base}{d.published:%Y%m}/P0{d.published:%Y%m%d}{docid}{k}.{a.ext}"
        for col in leaves(county):
            routes[col.path] = html_page(self.list_page(col))
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(d))
                attachment_routes(routes, d)
        newest = sorted(county.all_docs(), key=lambda d: (d.published, d.serial), reverse=True)[:8]
        latest = "".join(f'<li><a href="{d.path}" target="_blank" title="{escape(d.title)}">{escape(d.title)}</a>'
                         f"<span>{d.published:%Y-%m-%d}</span></li>" for d in newest)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body>{self.position()}<div class=\"gl-main\"><div class=\"gl-left\">"
            f"<div class=\"gl-left-title\">政府信息公开</div>{nav_tree(county.columns, lambda c: c.path, 'gl-nav')}</div>"
            f'<div class="gl-right"><div class="gl-zxgk"><h3>最新公开</h3><ul>{latest}</ul></div></div></div>'
            f"</body></html>")
        routes[self.script] = lambda: ("application/javascript", LIST_JS)
        routes[("POST", self.api)] = self.search
        return dress(county, routes)

    def position(self, col: Column | None = None) -> str:
        crumbs = ['<a href="/">首页</a>', f'<a href="{self.entry}">政府信息公开</a>']
        if col is not None:
            crumbs += [escape(c) for c in col.name_path.split("/")[:-1]] + [f'<a href="{col.path}">{escape(col.name)}</a>']
        return f'<div class="position">您当前的位置：{" &gt; ".join(crumbs)}</div>'

    @staticmethod
    def reltime(d: Doc) -> str:
        return f"{d.published:%Y-%m-%d} {9 + d.serial % 8:02d}:{d.serial * 11 % 60:02d}:00"

    def list_page(self, col: Column) -> str:
        base = col.path.removesuffix("index.htm")
        js_only = col.slug_path in self.js_only
        rows = "" if js_only else "".join(
            f'<dd><a href="./{d.path.removeprefix(base)}" title="{escape(d.title)}" target="_blank">{escape(d.title)}</a>'
            f"<span>{d.published:%Y-%m-%d}</span></dd>" for d in col.docs[:self.page_size])
        note = f'<p class="lm-note">{escape(col.note)}</p>' if col.note and not col.docs else ""
        static = ("" if js_only and self.js_only.index(col.slug_path) == 1
                  else f"maxStaticIndex: {-1 if js_only else 0}, ")
        config = (f"listModel({{url: '{self.api}', channelid: '{self.channel}', classsql: 'chnlid={col.col_id}', "
                  f"sortfield: '-docorderpri,-docreltime', classcol: 'publishyear', classnum: '100', classsort: '0', "
                  f"cache: 'true', prepage: {self.page_size}, {static}pagebar: {{prepage: {self.page_size}, "
                  f"recordCount: '{len(col.docs)}'}}}});")
        return (f"<html>{head(self.county, col.name, col.name)}<body>{self.position(col)}<div class=\"gl-main\">"
                f'<div class="gl-title">{escape(col.name)}</div><div class="gl-list" ms-controller="list">{note}<dl>{rows}'
                f'<dd ms-repeat="list"><a ms-attr-href="el.url" ms-attr-title="el.title" target="_blank">{{{{el.title}}}}'
                f'</a><span>{{{{el.time}}}}</span></dd></dl></div><div class="pagebar" id="pagebar"></div>'
                f'<script src="{self.script}"></script><script>{config}</script></div></body></html>')

    def search(self, form: dict) -> tuple[str, str]:
        """POST /fjdzapp/search: classsql=chnlid=<id>, page (from 1), prepage → {data, pageCount, total}."""
        key = form.get("classsql", "").replace(" ", "").removeprefix("chnlid=")
        col = self.columns.get(key)
        docs = col.docs if col else []

        def number(name: str, default: int) -> int:
            try:
                return int(form.get(name) or default)
            except ValueError:
                return default
        per, page = min(100, max(1, number("prepage", self.page_size))), max(1, number("page", 1))
        data = [{"doctitle": d.title, "docpuburl": d.path, "docreltime": self.reltime(d)}
                for d in docs[(page - 1) * per:page * per]]
        return "application/json", json.dumps({"data": data, "pageCount": math.ceil(len(docs) / per), "total": len(docs)},
                                              ensure_ascii=False)

    def doc_page(self, d: Doc) -> str:
        cells = [("索引号", d.index_no), ("发布机构", d.publisher), ("主题分类", d.topic),
                 ("成文日期", f"{d.written:%Y年%m月%d日}"), ("文号", d.doc_no or ""), ("发布日期", f"{d.published:%Y-%m-%d}")]
        if d.validity:
            cells.append(("有效性", d.validity))
        rows = []
        for i in range(0, len(cells), 2):
            pair = cells[i:i + 2]
            span = "" if len(pair) == 2 else ' colspan="3"'  # the odd last cell spans the row
            rows.append("<tr>" + "".join(f'<td class="t">{k}</td><td{span}>{escape(v)}</td>' for k, v in pair) + "</tr>")
        return (f"<html>{head(self.county, d.title, d.column.name, d, pubdate=self.regenerated)}<body>"
                f'{self.position(d.column)}<div class="gl-main"><div class="article-box">'
                f'<table class="xxgk-table" cellspacing="0">{"".join(rows)}</table>'
                f'<div class="article-title"><h1>{escape(d.title)}</h1></div><div class="TRS_Editor">'
                f'<div class="TRS_PreAppend">{body_paragraphs(d)}{d.html_extra}</div></div>'
                f"{attachment_links(d)}{related_links(d, lambda r: r.path)}</div></div></body></html>")
