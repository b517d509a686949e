"""广东 政府信息公开目录管理平台 (gkmlpt) sample pages: a JavaScript page with window._CONFIG, lists from a JSON API."""
from __future__ import annotations

import json
import math
from html import escape

from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, leaves
from gongkai.sampleweb.model import County, Doc
from gongkai.sampleweb.pages import attachment_links, body_paragraphs, head, related_links

# The platform's front end, in the style of the real one: jQuery renders the tree from window._CONFIG and asks the list
# API with `url` + `data` (the generic adapter reads the list address from this file; the gkmlpt adapter knows it).
APP_JS = r"""/* 政府信息公开目录管理平台 */
(function ($, CONFIG) {
  "use strict";
  var PAGE_SIZE = 20, current = { id: null, page: 1 };

  function renderTree(nodes, $ul) {
    $.each(nodes, function (i, node) {
      var $li = $('<li><a href="#' + node.id + '">' + node.name + "</a></li>").appendTo($ul);
      if (node.children && node.children.length) {
        renderTree(node.children, $("<ul></ul>").appendTo($li));
      }
    });
  }

  function loadList(catId, page) {
    return $.ajax({
      url: "/gkmlpt/api/all/" + catId,
      type: "GET",
      dataType: "json",
      data: { page: page, sid: CONFIG.SID }
    });
  }

  function renderList(res) {
    var rows = $.map(res.articles, function (a) {
      return '<li><a href="' + a.url + '" target="_blank">' + a.title + "</a><span>" +
        a.created_at.substring(0, 10) + "</span></li>";
    });
    $("#gkmlpt-list").html(rows.join("") || '<p class="empty">暂无信息</p>');
    $("#gkmlpt-pager").text(current.page + " / " + Math.max(1, Math.ceil(res.total / PAGE_SIZE)));
  }

  $(function () {
    renderTree(CONFIG.TREE, $('<ul class="gkmlpt-tree"></ul>').appendTo("#gkmlpt-app"));
    $(window).on("hashchange", function () {
      current = { id: location.hash.slice(1), page: 1 };
      loadList(current.id, current.page).done(renderList);
    });
  });
})(window.jQuery, window._CONFIG);
"""


class Gkmlpt:
    """`/gkmlpt/index` renders the catalogue in the browser from window._CONFIG; every list is
    `GET /gkmlpt/api/all/<catId>?page=<n>&sid=<siteId>` → {total, articles:[…], classify:{post_count}};
    articles at /gkmlpt/content/<a>/<b>/post_<id>.html."""

    page_size = 20
    entry = "/gkmlpt/index"

    def build(self, county: County) -> dict:
        routes: dict = {}
        sid = str(757000 + county.index)
        for col in leaves(county):
            col.path = self.api_url(col.col_id, 1, sid)
            for d in col.docs:
                pid = 3000000 + county.index * 10000 + d.serial
                d.path = f"/gkmlpt/content/{pid // 1000000}/{pid // 1000}/post_{pid}.html"
                for k, a in enumerate(d.attachments):
                    a.path = f"/attachment/0/{pid // 1000}/{pid}_{k}.{a.ext}"
        for col in leaves(county):
            pages = max(1, math.ceil(len(col.docs) / self.page_size))
            for p in range(1, pages + 1):
                chunk = col.docs[(p - 1) * self.page_size:p * self.page_size]
                body = json.dumps({"total": len(col.docs), "classify": {"id": col.col_id, "name": col.name,
                                                                        "post_count": len(col.docs)},
                                   "articles": [{"id": int(d.path.rsplit("_", 1)[1].split(".")[0]), "title": d.title,
                                                 "url": d.path, "created_at": f"{d.published:%Y-%m-%d} 09:30:00",
                                                 "publisher": d.publisher} for d in chunk]}, ensure_ascii=False)
                routes[self.api_url(col.col_id, p, sid)] = lambda b=body: ("application/json", b)
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(county, d))
                attachment_routes(routes, d)

        def node(c):
            return {"id": c.col_id, "name": c.name, "children": [node(x) for x in c.children]}
        config = json.dumps({"SID": sid, "SITE_NAME": county.name, "TREE": [node(c) for c in county.columns]},
                            ensure_ascii=False)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body><div id=\"gkmlpt-app\"><noscript>请开启浏览器的 JavaScript"
            f"</noscript></div><script>window._CONFIG = {config};</script>"
            f'<script src="/gkmlpt/static/js/jquery.min.js"></script>'
            f'<script src="/gkmlpt/static/js/app.js"></script></body></html>')
        routes["/gkmlpt/static/js/app.js"] = lambda: ("application/javascript; charset=utf-8", APP_JS)
        return dress(county, routes)

    @staticmethod
    def api_url(cat_id: int, page: int, sid: str) -> str:
        return f"/gkmlpt/api/all/{cat_id}?page={page}&sid={sid}"

    def doc_page(self, county, d: Doc) -> str:
        cells = [("索引号", d.index_no), ("分类", d.topic), ("发布机构", d.publisher),
                 ("成文日期", f"{d.written:%Y-%m-%d}"), ("名称", d.title), ("文号", d.doc_no or ""),
                 ("发布日期", f"{d.published:%Y-%m-%d}"), ("有效性", d.validity or "")]
        rows = "".join(f'<tr><td class="label">{k}：</td><td class="value">{escape(v)}</td><td class="label">{k2}：</td>'
                       f'<td class="value">{escape(v2)}</td></tr>' for (k, v), (k2, v2) in zip(cells[::2], cells[1::2], strict=True))
        return (f"<html>{head(county, d.title, d.column.name, d)}<body><div class=\"gkmlpt-content\">"
                f"<table class=\"classify\"><tbody>{rows}</tbody></table><div class=\"article-title\"><h1>"
                f"{escape(d.title)}</h1></div><div class=\"article-content\">{body_paragraphs(d)}{d.html_extra}</div>"
                f"{attachment_links(d)}{related_links(d, lambda r: r.path)}</div></body></html>")
