"""Shared fixtures: the sample county web on loopback and one real Dagster run of the whole pipeline over it."""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from sampleweb.server import SampleWeb
from sampleweb.truth import write_ground_truth, write_registry
from schemas.registry import load_registry


@pytest.fixture(scope="session")
def sample_web():
    with SampleWeb(counties=7, docs_per_county=60) as web:
        yield web


def run_pipeline(web: SampleWeb, data: Path) -> Path:
    """Write the registry, then materialise every asset for every site through the Dagster definitions."""
    from pipelines.local import instance_at, materialise_everything

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
