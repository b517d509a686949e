"""Which CMS family a page comes from (识别建站系统), from the marks each family leaves (shared/domain/site-patterns.md).

Used by `gongkai inspect` and by the harvest when the registry names no adapter: the entry page is fetched, the
family with the most weight of marks (at least 2) is used, and a page no family claims goes to the generic adapter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# (pattern, what it means, weight): a mark only that family's pages carry weighs 2; a common one weighs 1.
SIGNS: dict[str, list[tuple[str, str, int]]] = {
    "trs": [(r"createPageHTML\(\s*\w+\s*,", "createPageHTML pager", 2), (r"TRS_Editor", "TRS_Editor body", 2),
            (r"/t\d{8}_\d+\.s?html?", "tYYYYMMDD_id.html article links", 2), (r"var\s+countPage\s*=", "countPage variable", 2),
            (r"\.trsapi\b", "trsapi list", 2), (r"listModel\s*\(|/fjdzapp/", "TRS platform search list", 2),
            (r'class="index_box"', "index_box metadata", 1),
            (r'href="(?![^"]*/col/col\d)[^"]*/[a-z0-9_]+/index\.s?html?"', "static <column>/index.html links", 1)],
    # /col/col<id>/ paths alone do not make a page Hanweb: 开普云 (Ucap) platforms that took over Hanweb sites keep them
    "hanweb": [(r"<datastore>", "<datastore> list", 2), (r"dataproxy\.jsp", "dataproxy.jsp pager", 2),
               (r"/module/jslib/|/module/web/jpage/", "/module/jslib scripts", 2), (r"hanweb|jcms_files", "hanweb files", 2),
               (r"ZJEG_RSS", "ZJEG_RSS body markers", 2), (r"/col/col\d+/", "/col/col<id>/ columns", 1),
               (r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", "art_ links", 2)],
    "ucap": [(r"(?i)<ucap(title|content)>", "<ucaptitle>/<ucapcontent> tags", 2), (r"UCAP-CONTENT", "UCAP-CONTENT body", 2),
             (r"cmspro_", "cmspro_ scripts", 2), (r"/doc/ucap/", "/doc/ucap/ files", 2),
             (r"""createPageHTML\(\s*['"]page_div""", "createPageHTML('page_div' pager", 2),
             (r"xxgk\.shtml\?code=", "xxgk.shtml?code= lists", 2), (r"/[0-9a-f]{32}\.shtml", "32-hex .shtml articles", 2)],
    "gkmlpt": [(r"/gkmlpt/", "/gkmlpt/ paths", 2), (r"window\._CONFIG", "window._CONFIG", 1)],
    "epoint": [(r"iList\.jsp", "iList.jsp lists", 2), (r'class="[^"]*\bewb-', "ewb- CSS classes", 2)],
}
THRESHOLD = 2


@dataclass
class Detection:
    adapter: str | None
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)


def detect(html: str) -> Detection:
    """The family whose marks weigh most (at least THRESHOLD); None when none does (the generic adapter's case)."""
    found = {family: [(why, w) for pattern, why, w in signs if re.search(pattern, html)] for family, signs in SIGNS.items()}
    scores = {family: sum(w for _, w in marks) for family, marks in found.items()}
    best = max(scores, key=lambda f: scores[f])
    if scores[best] < THRESHOLD:
        weak = [why for marks in found.values() for why, _ in marks]
        return Detection(None, [f"no family's marks weigh {THRESHOLD} or more" + (f" (weak: {', '.join(weak)})" if weak else "")],
                         scores)
    return Detection(best, [why for why, _ in found[best]], scores)
