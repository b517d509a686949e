"""Decoding county pages: the label (header, <meta>, BOM) and the bytes disagree more often than one would hope."""
from __future__ import annotations

import pytest
from gongkai.harvesters.encoding import decode_html

TEXT = ("芦河县人民政府关于印发《芦河县政府信息公开工作实施细则》的通知。各乡镇人民政府，县政府各部门："
        "现将《实施细则》印发给你们，请认真贯彻执行。索引号：990102001/2026-00012，发布机构：芦河县人民政府办公室。")


def page(meta: str | None = None, text: str = TEXT) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}<title>通知</title></head><body><p>{text}</p></body></html>"


CASES = [
    # (bytes, Content-Type header, expected encoding family)
    ("gbk page, honest labels", page("gbk").encode("gbk"), "text/html; charset=GBK", "gb18030"),
    ("gbk page, header says UTF-8, meta says gbk", page("gbk").encode("gbk"), "text/html; charset=UTF-8", "gb18030"),
    ("gbk page, no label anywhere", page().encode("gbk"), "text/html", "gb18030"),
    ("gb2312 label, a character only GB18030 has", page("gb2312", TEXT + "朱镕基䶮").encode("gb18030"), "text/html", "gb18030"),
    ("utf-8 page, header says GBK", page().encode("utf-8"), "text/html; charset=GBK", "utf-8"),
    ("utf-8 page, meta says gb2312 (a template copied from an old site)", page("gb2312").encode("utf-8"), None, "utf-8"),
    ("utf-8 with BOM, header says GBK", b"\xef\xbb\xbf" + page().encode("utf-8"), "text/html; charset=GBK", "utf-8"),
    ("big5 page with meta", page("big5", "臺灣省政府公報。本府資訊公開，依政府資訊公開法辦理。").encode("big5"), "text/html", "big5hkscs"),
]


@pytest.mark.parametrize("data,ctype,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_pages_decode_without_mojibake(data, ctype, expected):
    text, used = decode_html(data, ctype)
    assert used == expected
    assert "\ufffd" not in text
    assert ("芦河县人民政府" in text) or ("臺灣省政府公報" in text)
    if "朱镕基" in TEXT + text:
        assert "朱镕基䶮" in text


def test_the_encoding_used_is_recorded_in_the_catalogue(catalogue_db):
    by_site = dict(catalogue_db.sql("SELECT site_id, any_value(encoding) FROM documents GROUP BY 1").fetchall())
    assert by_site["990104-yunxi"] == "gb18030"  # the sample web serves county 3 in GBK
    assert {v for k, v in by_site.items() if k != "990104-yunxi"} == {"utf-8"}
