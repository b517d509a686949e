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
    soft_page       {"page": "login", "path_contains": "/t20"}   HTTP 200 with a page that is not the one asked for:
                    login (统一身份认证 wall), captcha, not_found (页面不存在 in the site's frame), chrome (the site's
                    frame with no text, one page for every URL)
"""
from __future__ import annotations

import threading

WAF_PAGE = ("<html><head><script>var _0x2f=['cookie','__jsl_clearance'];document.cookie='__jsl_clearance=1';"
            "location.reload();</script></head><body>请开启JavaScript并刷新该页 (安全验证)</body></html>")


_FRAME = ("<div class='top'>无障碍 | 长者模式 | <a href='/'>首页</a></div><div class='nav'>"
          + "".join(f"<a href='/col{i}/'>栏目{i}</a>" for i in range(40))
          + "</div><div class='footer'>主办单位：某县人民政府办公室 地址：某县人民路1号 邮编：000000 网站标识码：0000000000 "
            "技术支持：某网络公司 建议使用1920×1080分辨率浏览</div>")
SOFT_PAGES = {
    "login": ("<html><head><title>统一身份认证平台</title></head><body><form action='/sso/login' method='post'>"
              "<input name='username'><input type='password' name='password'><button>登录</button>"
              "<a href='/sso/register'>注册</a> <a href='/sso/forget'>忘记密码</a></form></body></html>"),
    "captcha": ("<html><head><title>访问验证</title></head><body><p>请输入验证码后继续访问</p><img src='/captcha.jpg'>"
                "<input name='code'></body></html>"),
    "not_found": f"<html><head><title>某县人民政府</title></head><body>{_FRAME}<p>抱歉，您访问的页面不存在</p></body></html>",
    "chrome": f"<html><head><title>某县人民政府门户网站</title></head><body>{_FRAME}{_FRAME}</body></html>",
}


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
