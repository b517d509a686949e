"""HTML fragments shared by the three family renderers: the <head> meta tags real government sites carry."""
from __future__ import annotations

from html import escape

from gongkai.sampleweb.model import County, Doc


def head(county: County, title: str, column: str = "", doc: Doc | None = None, pubdate: str | None = None) -> str:
    """`pubdate` overrides PubDate (or adds it alone, without a doc): on some sites it is the page's regeneration time."""
    charset = "gbk" if county.encoding == "gbk" else "utf-8"
    metas = [("SiteName", county.name), ("SiteDomain", f"www.{county.slug}.gov.cn"),
             ("SiteIDCode", f"{county.site_id[:6]}0001"), ("ColumnName", column)]
    if doc:
        metas += [("ArticleTitle", doc.title), ("PubDate", pubdate or f"{doc.published:%Y-%m-%d} 09:30"),
                  ("ContentSource", doc.publisher)]
    elif pubdate:
        metas.append(("PubDate", pubdate))
    tags = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in metas)
    return f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}">{tags}<title>{escape(title)}</title></head>'


def body_paragraphs(doc: Doc) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in doc.body.split("\n"))


def related_links(doc: Doc, href) -> str:
    links = "".join(f'<li><a href="{href(r)}">{escape(r.title)}</a></li>' for r in doc.related)
    label = "相关文件" if doc.kind == "interpretation" else "政策解读"
    return f'<div class="related-docs"><h4>{label}</h4><ul>{links}</ul></div>' if links else ""


def attachment_links(doc: Doc) -> str:
    links = "".join(f'<a href="{a.path}">{escape(a.name)}.{a.ext}</a><br>' for a in doc.attachments)
    return f'<div class="attachments">附件：{links}</div>' if links else ""


