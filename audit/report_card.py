"""A county's report card (审计报告卡): score and its breakdown, coverage gaps and every finding with evidence,
printed for a terminal and written as Markdown and CSV for auditors (`gongkai audit`)."""
from __future__ import annotations

import csv
from pathlib import Path

from gongkai.audit.results import query
from gongkai.schemas.vocabulary import SEVERITY_ORDER, SEVERITY_ZH


def report_card(catalogue: Path, site_id: str) -> dict:
    site = query(catalogue, "SELECT s.*, a.as_of, a.report_year_due FROM sites s LEFT JOIN audit_dates a USING (site_id) "
                            "WHERE site_id = ?", [site_id])
    if not site:
        known = [r["site_id"] for r in query(catalogue, "SELECT site_id FROM sites ORDER BY 1")]
        raise KeyError(f"{site_id}: no such site in {catalogue} (sites: {', '.join(known)})")
    score = query(catalogue, "SELECT * FROM county_scores WHERE site_id = ?", [site_id])
    findings = query(catalogue, "SELECT finding_id, rule, severity, dimension, requirement_key, subject, measured, threshold, "
                                "unit, detail, array_to_string(evidence_urls, ' ') AS evidence_urls FROM findings "
                                "WHERE site_id = ? ORDER BY rule, subject", [site_id])
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["rule"], f["subject"] or ""))
    return {
        "site": site[0],
        "score": score[0] if score else None,
        "total_sites": query(catalogue, "SELECT count(*) AS n FROM county_scores")[0]["n"],
        "breakdown": query(catalogue, "SELECT dimension, points, findings, points_lost, score FROM county_score_breakdown "
                                      "WHERE site_id = ? ORDER BY dimension", [site_id]),
        "coverage": query(catalogue, "SELECT requirement_key, requirement_name, kind, verdict, rule, items, newest_item_date, "
                                     "threshold_days, array_to_string(evidence_urls, ' ') AS evidence_urls FROM coverage "
                                     "WHERE site_id = ? ORDER BY requirement_key", [site_id]),
        "findings": findings,
        "unevaluated": query(catalogue, "SELECT rule, url, reason FROM audit_unevaluated WHERE site_id = ?", [site_id]),
    }


def _verdicts(card: dict) -> str:
    counts: dict[str, int] = {}
    for c in card["coverage"]:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    return ", ".join(f"{v} {n}" for v, n in sorted(counts.items()))


def to_markdown(card: dict) -> str:
    s, score = card["site"], card["score"]
    lines = [f"# {s['name']}（{s['site_id']}）政府信息公开审计 Report card", "",
             f"审计日 Audited as of {s['as_of']}，对照 schemas/taxonomy.yaml 的要求，阈值见 schemas/audit.yaml "
             "(against the requirements in schemas/taxonomy.yaml; thresholds in schemas/audit.yaml). 评分方法 How "
             "scores work: docs/audit.md.", ""]
    if score:
        veto = " **单项否决 fails the State Council inspection.**" if score.get("inspection_failed") else ""
        lines += [f"**得分 Score {score['score']} / {score['out_of']}**（名次 rank {score['rank']} / {card['total_sites']}）；"
                  f"{score['findings']} 个问题 findings.{veto}", "",
                  "| dimension | points | findings | lost | score |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {b['dimension']} | {b['points']} | {b['findings']} | {b['points_lost']} | {b['score']} |"
                  for b in card["breakdown"]]
    else:
        lines += ["**未评分 Not scored**: no harvest of this site has been parsed."]
    lines += ["", f"{len(card['coverage'])} 项要求 requirements: {_verdicts(card)}.", "", "## 问题 Findings", "",
              "每个问题的依据网页及其存档 The pages each finding rests on, archived: `gongkai evidence <finding_id>`.", ""]
    if not card["findings"]:
        lines.append("无 None.")
    for f in card["findings"]:
        urls = " ".join(f"<{u}>" for u in (f["evidence_urls"] or "").split())
        lines.append(f"- **{SEVERITY_ZH.get(f['severity'], '')} {f['severity']}** `{f['rule']}` {_md(f['subject'])}："
                     f"{_md(f['detail'])}（finding_id `{f['finding_id']}`）。依据 Evidence: {urls}")
    gaps = [c for c in card["coverage"] if c["verdict"] not in ("present", "blank_with_note")]
    if gaps:
        lines += ["", "## 覆盖缺口 Coverage gaps", "", "| requirement | verdict | rule | evidence |", "|---|---|---|---|"]
        lines += [f"| {c['requirement_key']} {_md(c['requirement_name'])} | {c['verdict']} | {c['rule']} | "
                  f"{(c['evidence_urls'] or '').split(' ')[0]} |" for c in gaps]
    if card["unevaluated"]:
        lines += ["", "## 未能判断 Not evaluated", ""] + [f"- `{u['rule']}` {u['url']}: {_md(u['reason'])}" for u in card["unevaluated"]]
    return "\n".join(lines) + "\n"


def _md(text) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def to_text(card: dict) -> str:
    s, score = card["site"], card["score"]
    out = [f"{s['name']}  {s['site_id']}  as of {s['as_of']}"]
    if score:
        parts = "  ".join(f"{b['dimension']} {b['score']}/{b['points']}" for b in card["breakdown"])
        out.append(f"score {score['score']}/{score['out_of']} (rank {score['rank']} of {card['total_sites']}): {parts}")
    else:
        out.append("not scored: no parsed harvest")
    out.append(f"coverage: {_verdicts(card)}")
    out.append(f"findings: {len(card['findings'])}")
    for f in card["findings"]:
        first = (f["evidence_urls"] or "").split(" ")[0]
        out.append(f"  {f['severity']:<6} {f['rule']:<22} {f['subject'] or ''}: {f['detail']}  {first}")
    for u in card["unevaluated"]:
        out.append(f"  not evaluated: {u['rule']} {u['url']}: {u['reason']}")
    return "\n".join(out)


def write_card(card: dict, out_dir: Path) -> list[Path]:
    """<site_id>.md, <site_id>-findings.csv and <site_id>-coverage.csv (UTF-8 with BOM, for Excel)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sid = card["site"]["site_id"]
    md = out_dir / f"{sid}.md"
    md.write_text(to_markdown(card), encoding="utf-8")
    paths = [md]
    for name in ("findings", "coverage"):
        path = out_dir / f"{sid}-{name}.csv"
        rows = card[name]
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            columns = list(rows[0]) if rows else ["site_id"]
            writer.writerow(columns)
            writer.writerows([["" if r[c] is None else r[c] for c in columns] for r in rows])
        paths.append(path)
    return paths
