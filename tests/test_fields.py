"""Field normalisation and decoding of county pages."""
from __future__ import annotations

from datetime import date

import pytest
from gongkai.harvesters.encoding import decode_html
from gongkai.harvesters.fields import label_key, normalise_doc_no, normalise_index_no, normalise_validity, parse_date


@pytest.mark.parametrize("text", ["2023-05-11", "2023年5月11日", "2023年05月11日 09:30", "2023/5/11", "2023.05.11",
                                  "发布日期：2023-05-11 10:00:01", "２０２３－０５－１１"])
def test_dates_in_every_format_seen(text):
    assert parse_date(text) == date(2023, 5, 11)


@pytest.mark.parametrize("text", ["", "无", "2023-13-40", None])
def test_no_date_is_none_not_a_guess(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("raw", ["青政规〔2023〕3号", "青政规[2023]3号", "青政规(2023)3号", "青政规（2023）3号", "青政规 〔2023〕 3号"])
def test_doc_numbers_normalise_to_the_standard_brackets(raw):
    assert normalise_doc_no(raw) == "青政规〔2023〕3号"


def test_empty_doc_number_and_index_number():
    assert normalise_doc_no("无") is None and normalise_index_no(" ") is None
    assert normalise_index_no("ＭＢ１５８６９８Ｘ/2023-00011") == "MB158698X/2023-00011"


@pytest.mark.parametrize("label,key", [("索\u3000引\u3000号：", "index_no"), ("索 引 号:", "index_no"),
                                       ("发文字号", "doc_no"), ("生成日期：", "written_date"), ("责任部门", "publisher"),
                                       ("有\u00a0效\u00a0性：", "validity"), ("阅读次数", None)])
def test_label_variants(label, key):
    assert label_key(label) == key


def test_gbk_page_with_a_wrong_charset_header_decodes_without_mojibake():
    html = '<html><head><meta charset="gbk"><title>青川县人民政府关于印发《管理办法》的通知</title></head></html>'
    text, enc = decode_html(html.encode("gbk"), "text/html; charset=UTF-8")
    assert "青川县人民政府" in text and enc == "gb18030"


def test_gbk_page_with_no_charset_at_all_is_detected():
    html = "<html><body>" + "青川县人民政府信息公开指南，依申请公开，政府信息公开工作年度报告。" * 20 + "</body></html>"
    text, _ = decode_html(html.encode("gbk"), "text/html")
    assert "政府信息公开工作年度报告" in text


def test_utf8_bom_wins():
    text, enc = decode_html("\ufeff<p>政府</p>".encode("utf-8"), "text/html; charset=GBK")
    assert text == "<p>政府</p>" and enc == "utf-8"


@pytest.mark.parametrize("raw,norm", [("有效", "有效"), ("现行有效", "有效"), (" 有 效 ", "有效"), ("失效", "失效"),
                                      ("已失效", "失效"), ("不再有效", "失效"), ("已废止", "废止"), ("废止", "废止"),
                                      ("已修订", "已修改"), ("部分修改", "已修改"), ("暂缓执行", "暂缓执行"), ("无", None),
                                      ("", None)])
def test_validity_values_normalise(raw, norm):
    assert normalise_validity(raw) == norm


def test_publisher_names_are_one_spelling():
    from gongkai.harvesters.fields import normalise_publisher

    assert normalise_publisher("青川县 财政局") == "青川县财政局"
    assert normalise_publisher("青川县人民政府办公室(县政府办)") == "青川县人民政府办公室（县政府办）"
    assert normalise_publisher("发布机构：青川县教育局") == "青川县教育局"
    assert normalise_publisher("ＡＢＣ县\u3000统计局") == "ABC县统计局"
    assert normalise_publisher(" 无 ") is None and normalise_publisher(None) is None
