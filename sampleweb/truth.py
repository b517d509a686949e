"""The sample web's registry and machine-readable ground truth (every document and every planted defect)."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from gongkai.sampleweb.families import ADAPTER_OF
from gongkai.sampleweb.server import SampleWeb
from gongkai.schemas.registry import Politeness, Site, dump_registry

PROVINCE = "示范省（虚构）"


def web_path(path: str) -> str:
    """A path as a URL carries it (RFC 3986): a Chinese file name percent-encoded as UTF-8."""
    return quote(path, safe="/?=&:%")


def registry_sites(web: SampleWeb) -> list[Site]:
    sites = []
    for s in web.sites:
        netloc = s.base_url.removeprefix("http://")
        entry = getattr(s.renderer, "registry_entry", s.entry)  # aspx: the portal's home page, not the platform
        sites.append(Site(
            site_id=s.county.site_id, name=s.county.name, level="county", province=PROVINCE,
            entry_urls=[s.base_url + entry], adapter=ADAPTER_OF[s.county.family], allowed_hosts=[netloc],
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
        hidden = getattr(s.renderer, "hidden_fields", lambda d: ())
        for d in c.all_docs():
            row = {
                "site_id": c.site_id, "url": s.base_url + d.path, "column_path": d.column.name_path,
                "title": d.title, "index_no": d.index_no, "publisher": d.publisher, "doc_no": d.doc_no,
                "written_date": d.written.isoformat(), "published_date": d.published.isoformat(),
                "validity": d.validity, "kind": d.kind,
                "attachments": [s.base_url + web_path(a.path) for a in d.attachments if not a.external],
                "external_attachments": [a.path for a in d.attachments if a.external],  # other hosts: never fetched
                "related_urls": [s.base_url + r.path for r in d.related],
            }
            docs.append(row | dict.fromkeys(hidden(d)))  # what this family's page does not show is None
        for f in c.defects:
            row = {"site_id": c.site_id, **{k: v for k, v in f.items() if k not in ("doc", "interpretation", "attachment")}}
            if "attachment" in f:
                row["attachment_url"] = s.base_url + web_path(f["attachment"].path)
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
