"""广东 政府信息公开目录管理平台 (gkmlpt): the catalogue tree in window._CONFIG, lists from the JSON API
`/gkmlpt/api/all/<catId>?page=<n>&sid=<siteId>`, metadata in table.classify."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from gongkai.harvesters.adapters.base import Adapter, ColumnLink, ListItem, ListResult, Request, absolute
from gongkai.harvesters.adapters.pagers import page_numbers
from gongkai.harvesters.errors import SiteChanged
from gongkai.harvesters.fields import clean, load_json, parse_date

CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\})\s*;\s*</script>", re.DOTALL)


class GkmlptAdapter(Adapter):
    name = "gkmlpt"
    # the marks its pages carry (harvesters.detect): (pattern, what it means, weight: 2 only this family's, 1 common)
    signs = (
        ("/gkmlpt/", "/gkmlpt/ paths", 2),
        (r"window\._CONFIG", "window._CONFIG", 1),
    )
    title_selector = ".article-title h1"
    body_selector = ".article-content"
    label_selector = "table.classify td.label"

    def columns(self, url: str, text: str, support: dict[str, str] | None = None) -> list[ColumnLink]:
        m = CONFIG.search(text)
        if not m:
            raise SiteChanged(f"{url}: no window._CONFIG catalogue; has the gkmlpt layout changed?")
        config = load_json(m.group(1))
        sid, out = config["SID"], []

        def walk(nodes, prefix: str, depth: int) -> None:
            for n in nodes:
                path = f"{prefix}/{clean(n['name'])}" if prefix else clean(n["name"])
                kids = n.get("children") or []
                api = None if kids else urljoin(url, f"/gkmlpt/api/all/{n['id']}?page=1&sid={sid}")
                out.append(ColumnLink(path=path, name=clean(n["name"]), url=api, depth=depth))
                walk(kids, path, depth + 1)
        walk(config.get("TREE") or [], "", 0)
        return out

    def list_page(self, url: str, text: str, request: Request | None = None) -> ListResult:
        if not text.lstrip().startswith("{"):  # an HTML list page: the generic reading
            return super().list_page(url, text, request)
        try:
            data = load_json(text)
            articles, total = data["articles"], int(data.get("total") or 0)
        except (ValueError, KeyError, TypeError) as exc:
            raise SiteChanged(f"{url}: not a gkmlpt list answer ({exc}); has the API changed?") from None
        items = [ListItem(url=absolute(url, a["url"]), title=clean(a.get("title")), date=parse_date(a.get("created_at")))
                 for a in articles]
        return ListResult(items=items, more=page_numbers(url, total, len(articles)))
