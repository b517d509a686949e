"""The ways county list pages announce their other pages (翻页), shared by the family adapters and the generic one.

Each function takes the list page's URL and text and returns the requests for the further pages, or [] when the page
does not page that way (or is not the first page: only the first page announces the rest, so a walk asks once).
"""
from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from gongkai.harvesters.adapters.results import Request
from gongkai.harvesters.fields import load_json

CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\w+)\s*,\s*(\d+)\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']\s*\)""")
# The six-argument form of the c<id>/list.shtml platforms: (container, pages, current, prefix, extension, items).
CREATE_PAGE_6 = re.compile(r"""createPageHTML\(\s*["'][\w-]+["']\s*,\s*["']?(\d+)["']?\s*,\s*["']?(\d+)["']?\s*,"""
                           r"""\s*["'](\w+)["']\s*,\s*["'](\w+)["']\s*,\s*["']?\d+["']?\s*\)""")
# The provincial TRS platforms' "动静结合" lists: the first page static, the rest from a search API the page's
# script configures (Fujian: require(['list2.trsapi']); listModel({url: '/fjdzapp/search', channelid, classsql,
# prepage, pagebar: {recordCount}})).
SEARCH_MARK = re.compile(r"listModel\s*\(|fjdzapp")
JS_PAIR = re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*:\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|-?\d+(?:\.\d+)?|true|false)""")
SEARCH_NOT_FORM = {"url", "api", "searchurl", "action", "recordcount", "maxstaticindex", "total", "count", "pagecount",
                   "el", "container", "template", "callback"}
COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
CURRENT = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
TRSAPI = re.compile(r"trsapi\s*=\s*(\{.*?\})\s*;", re.DOTALL)
TOTAL = re.compile(r"<totalrecord>(\d+)</totalrecord>")
NEXTGROUP = re.compile(r"<nextgroup><!\[CDATA\[<a href=\"([^\"]+)\"", re.DOTALL)
PER_PAGE = re.compile(r"perPage\s*:\s*(\d+)")
MAX_PAGES = 2000  # a pager announcing more is not believed beyond this (the walk's budget is harvest.max_list_pages)
PAGE_PARAM = re.compile(r"[?&](?:page|pageNo|pageNum|pageIndex|curPage|currentPage|cur_page)=(\d+)")


def page_files(url: str, text: str) -> list[Request]:
    """TRS-style static pages index_1.html … index_{n-1}.html, announced by createPageHTML(n, 0, "index", "html") or by
    `var countPage = n` with `var currentPage = 0` (the pager written inline with document.write, e.g. 邯郸)."""
    m, count, current = CREATE_PAGE.search(text), COUNT.search(text), CURRENT.search(text)
    six = CREATE_PAGE_6.search(text) if m is None else None
    if six:
        pages, here, stem, ext = six.groups()
        last = min(int(pages), MAX_PAGES)
        return [Request(urljoin(url, f"{stem}_{i}.{ext}")) for i in range(2, last + 1)] if int(here) <= 1 else []
    if m:
        pages_token, first, stem, ext = m.groups()
        pages = int(pages_token) if pages_token.isdigit() else int(count.group(1)) if count else 1
    elif count and current:
        pages, first, stem = int(count.group(1)), current.group(1), "index"
        ext = url.rsplit(".", 1)[-1] if url.rsplit("/", 1)[-1].count(".") == 1 else "html"
    else:
        return []
    pages = min(pages, MAX_PAGES)
    return [Request(urljoin(url, f"{stem}_{i}.{ext}")) for i in range(1, pages)] if int(first) == 0 else []


def trs_search(url: str, text: str, shown: int) -> list[Request]:
    """A "动静结合" list's search API (SEARCH_MARK): POSTs of the config's form with page=N for every page after the
    static one, or from page 1 when the page shows no static rows (a list built only by the script). With no total
    in the config, the next page only; its JSON answer announces the rest (listing.json_list)."""
    if not SEARCH_MARK.search(text):
        return []
    config: dict[str, str] = {}
    for script in re.findall(r"<script\b[^>]*>(.*?)</script\s*>", text, re.DOTALL | re.IGNORECASE):
        if SEARCH_MARK.search(script) or "channelid" in script.lower():
            for key, value in JS_PAIR.findall(script):
                config.setdefault(key, value.strip("'\""))
    lower = {k.lower(): v for k, v in config.items()}
    api = next((lower[k] for k in ("url", "api", "searchurl", "action") if lower.get(k, "").startswith(("/", "http"))),
               "/fjdzapp/search" if "fjdzapp" in text else None)
    if api is None or not any(k in lower for k in ("channelid", "classsql", "chnlid")):
        return []
    per = max(1, int(lower["prepage"])) if lower.get("prepage", "").isdigit() else max(shown, 10)
    total = int(lower["recordcount"]) if lower.get("recordcount", "").isdigit() else None
    form = [(k, v) for k, v in config.items() if k.lower() not in SEARCH_NOT_FORM and k.lower() not in ("page", "prepage")]
    first = 2 if shown else 1
    last = min(math.ceil(total / per), MAX_PAGES) if total is not None else first
    target = urljoin(url, api)
    return [Request(target, "POST", (*form, ("page", str(p)), ("prepage", str(per)))) for p in range(first, last + 1)]


def trsapi(url: str, text: str) -> list[Request]:
    """The newer TRS template's JSON list API: `var trsapi = {api, channelId, pageSize, total}` on page 1; pages 2…n
    are GETs of `<api>?channelid=…&page=N&pagesize=…`."""
    m = TRSAPI.search(text)
    if not m:
        return []
    config = load_json(m.group(1))
    size, total = max(1, int(config.get("pageSize", 10))), int(config.get("total", 0))
    base = urljoin(url, config["api"])
    return [Request(f"{base}?{urlencode({'channelid': config['channelId'], 'page': p, 'pagesize': size})}")
            for p in range(2, min(math.ceil(total / size), MAX_PAGES) + 1)]


def datastore_proxy(url: str, text: str, shown: int) -> list[Request]:
    """大汉 Hanweb: the column page embeds the first `shown` records and a <nextgroup> link to dataproxy.jsp; the
    rest are POSTs of startrecord/endrecord windows with the column's form fields."""
    group, total = NEXTGROUP.search(text), TOTAL.search(text)
    if not (group and total):
        return []
    per_match = PER_PAGE.search(text)
    per = max(1, int(per_match.group(1))) if per_match else max(1, shown)
    proxy = urljoin(url, group.group(1))
    params = dict(parse_qsl(urlsplit(proxy).query))
    form = (("col", "1"), ("appid", "1"), ("webid", params.get("webid", "")), ("path", "/"),
            ("columnid", params.get("columnid", "")), ("sourceContentType", "1"),
            ("unitid", params.get("unitid", "")), ("permissiontype", "0"))
    base = proxy.split("?", 1)[0]
    return [Request(f"{base}?startrecord={start}&endrecord={start + per - 1}&perpage={per}", "POST", form)
            for start in (page * per + 1 for page in range(1, min(math.ceil(int(total.group(1)) / per), MAX_PAGES)))]


def page_numbers(url: str, total: int, shown: int) -> list[Request]:
    """JSON list APIs paged by a page parameter (page=, pageNo=, pageIndex= …): page 1 showed `shown` of `total`
    items; ask for pages 2…n."""
    m = PAGE_PARAM.search(url)
    if not (m and m.group(1) == "1" and shown and total > shown):
        return []
    return [Request(url[:m.start(1)] + str(p) + url[m.end(1):])
            for p in range(2, min(math.ceil(total / shown), MAX_PAGES) + 1)]
