"""The generic adapter, run on every sample family as if no adapter knew it (issue 4's figure, in small)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gongkai.harvesters.detect import detect
from gongkai.sampleweb.families import ADAPTER_OF
from gongkai.sampleweb.server import SampleWeb

ROOT = Path(__file__).resolve().parents[1]


def test_generic_adapter_finds_the_documents_and_fields_of_every_family():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generic_coverage.py"), "--quick", "--json"],
                         capture_output=True, text=True, timeout=300, check=True, cwd=ROOT).stdout
    result = json.loads(out.strip().splitlines()[-1])
    families = result["families"]
    assert set(families) == set(ADAPTER_OF)
    assert result["failed"] == {}
    for family, t in families.items():  # gkmlpt too: its catalogue is built in the browser (scripted.py)
        assert t["found"] / t["documents"] >= 0.95, (family, t)
        assert t["fields_exact"] / t["fields"] >= 0.95, (family, t)
        assert t["column_exact"] / t["found"] >= 0.95, (family, t)


def test_detection_sends_every_known_family_to_its_adapter_and_only_the_unknown_layouts_to_generic():
    web = SampleWeb(counties=len(ADAPTER_OF))
    for site in web.sites:  # the provincial TRS platform county's registry entry names no adapter: its marks say TRS
        ctype, html = site.routes[site.entry]()
        assert detect(html).adapter == {**ADAPTER_OF, "trsprov": "trs"}[site.county.family], site.county.family
