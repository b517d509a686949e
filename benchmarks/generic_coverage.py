"""How far the generic adapter gets on its own: every sample family harvested as if no adapter knew it.

    .venv/bin/python benchmarks/generic_coverage.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/generic_coverage.py --quick --json     # one county per family × 40 documents

A sample web (--counties × --docs; county i is on family i mod len(FAMILIES), see sampleweb.model) is served on
loopback and each county is harvested with the registry's adapter forced to `generic`, then parsed (harvesters.parse),
into a temporary data folder. The catalogue's documents are compared with the sample web's ground truth:

    documents found   share of the true documents of the county that are in its documents table
    fields exact      share of (document, field) pairs equal to the truth, over the documents found, for the fields
                      title, index_no, publisher, doc_no, written_date, published_date, validity
    column exact      share of documents found filed under the right column path (reported, not in the target)

Per family and over all families. The target (issue 4) is ≥ 95 % for both documents and fields. The script measures and
prints (or writes a section of docs/benchmarks.md); it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import doc_sections  # noqa: E402  (benchmarks/, the script's own folder)
from gongkai.harvesters.parse import parse_site  # noqa: E402
from gongkai.harvesters.runner import harvest_many  # noqa: E402
from gongkai.sampleweb.model import FAMILIES  # noqa: E402
from gongkai.sampleweb.server import SampleWeb  # noqa: E402
from gongkai.sampleweb.truth import ground_truth, registry_sites  # noqa: E402
from gongkai.schemas.datafolder import DataFolder  # noqa: E402

FIELDS = ("title", "index_no", "publisher", "doc_no", "written_date", "published_date", "validity")
TARGET = 0.95


def measure(counties: int, docs: int, seed: int = 7) -> dict:
    with tempfile.TemporaryDirectory(prefix="gongkai-generic-") as tmp, \
            SampleWeb(counties=counties, docs_per_county=docs, seed=seed) as web:
        sites = [s.model_copy(update={"adapter": "generic"}) for s in registry_sites(web)]
        lake = DataFolder(Path(tmp))
        reports = {r.site_id: r for r in harvest_many(sites, lake, workers=4)}
        truth = ground_truth(web)
        family = {s.county.site_id: s.county.family for s in web.sites}
        got: dict[str, dict] = {}
        for site in sites:
            if reports[site.site_id].status in ("failed", "blocked"):
                continue
            parse_site(site, lake)
            got.update({d["url"]: d for d in lake.read_site_table(site.site_id, "documents")})
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for want in truth["documents"]:
        t = tally[family[want["site_id"]]]
        t["documents"] += 1
        row = got.get(want["url"])
        if row is None:
            continue
        t["found"] += 1
        for f in FIELDS:
            value = row[f].isoformat() if f.endswith("_date") and row[f] else row[f]
            t["fields"] += 1
            t["fields_exact"] += value == want[f]
        t["column_exact"] += row["column_path"] == want["column_path"]
    failed = {family[sid]: f"{r.status}: {r.message.split(': ', 1)[-1]}"  # the message without the URL (its port varies)
              for sid, r in reports.items() if r.status in ("failed", "blocked")}
    return {"counties": counties, "docs_per_county": docs, "families": {k: dict(v) for k, v in sorted(tally.items())},
            "failed": failed}


def ratios(t: dict) -> tuple[float, float, float]:
    found = t.get("found", 0)
    return (found / t["documents"] if t["documents"] else 0.0, t.get("fields_exact", 0) / t["fields"] if t.get("fields") else 0.0,
            t.get("column_exact", 0) / found if found else 0.0)


def table(result: dict) -> str:
    rows = ["| Family | Documents | Found | Fields exact | Column exact |", "|---|---|---|---|---|"]
    total: dict[str, int] = defaultdict(int)
    served: dict[str, int] = defaultdict(int)  # the families whose harvest ran
    for fam, t in result["families"].items():
        d, f, c = ratios(t)
        for k, v in t.items():
            total[k] += v
            if fam not in result["failed"]:
                served[k] += v
        note = f" (harvest {result['failed'][fam]})" if fam in result["failed"] else ""
        rows.append(f"| {fam}{note} | {t['documents']} | {d:.1%} | {f:.1%} | {c:.1%} |")
    d, f, c = ratios(total)
    rows.append(f"| **all** | {total['documents']} | **{d:.1%}** | **{f:.1%}** | {c:.1%} |")
    if result["failed"]:
        d, f, c = ratios(served)
        rows.append(f"| all but {', '.join(sorted(result['failed']))} | {served['documents']} | {d:.1%} | {f:.1%} | {c:.1%} |")
    return "\n".join(rows)


def write_section(path: Path, result: dict, command: str) -> None:
    doc_sections.write_section(path, "generic", (
        f"## The generic adapter on every family (issue 4)\n\n`{command}` — {result['counties']} sample "
        f"counties × {result['docs_per_county']} documents, each harvested and parsed with the adapter forced to "
        f"`generic`, compared with the ground truth (fields: {', '.join(FIELDS)}). Target ≥ {TARGET:.0%} documents "
        f"and fields. gkmlpt pages build their catalogue in the browser: the generic adapter reads the tree from the page's "
        f"`window._CONFIG` and the list address from the platform's own script (`harvesters/adapters/scripted.py`), "
        f"as it would on any page built that way.\nMachine: {platform.machine()}, "
        f"Python {platform.python_version()}.\n\n{table(result)}"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counties", type=int, default=2 * len(FAMILIES))
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--quick", action="store_true", help="one county per family × 40 documents")
    ap.add_argument("--json", action="store_true", help="print the raw tallies as JSON")
    ap.add_argument("--write", type=Path, help="replace the generic section of this markdown file")
    args = ap.parse_args()
    if args.quick:
        args.counties, args.docs = len(FAMILIES), 40
    result = measure(args.counties, args.docs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(table(result))
    if args.write:
        write_section(args.write, result, "benchmarks/generic_coverage.py --write docs/benchmarks.md")


if __name__ == "__main__":
    main()
