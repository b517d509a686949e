"""Fault injection for the sample web, switchable per site: the ways real county servers fail.

A site's `faults` maps a fault name to its settings; every fault applies to pages only (never robots.txt unless
named), for the first `count` matching requests unless `count` is None (always).

    error_burst     {"status": 503, "count": 3}             5xx answers
    retry_after     {"seconds": 1, "count": 2}               429 with Retry-After
    slow            {"seconds": 0.2}                         every response delayed
    timeout         {"seconds": 5, "count": 1}               no answer until the client gives up
    reset           {"count": 2}                             connection closed without an answer
    truncate        {"count": 2}                             Content-Length promises more than is sent
    redirect_loop   {"path_contains": "/zcwj/"}              matching pages redirect to themselves
    waf             {"status": 412}                          a JavaScript challenge page (412, 202 or 200)
    wrong_charset   {"declared": "UTF-8"}                    header names a charset the body is not in
    robots_error    {"status": 503}                          robots.txt itself fails
"""
from __future__ import annotations

import threading

WAF_PAGE = ("<html><head><script>var _0x2f=['cookie','__jsl_clearance'];document.cookie='__jsl_clearance=1';"
            "location.reload();</script></head><body>请开启JavaScript并刷新该页 (安全验证)</body></html>")


class FaultPlan:
    """Counts matching requests per fault and says which fault, if any, the next request gets."""

    def __init__(self, faults: dict[str, dict] | None = None) -> None:
        self.faults = dict(faults or {})
        self._used: dict[str, int] = {}
        self._lock = threading.Lock()

    def set(self, faults: dict[str, dict] | None) -> None:
        with self._lock:
            self.faults, self._used = dict(faults or {}), {}

    def take(self, path: str) -> tuple[str, dict] | None:
        is_robots = path == "/robots.txt"
        with self._lock:
            for name, opts in self.faults.items():
                if (name == "robots_error") != is_robots:
                    continue
                if "path_contains" in opts and opts["path_contains"] not in path:
                    continue
                count = opts.get("count")
                used = self._used.get(name, 0)
                if count is not None and used >= count:
                    continue
                self._used[name] = used + 1
                return name, opts
        return None
