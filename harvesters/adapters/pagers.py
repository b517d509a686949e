"""The ways county list pages announce their other pages (翻页), shared by the family adapters and the generic one.

Each function takes the list page's URL and text and returns the requests for the further pages, or [] when the page
does not page that way (or is not the first page: only the first page announces the rest, so a walk asks once).
"""
from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from harvesters.adapters.base import Request

CREATE_PAGE = re.compile(r'createPageHTML\(\s*(\w+)\s*,\s*(\d+)\s*,\s*"(\w+)"\s*,\s*"(\w+)"\s*\)')
COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
CURRENT = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
TRSAPI = re.compile(r"trsapi\s*=\s*(\{.*?\})\s*;", re.DOTALL)
TOTAL = re.compile(r"<totalrecord>(\d+)</totalrecord>")
NEXTGROUP = re.compile(r"<nextgroup><!\[CDATA\[<a href=\"([^\"]+)\"", re.DOTALL)
PER_PAGE = re.compile(r"perPage\s*:\s*(\d+)")
PAGE_PARAM = re.compile(r"[?&](?:page|pageNo|pageNum|pageIndex|curPage|currentPage|cur_page)=(\d+)")


def page_files(url: str, text: str) -> list[Request]:
    """TRS-style static pages index_1.html … index_{n-1}.html, announced by createPageHTML(n, 0, "index", "html") or by
    `var countPage = n` with `var currentPage = 0` (the pager written inline with document.write, e.g. 邯郸)."""
    m, count, current = CREATE_PAGE.search(text), COUNT.search(text), CURRENT.search(text)
    if m:
        pages_token, first, stem, ext = m.groups()
        pages = int(pages_token) if pages_token.isdigit() else int(count.group(1)) if count else 1
    elif count and current:
        pages, first, stem = int(count.group(1)), current.group(1), "index"
        ext = url.rsplit(".", 1)[-1] if url.rsplit("/", 1)[-1].count(".") == 1 else "html"
    else:
        return []
    return [Request(urljoin(url, f"{stem}_{i}.{ext}")) for i in range(1, pages)] if int(first) == 0 else []


def trsapi(url: str, text: str) -> list[Request]:
    """The newer TRS template's JSON list API: `var trsapi = {api, channelId, pageSize, total}` on page 1; pages 2…n
    are GETs of `<api>?channelid=…&page=N&pagesize=…`."""
    m = TRSAPI.search(text)
    if not m:
        return []
    config = json.loads(m.group(1))
    size, total = int(config.get("pageSize", 10)), int(config.get("total", 0))
    base = urljoin(url, config["api"])
    return [Request(f"{base}?{urlencode({'channelid': config['channelId'], 'page': p, 'pagesize': size})}")
            for p in range(2, math.ceil(total / size) + 1)]


def datastore_proxy(url: str, text: str, shown: int) -> list[Request]:
    """大汉 Hanweb: the column page embeds the first `shown` records and a <nextgroup> link to dataproxy.jsp; the
    rest are POSTs of startrecord/endrecord windows with the column's form fields."""
    group, total = NEXTGROUP.search(text), TOTAL.search(text)
    if not (group and total):
        return []
    per_match = PER_PAGE.search(text)
    per = int(per_match.group(1)) if per_match else max(1, shown)
    proxy = urljoin(url, group.group(1))
    params = dict(parse_qsl(urlsplit(proxy).query))
    form = (("col", "1"), ("appid", "1"), ("webid", params.get("webid", "")), ("path", "/"),
            ("columnid", params.get("columnid", "")), ("sourceContentType", "1"),
            ("unitid", params.get("unitid", "")), ("permissiontype", "0"))
    base = proxy.split("?", 1)[0]
    return [Request(f"{base}?startrecord={start}&endrecord={start + per - 1}&perpage={per}", "POST", form)
            for start in (page * per + 1 for page in range(1, math.ceil(int(total.group(1)) / per)))]


def page_numbers(url: str, total: int, shown: int) -> list[Request]:
    """JSON list APIs paged by a page parameter (page=, pageNo=, pageIndex= …): page 1 showed `shown` of `total`
    items; ask for pages 2…n."""
    m = PAGE_PARAM.search(url)
    if not (m and m.group(1) == "1" and shown and total > shown):
        return []
    return [Request(url[:m.start(1)] + str(p) + url[m.end(1):]) for p in range(2, math.ceil(total / shown) + 1)]
