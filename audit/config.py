"""Audit thresholds (schemas/audit.yaml) and their overrides per jurisdiction (省 / 市 / 县 code prefix, or a site)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

AUDIT_FILE = Path(__file__).parents[1] / "schemas" / "audit.yaml"


@dataclass(frozen=True)
class AuditConfig:
    settings: dict
    jurisdictions: dict
    path: str

    def for_site(self, site_id: str, province: str | None = None) -> dict:
        """The settings that hold for one site: defaults, then its province, then the longest code prefix, then the site."""
        merged = copy.deepcopy(self.settings)
        code = site_id.split("-", 1)[0]
        keys = [province] if province in self.jurisdictions else []
        keys += sorted((k for k in self.jurisdictions if k.isdigit() and code.startswith(k)), key=len)
        keys += [site_id] if site_id in self.jurisdictions else []
        for key in keys:
            _merge(merged, self.jurisdictions[key], f"{self.path}: jurisdictions.{key}")
        return merged


def _merge(base: dict, override: dict, where: str) -> None:
    for key, value in override.items():
        if key not in base:
            raise ValueError(f"{where}.{key}: no such setting (settings: {sorted(base)})")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ValueError(f"{where}.{key}: expected a mapping like {base[key]}")
            _merge(base[key], value, f"{where}.{key}")
        else:
            base[key] = value


@lru_cache(maxsize=4)
def load_audit_config(path: str | Path = AUDIT_FILE) -> AuditConfig:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    jurisdictions = doc.pop("jurisdictions", None) or {}
    doc.pop("version", None)
    config = AuditConfig(settings=doc, jurisdictions={str(k): v for k, v in jurisdictions.items()}, path=str(path))
    for key in config.jurisdictions:  # an unknown setting is named now, not when some site first meets it
        _merge(copy.deepcopy(doc), config.jurisdictions[key], f"{path}: jurisdictions.{key}")
    return config
