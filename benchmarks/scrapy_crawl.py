"""Benchmark only: crawl the registry's sites with Scrapy, with our harvester's adapters and politeness, and time it.

    .venv/bin/python benchmarks/scrapy_crawl.py REGISTRY.yaml --delay 1.0 --concurrency 1 --out result.json

Link extraction is ours (harvesters.adapters), so both crawlers fetch the same pages: robots.txt, the entry page,
every list page (Hanweb's further pages are POSTs to dataproxy.jsp, sent as FormRequest), every document and every
attachment. Scrapy's dupefilter drops repeated requests; its fingerprint covers method, URL and body, so POSTs with
different forms are all sent and an identical one only once. As in our harvester, a list page whose body repeats an
earlier page of the same column (a pager loop under new URLs) is not followed.

Why `download_slot`: Scrapy's downloader keys its slots (where DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN
apply) by hostname without the port. The sample web serves every county on 127.0.0.1 on its own port, so all sites
would share one slot: one delay and one concurrency limit for the whole crawl, not per site as our harvester has it.
So every request gets `meta["download_slot"] = host:port`: the spider sets it when it makes a request (the slot-aware
scheduler queue reads it before download), and the `SlotPerNetloc` downloader middleware sets it on the rest, i.e. the
robots.txt requests RobotsTxtMiddleware makes itself. RobotsTxtMiddleware keys its parsers by netloc, so robots.txt is
fetched once per host:port. The middleware also counts every response the downloader returns (robots.txt, retries and
redirect hops included). Scrapy's allowed_domains ignores entries with a port, so scope is checked here against each
site's allowed_hosts (host:port), as our harvester does.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from gongkai.harvesters.adapters import adapter_for
from gongkai.harvesters.adapters.base import Request
from gongkai.harvesters.encoding import decode_html
from gongkai.schemas.registry import Site, load_registry
from scrapy.crawler import CrawlerProcess

STARTED = time.perf_counter()
STATS: dict[str, dict] = {}   # site_id → {"requests", "first", "last"} (seconds since the crawl started)
HOSTS: dict[str, str] = {}    # host:port → site_id


class SlotPerNetloc:
    """Downloader middleware: one download slot per host:port; counts every response per site."""

    def process_request(self, request, spider):
        request.meta.setdefault("download_slot", urlsplit(request.url).netloc)  # robots.txt requests come without

    def process_response(self, request, response, spider):
        site_id = HOSTS.get(urlsplit(response.url).netloc, "?")
        at = round(time.perf_counter() - STARTED, 3)
        s = STATS.setdefault(site_id, {"requests": 0, "first": at, "last": at})
        s["requests"], s["last"] = s["requests"] + 1, at
        return response


class CountySpider(scrapy.Spider):
    name = "gongkai-bench"

    def __init__(self, sites: list[Site], **kwargs) -> None:
        super().__init__(**kwargs)
        self.sites = {s.site_id: s for s in sites}
        self.pages_seen: set[tuple[str, str, str]] = set()  # (site_id, column path, body digest)

    async def start(self):
        for site in self.sites.values():
            for url in site.entry_urls:
                for request in self.follow(site.site_id, Request(url), self.parse_entry):
                    yield request  # no `yield from` in an async generator

    def follow(self, site_id: str, req: Request, callback, **kwargs):
        """Our Request as a Scrapy one (none when out of scope, as our PoliteClient.check_scope refuses it)."""
        if urlsplit(req.url).netloc not in self.sites[site_id].allowed_hosts:
            return
        kwargs["site_id"] = site_id
        meta = {"download_slot": urlsplit(req.url).netloc}  # set now: the scheduler queues by slot too
        if req.form is not None:
            yield scrapy.FormRequest(req.url, callback, method=req.method, formdata=req.form, meta=meta, cb_kwargs=kwargs)
        else:
            yield scrapy.Request(req.url, callback, method=req.method, meta=meta, cb_kwargs=kwargs)

    @staticmethod
    def text(response) -> str:
        return decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))[0]

    def adapter(self, site_id: str):
        return adapter_for(self.sites[site_id].adapter)

    def parse_entry(self, response, site_id: str):
        for col in self.adapter(site_id).columns(response.url, self.text(response)):
            if col.url:
                yield from self.follow(site_id, Request(col.url), self.parse_list, column=col.path)

    def parse_list(self, response, site_id: str, column: str):
        key = (site_id, column, hashlib.sha256(response.body).hexdigest())
        if key in self.pages_seen:
            return  # the page repeats an earlier one of this column: a pager loop
        self.pages_seen.add(key)
        result = self.adapter(site_id).list_page(response.url, self.text(response))
        for item in result.items:
            yield from self.follow(site_id, Request(item.url), self.parse_document)
        for req in result.more:
            yield from self.follow(site_id, req, self.parse_list, column=column)

    def parse_document(self, response, site_id: str):
        for url, _name in self.adapter(site_id).document(response.url, self.text(response)).attachments:
            yield from self.follow(site_id, Request(url), self.parse_attachment)

    def parse_attachment(self, response, site_id: str):
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("registry")
    ap.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one host:port")
    ap.add_argument("--concurrency", type=int, default=1, help="requests in flight to one host:port")
    ap.add_argument("--out", default="scrapy_result.json")
    args = ap.parse_args()
    sites = [s for s in load_registry(args.registry) if s.active]
    for s in sites:
        HOSTS.update({h: s.site_id for h in s.allowed_hosts})
    process = CrawlerProcess(settings={
        "ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": args.delay, "RANDOMIZE_DOWNLOAD_DELAY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency, "CONCURRENT_REQUESTS": 16 * max(1, len(sites)),
        "AUTOTHROTTLE_ENABLED": False, "RETRY_ENABLED": True, "RETRY_TIMES": 2,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504], "COOKIES_ENABLED": False, "LOG_LEVEL": "WARNING",
        "USER_AGENT": "GongkaiBenchScrapy/0.1", "DOWNLOAD_TIMEOUT": 20, "DOWNLOAD_MAXSIZE": 20 * 1024 * 1024,
        "TELNETCONSOLE_ENABLED": False, "DOWNLOADER_MIDDLEWARES": {SlotPerNetloc: 950},
        # the default queue is not slot-aware: one site's backlog can fill CONCURRENT_REQUESTS and starve the rest
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    })
    global STARTED
    STARTED = time.perf_counter()
    process.crawl(CountySpider, sites=sites)
    process.start()
    seconds = round(time.perf_counter() - STARTED, 3)
    total = sum(s["requests"] for s in STATS.values())
    result = {"scrapy_version": scrapy.__version__, "seconds": seconds, "requests": total,
              "per_site": {sid: STATS[sid] for sid in sorted(STATS)}}
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"scrapy {scrapy.__version__}: {len(sites)} sites, {total} requests in {seconds:.2f} s "
          f"(delay {args.delay}, concurrency {args.concurrency}) → {args.out}")
    if not total:
        sys.exit("scrapy_crawl: no responses at all; see the errors above (e.g. a Twisted release Scrapy cannot import)")


if __name__ == "__main__":
    main()
