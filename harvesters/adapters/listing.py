"""Reading a list page whatever its layout (列表页): dated links, lists inside scripts, JSON list answers, pagers.

- **dated links** (or, where no row has a date, links whose names read as titles): links grouped under one container (li, tr, dd, div or p rows), each with a date beside it: a full
  date, or a month-day (06-11, [06-11]) when the row has nothing else, whose year is then taken from the link's title
  attribute or left empty (never guessed). A date inside the link (<a title="…">…<div>2023-06-11</div></a>) counts;
  template rows (ms-repeat, {{…}}) do not;
- **lists inside scripts or XML** (datastore CDATA records, templates) and **JSON list answers**: the first array of
  objects with a title and an address, under any of the keys county platforms use (title, doctitle, docTitle …);
- **pagers**: the ones county platforms share (pagers.py), else numbered / 下一页 / 尾页 links, the whole run of pages
  built from the first page where the last page is known.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl

from gongkai.harvesters.adapters.dom import absolute, host_of, parse_html, text_of, text_outside
from gongkai.harvesters.adapters.pagers import MAX_PAGES, datastore_proxy, page_files, page_numbers, trs_search, trsapi
from gongkai.harvesters.adapters.results import ListItem, ListResult, Request
from gongkai.harvesters.errors import SiteChanged
from gongkai.harvesters.fields import FULL_DATE, clean, load_json, parse_date

SHORT_DATE = re.compile(r"^[\[【(（]?\s*(0?[1-9]|1[0-2])\s*[-/.月]\s*(0?[1-9]|[12]\d|3[01])\s*日?\s*[\]】)）]?$")
ROW_TAGS = ("li", "tr", "dd", "dt", "div", "p")  # not td: a table row's date sits in another cell
EMBEDDED = re.compile(r"<!\[CDATA\[(.*?)\]\]>|(<(?:li|tr|div)\b.*</(?:li|tr|div)>)", re.DOTALL)
NEXT_WORDS = ("下一页", "下页", "后页", "下一頁", ">", "›", "»", ">>", "next")
LAST_WORDS = ("尾页", "末页", "最后一页", "尾頁", "last")
PAGES_TEXT = re.compile(r"共\s*(\d{1,5})\s*页|第\s*\d{1,5}\s*/\s*(\d{1,5})\s*页|\b\d{1,5}\s*/\s*(\d{1,5})\s*页")
DOC_ID = re.compile(r"\d{3,}")  # a document's address carries an id or a date
DIGIT = re.compile(r"\d")
ORGANISATION = re.compile(r"(局|委|办|中心|政府|委员会|院|所|站|队|处|乡|镇|街道|村|社区|公司)$")
TITLE_KEYS = ("title", "doctitle", "docTitle", "doc_title", "subject", "name", "DOCTITLE", "Title")
LINK_KEYS = ("url", "link", "href", "docpuburl", "docPuburl", "docUrl", "doc_url", "chnldocurl", "puburl", "DOCPUBURL",
             "Url")
TOTAL_KEYS = ("total", "totalCount", "total_count", "recordsTotal", "totalElements", "count", "recordCount",
              "totalRecord", "totalrecord")
PAGES_KEYS = ("pageCount", "totalPage", "totalpage", "pagecount", "pages", "totalPages")
CHINA = timezone(timedelta(hours=8))


def _template_row(row) -> bool:
    attrs = row.attributes
    return any(k.startswith("ms-") or k.startswith("v-for") for k in attrs) or "{{" in (row.text(deep=True) or "")


def dated_links(url: str, tree) -> list[ListItem]:
    """Links with a date in their row, from the container holding the most of them."""
    groups: dict[int, list[ListItem]] = defaultdict(list)
    digits: dict[int, bool] = {}  # row → whether any digit is written in it (a menu's <div> holds many links)
    for a in tree.css("a[href]"):
        href = a.attributes.get("href") or ""
        if not href or href.startswith(("javascript", "#", "mailto:")):
            continue
        row = a
        while row is not None and row.tag not in ROW_TAGS:
            row = row.parent
        if row is None:
            continue
        key = row.mem_id
        if key not in digits:
            digits[key] = DIGIT.search(row.text(deep=True)) is not None and not _template_row(row)
        if not digits[key]:  # most links (navigation) have no date beside them
            continue
        shown = clean(a.text(deep=True))
        attr_title = clean(a.attributes.get("title"))
        found = _row_date(text_outside(row, a))
        title = attr_title or shown
        if found is None:  # the date inside the link: in an element of its own, or ending its text
            found = _date_inside(a) or _date_ending(shown)
            if found is not None and not attr_title:
                title = clean(shown.replace(found[1], ""))
        if found is None:
            continue
        day = found[0]
        if day is None and FULL_DATE.search(attr_title):  # 02-26 in the row, the full date in the link's title
            day = parse_date(attr_title)
        title = _strip_labels(title)
        if not title:
            continue
        parent = row.parent if row.parent is not None else row
        groups[parent.mem_id].append(ListItem(url=absolute(url, href), title=title, date=day))
    return max(groups.values(), key=len, default=[])


def _row_date(rest: str) -> tuple | None:
    """(date or None, the date's text) when the row's text outside the link is a date."""
    m = FULL_DATE.search(rest)
    if m:
        return parse_date(m.group(0)), m.group(0)
    if SHORT_DATE.match(rest):
        return None, rest
    return None


def _date_inside(a) -> tuple | None:
    """A date written in an element inside the link (Fujian: <a title=…><div class="li-btn">2023-06-11</div></a>)."""
    for el in a.css("span, div, em, i, b, font, p"):
        text = text_of(el)
        if text and len(text) <= 24 and FULL_DATE.search(text) and FULL_DATE.sub("", text).strip(" []【】()（）:：") == "":
            return parse_date(text), text
    return None


def _date_ending(text: str) -> tuple | None:
    """A date ending the link's own text (标题 2023-06-11)."""
    found = list(FULL_DATE.finditer(text))
    if found and not text[found[-1].end():].strip(" ]】)）"):
        return parse_date(found[-1].group(0)), text[found[-1].start():].strip()
    return None


def _strip_labels(title: str) -> str:
    """A title attribute written as 标题：…发表时间：… keeps only the title."""
    if title.startswith(("标题：", "标题:")):
        title = re.split(r"\s*(点击数|发表时间|发布时间|更新时间)[:：]", title[3:])[0]
    return clean(title)


def embedded_items(url: str, text: str, tree) -> list[ListItem]:
    """Lists shipped as markup inside scripts or XML (datastores with CDATA records, templates)."""
    holders = [text] if text.lstrip().startswith(("<?xml", "<datastore")) else [s.text() for s in tree.css("script")]
    items: list[ListItem] = []
    for body in holders:
        if "href" in body and "<a" in body:
            fragments = "".join(a or b for a, b in EMBEDDED.findall(body))
            if fragments:
                items += dated_links(url, parse_html(fragments))
    return items


def undated_links(url: str, tree) -> list[ListItem]:
    """A list whose rows carry no date: the largest group (three or more) of same-host links whose names read as
    documents' titles (eight characters or more, no column's or organisation's name) and whose addresses carry an id.
    Their dates stay empty: a date in the address is when the file was made, not when the document was published."""
    from gongkai.harvesters.adapters.navigation import is_column_name  # navigation reads list rows with this module

    host = host_of(url)
    groups: dict[int, list[ListItem]] = defaultdict(list)
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript", "#", "mailto:")):
            continue
        title = clean(a.attributes.get("title")) or clean(a.text(deep=True))
        target = absolute(url, href)
        if (len(title) < 8 or host_of(target) != host or not DOC_ID.search(target.split("//", 1)[-1].split("/", 1)[-1])
                or is_column_name(title) or ORGANISATION.search(title)):
            continue
        row = a
        while row is not None and row.tag not in ROW_TAGS:
            row = row.parent
        if row is None or _template_row(row):
            continue
        parent = row.parent if row.parent is not None else row
        groups[parent.mem_id].append(ListItem(url=target, title=_strip_labels(title), date=None))
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 3 else []


def read_list(url: str, text: str, request: Request | None = None) -> ListResult:
    """A list page of any layout (see the module's docstring)."""
    if text.lstrip()[:1] in ("{", "["):
        return json_list(url, text, request)
    tree = parse_html(text)
    items = dated_links(url, tree) + embedded_items(url, text, tree)
    if not items:
        items = undated_links(url, tree)
    seen: set[str] = set()
    items = [i for i in items if not (i.url in seen or seen.add(i.url))]
    return ListResult(items=items, more=pager(url, text, tree, len(items)))


def pager(url: str, text: str, tree, shown: int) -> list[Request]:
    """The pagers county sites share (pagers.py), else numbered / 下一页 / 尾页 links."""
    more = page_files(url, text) or trsapi(url, text) or trs_search(url, text, shown) or datastore_proxy(url, text, shown)
    if more or "<datastore>" in text:  # a datastore page without a next group is the last one
        return more
    return link_pages(url, text, tree)


PAGER_SELECTOR = ", ".join(f'a:lexbor-contains("{w}")' for w in ("下一页", "下页", "后页", "尾页", "末页", "最后一页"))


def link_pages(url: str, text: str, tree) -> list[Request]:
    """Further pages from the pager's links: every numbered page and the next one; when the next page (2) and the
    last page (n) differ only in that number, every page 2…n. Only the links in the pager's box (the one holding a
    下一页 / 尾页 link) are read, not every link of the page."""
    host = host_of(url)
    numbered: dict[int, str] = {}
    nxt = last = None
    boxes, anchors = set(), []
    for a in tree.css(PAGER_SELECTOR):
        box = a.parent  # the pager's box: the link's parent, or its grandparent when each link has its own <li>
        found = box.css("a[href]") if box is not None else []
        if len(found) < 2 and box is not None and box.parent is not None:
            box, found = box.parent, box.parent.css("a[href]")
        if box is not None and box.mem_id not in boxes and len(found) <= 60:
            boxes.add(box.mem_id)
            anchors += found
    for a in anchors:
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript", "#", "mailto:")):
            continue
        word = clean(a.text(deep=True)).strip("[]【】 ").lower()
        target = absolute(url, href)
        if host_of(target) != host or target == url:
            continue
        if word.isdigit() and len(word) <= 4:
            numbered.setdefault(int(word), target)
        elif word.startswith(NEXT_WORDS[:4]) or word in NEXT_WORDS:
            nxt = nxt or target
        elif word in LAST_WORDS:
            last = last or target
    pages = _page_run(nxt or numbered.get(2), last, _last_number(tree))
    if pages:
        return [Request(u) for u in pages]
    urls = list(dict.fromkeys([u for _, u in sorted(numbered.items()) if _ > 1] + ([nxt] if nxt else [])))
    return [Request(u) for u in urls]


def _last_number(tree) -> int | None:
    m = PAGES_TEXT.search(text_of(tree.body) if tree.body is not None else "")
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def _page_run(second: str | None, last: str | None, count: int | None) -> list[str]:
    """Pages 2…n from page 2's URL and the last page's URL (or the page count), when they differ only in the
    page number."""
    if not second:
        return []
    runs = list(re.finditer(r"\d+", second))
    for m in reversed(runs):
        if m.group(0) != "2":
            continue
        head, tail = second[:m.start()], second[m.end():]
        n = None
        if last and last.startswith(head) and last.endswith(tail):
            middle = last[len(head):len(last) - len(tail)]
            n = int(middle) if middle.isdigit() else None
        if n is None and count:
            n = count
        if n and 2 <= n <= MAX_PAGES:
            return [f"{head}{p}{tail}" for p in range(2, n + 1)]
    return []


def json_list(url: str, text: str, request: Request | None = None) -> ListResult:
    """A JSON list answer: the first array of objects that have a title and an address (TITLE_KEYS, LINK_KEYS),
    the date from a key naming a date or time; further pages from the total (or page count) beside the array, in
    the page parameter of the URL or, for a POSTed form, of the form (asked by its first pages only)."""
    try:
        data = load_json(text)
    except ValueError as exc:
        raise SiteChanged(f"{url}: a JSON list answer that does not parse ({exc})") from None

    def key_of(row: dict, keys: tuple[str, ...]) -> str | None:
        return next((k for k in keys if isinstance(row.get(k), str)), None)

    def find(node, holder):
        if (isinstance(node, list) and node and all(isinstance(x, dict) for x in node)
                and any(key_of(x, TITLE_KEYS) and key_of(x, LINK_KEYS) for x in node)):
            return node, holder
        if isinstance(node, dict):
            for child in node.values():
                found = find(child, node)
                if found:
                    return found
        elif isinstance(node, list):
            for child in node:
                found = find(child, holder)
                if found:
                    return found
        return None
    rows, holder = find(data, data if isinstance(data, dict) else {}) or ([], {})
    items = []
    for r in rows:
        title, link = key_of(r, TITLE_KEYS), key_of(r, LINK_KEYS)
        if not (title and link):
            continue
        when = next((r[k] for k in r if any(w in k.lower() for w in ("date", "time", "created"))), None)
        items.append(ListItem(url=absolute(url, r[link]), title=clean(r[title]), date=_when(when)))
    scopes = (holder, data if isinstance(data, dict) else {})
    total = next((t for d in scopes for k in TOTAL_KEYS if isinstance(t := d.get(k), int) and not isinstance(t, bool)), None)
    pages = next((p for d in scopes for k in PAGES_KEYS if isinstance(p := d.get(k), int) and not isinstance(p, bool)), None)
    if request is not None and request.method == "POST":
        return ListResult(items=items, more=_form_pages(request, total, pages, len(rows)))
    return ListResult(items=items, more=page_numbers(url, total, len(rows)) if total is not None else [])


def _form_pages(request: Request, total: int | None, pages: int | None, shown: int) -> list[Request]:
    """The further pages of a POSTed list form (page=N in the form), asked by its first two pages only."""
    form = dict(request.data)
    key = next((k for k in ("page", "pageNo", "pageIndex", "pageNum", "currentPage", "curPage") if k in form), None)
    if key is None or not form[key].isdigit() or int(form[key]) > 2:
        return []
    if pages is None and total is not None and shown:
        pages = -(-total // shown)
    if not pages:
        return []
    here = int(form[key])
    return [Request(request.url, "POST", tuple((k, str(p) if k == key else v) for k, v in request.data))
            for p in range(here + 1, min(pages, MAX_PAGES) + 1)]


def _when(value) -> object:
    """A list item's date from JSON: a date string, or epoch seconds / milliseconds (read in Beijing time)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and value > 1e8:
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, tz=UTC).astimezone(CHINA).date()
    return parse_date(str(value))


def request_of(method: str, url: str, post_data: str | None) -> Request:
    """The Request a fetch-log row stands for (its form decoded), as the crawl made it."""
    return Request(url, method, tuple(parse_qsl(post_data, keep_blank_values=True)) if post_data else ())