def attachment_bytes(doc_serial: int, size: int, ext: str) -> bytes:
    magic = {"pdf": b"%PDF-1.4\n", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04"}.get(ext, b"")
    filler = (f"gongkai sample attachment {doc_serial}\n".encode()) * (size // 30 + 1)
    return (magic + filler)[:size]


def nav_tree(columns, href, cls: str = "xxgk-nav") -> str:
    """The disclosure column tree as nested lists; containers are labels, leaves are links."""
    def items(cols):
        out = []
        for c in cols:
            label = (f'<a href="{href(c)}">{escape(c.name)}</a>' if not c.children
                     else f'<span class="lm">{escape(c.name)}</span>')
            sub = f"<ul>{items(c.children)}</ul>" if c.children else ""
            out.append(f"<li>{label}{sub}</li>")
        return "".join(out)
    return f'<div class="{cls}"><ul>{items(columns)}</ul></div>'


# The portal chrome every real county page carries around its content: a top bar, the site's main navigation with
# drop-down menus, a search box, and a footer with 相关链接, the 网站标识码, ICP and 公安 filing numbers and the
# 政府网站找错 badge. It makes the sample pages about as large as real ones (the re-parse benchmark needs that) and
# gives a generic extractor the boilerplate it has to look past.
PORTAL_MENUS = [
    ("走进{short}", "zjxx", ["{short}概况", "历史沿革", "行政区划", "自然资源", "人口民族", "旅游风光"]),
    ("新闻中心", "xwzx", ["{short}要闻", "部门动态", "乡镇动态", "图片新闻", "视频新闻", "媒体聚焦"]),
    ("政务服务", "zwfw", ["个人办事", "法人办事", "便民服务", "办件查询", "好差评", "证照服务"]),
    ("互动交流", "hdjl", ["县长信箱", "在线访谈", "征集调查", "咨询投诉", "常见问题", "留言选登"]),
    ("专题专栏", "ztzl", ["优化营商环境", "乡村振兴", "安全生产", "生态环境保护", "疫情防控", "法治政府建设"]),
]
NEIGHBOURS = ["国务院", "省人民政府", "市人民政府", "县发展和改革局", "县教育局", "县公安局", "县民政局", "县司法局",
              "县财政局", "县人力资源和社会保障局", "县自然资源局", "县生态环境局", "县住房和城乡建设局", "县交通运输局",
              "县水利局", "县农业农村局", "县商务局", "县文化和旅游局", "县卫生健康委员会", "县应急管理局",
              "县审计局", "县市场监督管理局", "县统计局", "县医疗保障局", "县林业局", "县城市管理综合执法局"]
STATS_SCRIPT = ("var _hmt = _hmt || [];(function(){var hm = document.createElement('script');hm.src = "
                "'/js/stat.js?v=' + Math.random();var s = document.getElementsByTagName('script')[0];"
                "s.parentNode.insertBefore(hm, s);})();function setFontSize(n){var box = document.getElementById("
                "'content-box');if(box){box.style.fontSize = n + 'px';}}function printPage(){window.print();}"
                "function closeWindow(){if(confirm('确定关闭本页吗？')){window.close();}}")


def portal_chrome(county: County) -> tuple[str, str]:
    """(top, bottom) of the portal chrome for one county, deterministic."""
    s = county.short
    menus = "".join(
        f'<li class="nav-item"><a href="/{slug}/index.html" target="_blank">{escape(name.format(short=s))}</a>'
        f'<div class="sub-menu"><dl>' + "".join(
            f'<dd><a href="/{slug}/{k}/index.html" title="{escape(item.format(short=s))}">{escape(item.format(short=s))}</a></dd>'
            for k, item in enumerate(items)) + "</dl></div></li>"
        for name, slug, items in PORTAL_MENUS)
    top = (f'<div class="top-bar"><div class="w1200"><span class="welcome">欢迎访问{escape(county.name)}门户网站</span>'
           f'<a href="javascript:void(0)" onclick="setFontSize(16)">大</a><a href="javascript:void(0)" '
           f'onclick="setFontSize(14)">中</a><a href="/wza/index.html">无障碍浏览</a><a href="/m/index.html">手机版</a>'
           f'</div></div><div class="header"><div class="w1200"><a class="logo" href="/"><img src="/images/logo.png" '
           f'alt="{escape(county.name)}"></a><form class="search" action="/search/index.html" method="get">'
           f'<input type="text" name="searchword" placeholder="请输入关键字"><button type="submit">搜索</button></form>'
           f'</div></div><div class="main-nav"><ul class="nav-list"><li class="nav-item"><a href="/">首页</a></li>'
           f'<li class="nav-item"><a href="/zwgk/index.html">政务公开</a></li>{menus}</ul></div>')
    options = "".join(f'<option value="http://www.{k}.example.gov.cn/">{escape(n if n[0] != "县" else s + n)}</option>'
                      for k, n in enumerate(NEIGHBOURS))
    bottom = (f'<div class="share-bar"><a href="javascript:printPage()">打印本页</a><a href="javascript:closeWindow()">'
              f'关闭窗口</a></div><div class="footer"><div class="links"><select onchange="window.open(this.value)">'
              f'<option>相关链接</option>{options}</select></div><div class="copyright"><p>主办：{escape(county.name)}办公室'
              f'　承办：{escape(s)}县融媒体中心</p><p>网站标识码：{county.site_id[:6]}0001　'
              f'<a href="https://beian.miit.gov.cn/" target="_blank">示ICP备{county.index + 10000000}号</a>　'
              f'<a href="http://www.beian.gov.cn/" target="_blank">示公网安备 {county.site_id[:6]}02000{county.index}号</a></p>'
              f'<p>地址：{escape(s)}县人民路1号　邮编：999{county.index:03d}　联系电话：0999-{8000000 + county.index}</p>'
              f'<a class="jiucuo" href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode='
              f'{county.site_id[:6]}0001"><img src="/images/jiucuo.png" alt="政府网站找错"></a>'
              f'<a class="dzjg" href="http://bszs.conac.cn/sitename?method=show&amp;id={county.index}">'
              f'<img src="/images/red.png" alt="党政机关"></a></div></div><script>{STATS_SCRIPT}</script>')
    return top, bottom
