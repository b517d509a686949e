"""Finding a county's disclosure platform (政府信息公开平台) from its home page.

A registry entry may name just the county's home page. The platform is the page whose column tree carries the
statutory columns of the 61号 layout (指南, 制度, 法定主动公开内容, 年报 …); from a portal it is reached by a link
named 政府信息公开 (or 信息公开, 政务公开, 信息公开目录 …), sometimes through a 政务公开 page first. `candidates` ranks
a page's links to it; the crawl (harvesters.crawl) and `gongkai discover` follow them, at most MAX_HOPS links deep
and MAX_PAGES pages in all, and take the first page whose tree carries at least MIN_TREE statutory names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.harvesters.adapters.dom import host_of, parse_html, same_page
from gongkai.harvesters.adapters.navigation import MIN_TREE, is_column_name, links, tree_of

MAX_HOPS = 2
MAX_PAGES = 6
# Link names leading to the platform, best first; a link naming one of its columns (指南, 年报 …) leads to that
# column's page instead, and ranks below.
PLATFORM_NAMES = [
    (re.compile(r"^(政府)?信息公开(专栏|平台|网)?$"), 10),
    (re.compile(r"^政务(信息)?公开(专栏)?$"), 6),
    (re.compile(r"^(法定)?主动公开(内容|目录)?$|^(政府)?信息公开目录$"), 5),
    (re.compile(r"信息公开"), 4),
    (re.compile(r"政务公开|公开目录"), 3),
]
COLUMN_ENDINGS = ("指南", "年报", "年度报告", "制度", "规定", "申请", "意见箱")


@dataclass
class Discovery:
    """The platform found from a page: its URL (None when not found), and the pages read on the way."""

    entry: str | None
    tree_names: int = 0
    path: list[tuple[str, int]] = field(default_factory=list)  # (URL, statutory names in its tree) per page read
    elsewhere: list[str] = field(default_factory=list)  # links towards the platform on hosts not followed


def platform_link(name: str) -> bool:
    """Whether a link's name says it leads to the platform itself (政府信息公开, 信息公开, 政务公开 …)."""
    name = name.replace(" ", "")
    return any(weight >= 6 and pattern.search(name) for pattern, weight in PLATFORM_NAMES)


def judge(url: str, text: str) -> tuple[int, list[str]]:
    """(statutory column names in the page's tree, other than links to the platform; the addresses of its links to
    the platform elsewhere). A page with links to the platform is a portal, however many names it shows."""
    found = tree_of(url, parse_html(text), min_names=1)
    here = same_page(url)
    away = [c.url for c in found if c.url and same_page(c.url) != here and platform_link(c.name)]
    return sum(1 for c in found if is_column_name(c.name) and not platform_link(c.name)), away


def candidates(url: str, text: str) -> list[str]:
    """The page's links that may lead to the disclosure platform, best first (see PLATFORM_NAMES)."""
    ranked: dict[str, int] = {}
    for link in links(url, parse_html(text)):
        if not link.url or link.url == url:
            continue
        name = link.name.replace(" ", "")
        score = next((weight for pattern, weight in PLATFORM_NAMES if pattern.search(name)), 0)
        if name.endswith(COLUMN_ENDINGS):
            score = min(score, 1)
        if score and score > ranked.get(link.url, 0):
            ranked[link.url] = score
    return sorted(ranked, key=lambda u: -ranked[u])


