"""Shared fixtures: the sample county web on loopback and one real Dagster run of the whole pipeline over it."""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from gongkai.sampleweb.server import SampleWeb
from gongkai.sampleweb.truth import write_ground_truth, write_registry
from gongkai.schemas.registry import load_registry

# Real pages saved from public sources live outside the repo (never committed): $GONGKAI_REFERENCE_PAGES, else the
# shared reference-pages folder beside the checkout (../shared/reference-pages).
REFERENCE_CANDIDATES = [*(Path(p) for p in (os.environ.get("GONGKAI_REFERENCE_PAGES"),) if p),
                        Path(__file__).resolve().parents[2] / "shared" / "reference-pages",
                        Path("/work/shared/reference-pages")]


def reference_pages() -> Path | None:
    """The folder of real pages (read-only for us; tests read them there), or None where it is absent."""
    return next((p for p in REFERENCE_CANDIDATES if p.is_dir()), None)


@pytest.fixture(scope="session")
def sample_web():
    with SampleWeb(counties=9, docs_per_county=60) as web:  # one county per family (sampleweb.model.FAMILIES)
        yield web


def run_pipeline(web: SampleWeb, data: Path) -> Path:
    """Write the registry, then materialise every asset for every site through the Dagster definitions."""
    from gongkai.pipelines.local import instance_at, materialise_everything

    registry = write_registry(web, data / "sample" / "registry.yaml")
    write_ground_truth(web, data / "sample" / "ground_truth.json")
    os.environ["GONGKAI_DATA"], os.environ["GONGKAI_REGISTRY"] = str(data), str(registry)
    materialise_everything(instance_at(data / "dagster_home"), load_registry(registry), say=lambda _: None)
    return data / "catalogue.duckdb"


@pytest.fixture(scope="session")
def pipeline(sample_web, tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    catalogue = run_pipeline(sample_web, data)
    truth = json.loads((data / "sample" / "ground_truth.json").read_text(encoding="utf-8"))
    return {"data": data, "catalogue": catalogue, "truth": truth, "web": sample_web}


@pytest.fixture()
def catalogue_db(pipeline):
    con = duckdb.connect(str(pipeline["catalogue"]), read_only=True)
    yield con
    con.close()
