"""The pages of the release site: what each one shows, gathered from the release here and written out by its
Jinja2 template (``templates/``, on ``base.html``) with autoescaping on, so every harvested value (titles, names,
subjects, details, URLs) reaches the HTML escaped; only http(s) URLs become links (``macros.html``). The CSS and the
search script are files of ``static/``, copied into the site."""
from __future__ import annotations

from importlib.resources import files

from gongkai.release.site.data import Release, dimension_points
from gongkai.release.site.values import http_url, human_size, page_name, share, text, url_path
from gongkai.schemas.vocabulary import FAILING, GAP_FREE, SEVERITY_ORDER, SEVERITY_ZH, VERDICTS
from jinja2 import Environment, PackageLoader, select_autoescape

# verdict → (letter in the cell, Chinese label, English label)
DIMENSIONS = {"completeness": "完整性", "timeliness": "及时性", "interpretation": "解读", "accuracy": "准确性"}
LICENSES = {"CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.zh-hans")}
SIDE_FILES = ("SHA256SUMS", "datapackage.json", "README.md", "changes.json")  # written beside the Parquet files, not in the manifest
RESULT_LIMIT = 200  # search results rendered at once; the hit count is always the full count


def _shown(value):
    """How a template prints a value: markup (a macro's output) as it is, anything else as text() gives it."""
    if type(value) is str:  # most values are: spare the heatmap's hundred thousand cells the checks below
        return value
    return value if hasattr(value, "__html__") else text(value)


ENV = Environment(loader=PackageLoader("gongkai.release.site", "templates"), autoescape=select_autoescape(["html"]),
                  finalize=_shown, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                  auto_reload=False)  # the templates are files of the package: read once
ENV.filters.update(text=text, http_url=http_url, page_name=page_name, url_path=url_path, human_size=human_size)
ENV.globals.update(verdicts=VERDICTS, failing=FAILING, gap_free=GAP_FREE, dimensions=DIMENSIONS, licenses=LICENSES,
                   severity_zh=SEVERITY_ZH, share=share, scripts=(), up="")


def render(template: str, rel: Release, **context) -> str:
    return ENV.get_template(template).render(rel=rel, **context)


def static_files():
    """(name, content) of the files copied as they are: the stylesheet and the search script."""
    folder = files("gongkai.release.site") / "static"
    yield "style.css", (folder / "style.css").read_text(encoding="utf-8")
    # the one value search.js takes from here: how many results it renders at once
    yield "search.js", (folder / "search.js").read_text(encoding="utf-8").replace("__LIMIT__", str(RESULT_LIMIT))


def _sort_number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def index_page(rel: Release) -> str:
    """What the law requires and what we checked, the ranking with a chart, the requirements most often missed."""
    sites, reqs = rel.counties, rel.requirements_by_key
    scores = {text(s["site_id"]): s for s in rel.scores}
    ranked = sorted(sites, key=lambda sid: (sid not in scores, _sort_number(scores.get(sid, {}).get("rank")), sid))
    counties = [(sid, sites[sid], scores.get(sid), sid in scores and str(scores[sid].get("inspection_failed")).lower() == "true")
                for sid in ranked]
    missed: dict[str, int] = {}
    for c in rel.coverage:
        if text(c.get("verdict")) in FAILING:
            missed[text(c.get("requirement_key"))] = missed.get(text(c.get("requirement_key")), 0) + 1
    top = sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return render("index.html", rel, counties=counties, n_sites=len(sites),
                  missed=[(k, reqs.get(k, {}).get("name") or k, n) for k, n in top])


def heatmap_page(rel: Release) -> str:
    reqs = rel.requirements_by_key
    rows = sorted(rel.coverage, key=lambda c: (text(c.get("site_id")), text(c.get("requirement_key")), text(c.get("verdict"))))
    shown = dict.fromkeys(("verdict", "rule", "items", "newest_item_date"))  # the tooltip's: None when a column is absent
    cells = {(text(c.get("site_id")), text(c.get("requirement_key"))): shown | c for c in rows}
    per_req = dict.fromkeys(reqs, 0)
    lines = []
    for sid, site in rel.counties.items():
        row = [(key, cells.get((sid, key))) for key in reqs]
        row = [(key, c, "" if c is None else text(c["verdict"])) for key, c in row]
        failing = [key for key, _, verdict in row if verdict in FAILING]
        for key in failing:
            per_req[key] += 1
        lines.append((sid, site, row, len(failing)))
    return render("heatmap.html", rel, reqs=reqs, rows=lines, per_req=per_req, total=sum(per_req.values()))


def county_page(rel: Release, sid: str, site: dict) -> str:
    score = rel.scores_by_site.get(sid)
    findings = sorted(rel.findings_of(sid),
                      key=lambda f: (SEVERITY_ORDER.get(text(f.get("severity")), 9), text(f.get("rule")),
                                     text(f.get("subject")), text(f.get("finding_id"))))
    coverage = sorted(rel.coverage_by_site.get(sid, []), key=lambda c: text(c.get("requirement_key")))
    rules = {text(r.get("rule")): r for r in rel.rules}
    counts: dict[str, int] = {}
    for c in coverage:
        counts[text(c.get("verdict"))] = counts.get(text(c.get("verdict")), 0) + 1
    gaps = [(text(c.get("requirement_key")), text(c.get("verdict")),
             c.get("requirement_name") or rel.requirements_by_key.get(text(c.get("requirement_key")), {}).get("name"), c)
            for c in coverage if text(c.get("verdict")) not in GAP_FREE]
    return render(
        "county.html", rel, up="../", sid=sid, site=site, score=score, points=dimension_points() if score else {},
        n_scored=len(rel.scores), findings=findings,
        rules=[(r, rules.get(r)) for r in sorted({text(f.get("rule")) for f in findings})],
        verdict_counts=sorted(counts.items()), coverage_count=len(coverage), gaps=gaps, snapshots=rel.snapshots_of(sid),
        as_of=max((text(c.get("as_of"))[:10] for c in coverage if c.get("as_of")), default=""))


def downloads_page(rel: Release) -> str:
    return render("downloads.html", rel, files=sorted(rel.manifest.get("files", []), key=lambda f: text(f.get("path"))),
                  side_files=SIDE_FILES, names={text(s.get("site_id")): text(s.get("name")) for s in rel.sites})


def dictionary_page(rel: Release) -> str:
    """Every table of the release with its fields, as datapackage.json gives them (a table's CSV copy once)."""
    tables, seen = [], set()
    for res in rel.package.get("resources", []):
        if res.get("type") != "table" or (name := text(res.get("name")).removesuffix("-csv").split("-csv-")[0]) in seen:
            continue
        seen.add(name)
        tables.append((name, res, res.get("schema", {}).get("fields", [])))
    return render("dictionary.html", rel, tables=tables)


def search_page(rel: Release, provinces: list[list], preload: bool) -> str:
    # small releases load every province with the page; large ones one province at a time, when it is chosen
    scripts = ("search-index.js", "search.js", *([path for _, path, _ in provinces] if preload else []))
    return render("search.html", rel, provinces=provinces, preload=preload, scripts=scripts, result_limit=RESULT_LIMIT)
