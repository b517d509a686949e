"""The sample web's registry and machine-readable ground truth (every document and every planted defect)."""
from __future__ import annotations

import json
from pathlib import Path

from sampleweb.families import ADAPTER_OF
from sampleweb.server import SampleWeb
from schemas.registry import Politeness, Site, dump_registry

PROVINCE = "示范省（虚构）"


def registry_sites(web: SampleWeb) -> list[Site]:
    sites = []
    for s in web.sites:
        netloc = s.base_url.removeprefix("http://")
        sites.append(Site(
            site_id=s.county.site_id, name=s.county.name, level="county", province=PROVINCE,
            entry_urls=[s.base_url + s.entry], adapter=ADAPTER_OF[s.county.family], allowed_hosts=[netloc],
            allow_private_addresses=True, politeness=Politeness(delay_seconds=0.0, max_concurrency=2, retries=2),
            notes=f"fictional sample county ({s.county.encoding})",
        ))
    return sites


def write_registry(web: SampleWeb, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dump_registry(registry_sites(web), path,
                  header="# Registry of the generated sample county web (fictional counties on loopback).\n"
                         "# Written by `gongkai sample`; regenerate rather than edit.\n")
    return path


def ground_truth(web: SampleWeb) -> dict:
    docs, defects = [], []
    for s in web.sites:
        c = s.county
        for d in c.all_docs():
            docs.append({
                "site_id": c.site_id, "url": s.base_url + d.path, "column_path": d.column.name_path,
                "title": d.title, "index_no": d.index_no, "publisher": d.publisher, "doc_no": d.doc_no,
                "written_date": d.written.isoformat(), "published_date": d.published.isoformat(),
                "validity": d.validity, "kind": d.kind, "attachments": [s.base_url + a.path for a in d.attachments],
                "related_urls": [s.base_url + r.path for r in d.related],
            })
        for f in c.defects:
            row = {"site_id": c.site_id, **{k: v for k, v in f.items() if k not in ("doc", "interpretation", "attachment")}}
            if "attachment" in f:
                row["attachment_url"] = s.base_url + f["attachment"].path
            if "doc" in f:
                row["url"] = s.base_url + f["doc"].path
            if "interpretation" in f:
                row["interpretation_url"] = s.base_url + f["interpretation"].path
            defects.append(row)
    return {"as_of": web.as_of.isoformat(), "sites": [s.county.site_id for s in web.sites],
            "documents": docs, "defects": defects}


def write_ground_truth(web: SampleWeb, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ground_truth(web), ensure_ascii=False, indent=1), encoding="utf-8")
    return path