def discover(url: str, text: str, fetch, hosts: set[str] | None = None) -> Discovery:
    """The platform reached from the page `url` (text given): the first page, breadth first, whose tree carries
    MIN_TREE statutory names and no link to the platform elsewhere; else the page with the most names among those read
    that links nowhere else (a site whose portal menu is all there is). A page that points to the platform is never
    taken for it: when the platform cannot be read (another host, a failed fetch) nothing is, and `elsewhere` names the
    links not followed. Candidate links are followed MAX_HOPS deep, MAX_PAGES pages in all. `fetch(url)` returns
    (final url, text) or None; only `hosts` (when given) are followed."""
    found = Discovery(None)
    queue: list[tuple[str, str | None, int]] = [(url, text, 0)]
    tried: set[str] = set()
    fallback: tuple[int, str] | None = None
    while queue and len(found.path) < MAX_PAGES:
        page_url, page_text, hop = queue.pop(0)
        if page_url in tried:
            continue
        tried.add(page_url)
        if page_text is None:
            got = fetch(page_url)
            if got is None:
                continue
            page_url, page_text = got
            tried.add(page_url)
        names, away = judge(page_url, page_text)
        found.path.append((page_url, names))
        if names >= MIN_TREE and not away:
            found.entry, found.tree_names = page_url, names
            return found
        if names >= MIN_TREE and not away and (fallback is None or names > fallback[0]):
            fallback = (names, page_url)
        links_on = [*away, *candidates(page_url, page_text)[:3]]
        found.elsewhere += [u for u in links_on if hosts is not None and host_of(u) not in hosts
                            and u not in found.elsewhere]
        if hop < MAX_HOPS:
            queue += [(u, None, hop + 1) for u in links_on if hosts is None or host_of(u) in hosts]
    if fallback is not None:
        found.tree_names, found.entry = fallback
    return found


SITE_CODE = re.compile(r"""<meta\s+name=["']?SiteIDCode["']?\s+content=["']?(\d{6})""", re.IGNORECASE)
SITE_NAME = re.compile(r"""<meta\s+name=["']?SiteName["']?\s+content=["']([^"']+)""", re.IGNORECASE)
PLATFORM_COLUMNS = {  # the four first-level columns of 国办公开办函〔2019〕61号, by their requirement keys
    "platform_guide": "政府信息公开指南", "platform_rules": "政府信息公开制度",
    "platform_statutory": "法定主动公开内容", "platform_annual_reports": "政府信息公开年报"}


def describe(found: Discovery, pages: dict[str, str], adapter_name: str | None, detection, columns) -> dict:
    """What `gongkai discover` reports: the platform, how it was reached, the family and its marks, the 61号 columns
    found (by the taxonomy's own matcher), and a registry entry ready to paste."""
    from gongkai.schemas.registry import site_id_for
    from gongkai.schemas.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    start = found.path[0][0] if found.path else None
    entry = found.entry
    text = pages.get(entry or "", "") + pages.get(start or "", "")
    code = next(iter(SITE_CODE.findall(text)), None)
    name = next(iter(SITE_NAME.findall(text)), None)
    platform = {}
    for c in columns:
        for key, _ in taxonomy.match(c.name, (c.url or "").split("://", 1)[-1].split("/", 1)[-1]):
            if key in PLATFORM_COLUMNS and key not in platform:
                platform[key] = {"column": c.path, "url": c.url}
    hosts = sorted({host_of(u) for u in (start, entry) if u})
    entry_site = {
        "site_id": site_id_for(host_of(entry or start or ""), code), "name": name or host_of(start or ""),
        "level": "county", "province": "未知", "entry_urls": [entry or start],
        **({"adapter": adapter_name} if adapter_name else {}), "allowed_hosts": hosts,
        "politeness": {"delay_seconds": 2.0, "max_concurrency": 1},
    }
    return {
        "start": start, "platform": entry, "tree_names": found.tree_names,
        "pages_read": [{"url": u, "statutory_columns": n} for u, n in found.path],
        "detected": detection.adapter if detection else None, "detection_reasons": detection.reasons if detection else [],
        "columns": [{"path": c.path, "url": c.url, "depth": c.depth} for c in columns],
        "platform_columns": {PLATFORM_COLUMNS[k]: platform.get(k) for k in PLATFORM_COLUMNS},
        "site_id_from": "SiteIDCode meta tag" if code else "nowhere (no SiteIDCode meta tag: replace 000000 with the "
                                                          "6-digit 行政区划代码)",
        "registry_entry": entry_site,
    }
