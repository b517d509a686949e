"""The sample county web is deterministic, sized by a parameter, and its defects are all listed."""
from __future__ import annotations

from datetime import date

from sampleweb.families import RENDERERS
from sampleweb.model import build_county
from sampleweb.server import SampleWeb
from sampleweb.truth import ground_truth

AS_OF = date(2026, 6, 1)


def test_same_seed_same_web_different_seed_different_web():
    a = ground_truth(SampleWeb(counties=3, as_of=AS_OF))
    b = ground_truth(SampleWeb(counties=3, as_of=AS_OF))
    def strip(gt):
        return [{k: v for k, v in d.items() if k not in ("url", "attachments", "related_urls")} for d in gt["documents"]]
    assert strip(a) == strip(b)
    c = ground_truth(SampleWeb(counties=3, as_of=AS_OF, seed=8))
    assert strip(a) != strip(c)


def test_size_is_a_parameter():
    small = sum(1 for _ in build_county(0, docs_per_county=60, as_of=AS_OF).all_docs())
    large = sum(1 for _ in build_county(0, docs_per_county=2000, as_of=AS_OF).all_docs())
    assert 50 <= small <= 120 and 1700 <= large <= 2300


def test_planted_defects_meet_the_brief():
    web = SampleWeb(counties=7, as_of=AS_OF)
    kinds = [d["kind"] for d in ground_truth(web)["defects"]]
    count = {k: kinds.count(k) for k in set(kinds)}
    assert count["missing"] >= 3  # two categories plus the county with no report for last year
    assert count["blank"] + count["blank_with_note"] >= 2 and count["blank_with_note"] >= 1
    assert count["stale"] >= 2 and count["late_document"] >= 3
    assert count["no_interpretation"] >= 2 and count["late_interpretation"] >= 1
    assert count["late_annual_report"] >= 1
    assert {s.county.family for s in web.sites} == set(RENDERERS)
    assert any(s.county.encoding == "gbk" for s in web.sites)


def test_late_documents_are_late_by_more_than_twenty_working_days():
    truth = ground_truth(SampleWeb(counties=6, as_of=AS_OF))
    docs = {d["url"]: d for d in truth["documents"]}
    for d in (x for x in truth["defects"] if x["kind"] == "late_document"):
        doc = docs[d["url"]]
        gap = date.fromisoformat(doc["published_date"]) - date.fromisoformat(doc["written_date"])
        assert gap.days >= 45  # ≥ 45 calendar days is > 20 working days even across Spring Festival
