"""Annual-report (年报) tables as figures: both national templates, HTML tables and flattened text, the template's
cross-checks, and the sample web's renderer read back by the parser."""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from gongkai.harvesters.reports import TABLE3_ITEMS, CheckFailure, figure, parse_annual_report
from gongkai.sampleweb.report_tables import BREAKABLE, ReportNumbers, render_2021_html, render_2021_text

FIXTURES = Path(__file__).parent / "fixtures" / "annual_reports"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def parse(name: str):
    return parse_annual_report(html=load(name)) if name.endswith(".html") else parse_annual_report(text=load(name))


def as_dict(report) -> dict[tuple[str, str, str], float | None]:
    return {(f.table, f.item, f.measure): f.value for f in report.figures}


def failures(report) -> set[tuple[str, str, float, float]]:
    return {(f.check, f.where, f.expected, f.found) for f in report.failures}


# --- the hand-written reports ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "fmt", "source", "count"), [
    ("2021_format_page.html", "2021", "table", 10 + 25 * 7 + 15),
    ("2019_format_page.html", "2019", "table", 22 + 23 * 7 + 15),
    ("2021_format_flat.txt", "2021", "text", 10 + 25 * 7 + 15),
    ("2019_format_flat.txt", "2019", "text", 22 + 23 * 7 + 15),
])
def test_format_source_and_every_cell_read(name, fmt, source, count):
    report = parse(name)
    assert (report.format, report.source) == (fmt, source)
    assert len(report.figures) == count
    assert len(set((f.table, f.item, f.measure) for f in report.figures)) == count
    assert report.warnings == []


def test_a_page_without_report_tables():
    report = parse_annual_report(html="<html><body><table><tr><td>索引号</td><td>0001/2023-1</td></tr></table>"
                                      "<p>2023年本机关共收到申请12件。</p></body></html>")
    assert report.format == "unknown" and report.figures == [] and report.failures == []
    assert report.warnings == ["table 二 not found", "table 三 not found", "table 四 not found"]


def test_2021_page():
    r = parse("2021_format_page.html")
    assert figure(r, "二", "行政规范性文件", "本年制发件数") == 6
    assert figure(r, "二", "行政规范性文件", "现行有效件数") == 41
    assert figure(r, "二", "行政许可", "本年处理决定数量") == 3216
    assert figure(r, "二", "行政事业性收费", "本年收费金额（万元）") == 356.82
    assert figure(r, "三", "一、本年新收政府信息公开申请数量", "总计") == 50
    assert figure(r, "三", "三（七）总计", "总计") == 52
    assert figure(r, "三", "三（七）总计", "自然人") == 42
    assert figure(r, "三", "三（三）3.危及“三安全一稳定”", "总计") == 1
    assert figure(r, "三", "三（四）1.本机关不掌握相关政府信息", "法律服务机构") == 1
    assert figure(r, "三", "三（六）3.其他", "商业企业") == 1
    assert figure(r, "三", "四、结转下年度继续办理", "自然人") == 2
    assert figure(r, "四", "行政复议", "总计") == 2
    assert figure(r, "四", "未经复议直接起诉", "结果纠正") == 1
    assert figure(r, "四", "复议后起诉", "尚未审结") == 1
    raw = {(f.item, f.measure): f.raw for f in r.figures}
    assert raw[("行政许可", "本年处理决定数量")] == "3,216"
    # the 2021 template has no 2019 columns, and the page's own tables (metadata, platforms) are not figures
    assert {f.measure for f in r.figures if f.table == "二"} == {"本年制发件数", "本年废止件数", "现行有效件数",
                                                                 "本年处理决定数量", "本年收费金额（万元）"}
    assert all(f.value != 4862 for f in r.figures)
    # table 三 of the 2021 template: every row, （三）…（六） only through their numbered sub-rows
    assert [i for i in dict.fromkeys(f.item for f in r.figures if f.table == "三")] == \
        [i for i in TABLE3_ITEMS if i not in ("三（三）不予公开", "三（四）无法提供", "三（五）不予处理", "三（六）其他处理")]


def test_loose_labels_and_sub_row_sums():
    r = parse("2021_format_page.html")
    assert figure(r, "三", "(七)总计", "总计") == 52
    assert figure(r, "三", "1.属于国家秘密", "自然人") == 0
    assert figure(r, "三", '3.危及"三安全一稳定"', "总计") == 1
    assert figure(r, "二", "规范性文件", "本年制发件数") == 6
    assert figure(r, "二", "行政事业性收费", "本年收费金额（单位：万元）") == 356.82
    assert figure(r, "三", "（三）不予公开", "总计") == 6       # 1 + 2 + 2 + 1 over its eight sub-rows
    assert figure(r, "三", "三（六）其他处理", "自然人") == 1
    assert figure(r, "二", "政府集中采购", "采购总金额") is None  # a 2019 block, not in this report


def test_2019_page():
    r = parse("2019_format_page.html")
    assert figure(r, "二", "行政规范性文件", "本年新制作数量") == 4     # the 2019 row reads 规范性文件
    assert figure(r, "二", "行政规范性文件", "对外公开总数量") == 37
    assert figure(r, "二", "行政许可", "本年增/减") == -3
    assert figure(r, "二", "其他对外管理服务事项", "本年增/减") == 2
    assert figure(r, "二", "行政许可", "处理决定数量") == 2455
    assert figure(r, "二", "行政事业性收费", "上一年项目数量") == 28
    assert figure(r, "二", "政府集中采购", "采购项目数量") == 67
    assert figure(r, "二", "政府集中采购", "采购总金额") == 4215.36
    regs = [f for f in r.figures if f.item == "规章"]
    assert [(f.value, f.raw) for f in regs] == [(None, "——")] * 3
    assert figure(r, "三", "三（六）其他处理", "总计") == 1           # one row in 2019, no sub-rows
    assert not any(f.item.startswith("三（六）1") for f in r.figures)
    carried = next(f for f in r.figures if f.item == "二、上年结转政府信息公开申请数量" and f.measure == "自然人")
    assert (carried.value, carried.raw) == (1, "１")                 # a full-width digit
    # （四） written without rowspan: the parent label on the first sub-row, empty cells under it
    assert figure(r, "三", "三（四）2.没有现成信息需要另行制作", "总计") == 1
    assert figure(r, "三", "三（七）总计", "总计") == 26
    assert figure(r, "四", "未经复议直接起诉", "结果维持") == 1
    assert figure(r, "四", "行政复议", "总计") == 1


def test_2021_flattened_text():
    r = parse("2021_format_flat.txt")
    assert [(f.value, f.raw) for f in r.figures if f.item == "规章"] == [(None, "—")] * 3
    assert [(f.value, f.raw) for f in r.figures if f.item == "行政规范性文件"] == [(5, "５"), (1, "１"), (29, "２９")]
    assert figure(r, "二", "行政许可", "本年处理决定数量") == 1532
    assert figure(r, "二", "行政事业性收费", "本年收费金额（万元）") == 87.6
    assert figure(r, "三", "一、本年新收政府信息公开申请数量", "其他") == 1
    assert figure(r, "三", "三（三）4.保护第三方合法权益", "商业企业") == 1
    assert figure(r, "三", "三（四）1.本机关不掌握相关政府信息", "其他") == 1
    assert figure(r, "三", "三（六）3.其他", "总计") == 0
    assert figure(r, "三", "三（七）总计", "总计") == 15
    assert figure(r, "三", "四、结转下年度继续办理", "商业企业") == 1
    assert figure(r, "四", "行政复议", "其他结果") == 1
    assert figure(r, "四", "未经复议直接起诉", "总计") == 1
    assert figure(r, "四", "复议后起诉", "总计") == 0


def test_2019_flattened_text():
    r = parse("2019_format_flat.txt")
    assert figure(r, "二", "行政规范性文件", "对外公开总数量") == 22
    assert figure(r, "二", "行政处罚", "本年增/减") == -41
    assert figure(r, "二", "行政处罚", "上一年项目数量") == 2817
    assert figure(r, "二", "行政事业性收费", "本年增/减") == -1
    assert figure(r, "二", "政府集中采购", "采购总金额") == 1863.5
    assert figure(r, "三", "三（六）其他处理", "总计") == 0
    assert figure(r, "三", "三（七）总计", "总计") == 9
    assert figure(r, "四", "行政复议", "结果维持") == 1


# --- the cross-checks -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["2021_format_page.html", "2019_format_page.html", "2021_format_flat.txt"])
def test_consistent_reports_pass_every_check(name):
    assert parse(name).failures == []


def test_a_typo_in_a_total_fails_the_row_and_the_result_total():
    # the 2019 text fixture as published: （一）予以公开 总计 reads 5, its columns add up to 4
    r = parse("2019_format_flat.txt")
    assert r.failures == [CheckFailure("table3_row_total", "三（一）予以公开", 4.0, 5.0),
                          CheckFailure("table3_result_total", "总计", 10.0, 9.0)]


def test_edited_page_breaks_the_balance():
    page = load("2021_format_page.html")
    edited = re.sub(r"(四、结转下年度继续办理</span></p></td>\s*<td><p align=\"center\">)2(</p>)", r"\g<1>3\2", page)
    assert edited != page
    assert failures(parse_annual_report(html=edited)) == {
        ("table3_balance", "自然人", 44.0, 45.0),                     # 41 + 3 against 42 + 3
        ("table3_row_total", "四、结转下年度继续办理", 3.0, 2.0),
    }


def test_edited_page_breaks_a_table4_total():
    page = load("2021_format_page.html")
    row = ('<td><p align="center">1</p></td><td><p align="center">0</p></td><td><p align="center">0</p></td>'
           '<td><p align="center">1</p></td><td><p align="center">2</p></td>')
    assert page.count(row) == 1
    r = parse_annual_report(html=page.replace(row, row.replace(">2<", ">3<")))
    assert r.failures == [CheckFailure("table4_total", "行政复议", 2.0, 3.0)]


def test_edited_text_breaks_the_grand_total():
    text = load("2021_format_flat.txt")
    assert text.count("（七）总计 12 2 0 0 0 1 15") == 1
    r = parse_annual_report(text=text.replace("（七）总计 12 2 0 0 0 1 15", "（七）总计 12 2 0 0 0 1 16"))
    assert failures(r) == {
        ("table3_balance", "总计", 16.0, 17.0),
        ("table3_row_total", "三（七）总计", 15.0, 16.0),
        ("table3_result_total", "总计", 15.0, 16.0),
    }


def test_a_written_subtotal_is_checked_against_its_sub_rows():
    page = load("2019_format_page.html")
    subtotal = ('<tr><td>&nbsp;</td><td>小计</td><td>6</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td>'
                '<td>7</td></tr>')
    anchor = "<td>3．补正后申请内容仍不明确</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>"
    assert page.count(anchor) == 1
    # the editor added the row without raising 三、本年度办理结果's rowspan="20": （七）总计 now starts in column 1,
    # its seven numbers are still read in order
    r = parse_annual_report(html=page.replace(anchor, anchor + subtotal))
    assert figure(r, "三", "三（四）无法提供", "总计") == 7
    assert figure(r, "三", "三（七）总计", "自然人") == 23 and figure(r, "三", "三（七）总计", "总计") == 26
    assert r.failures == []
    wrong = subtotal.replace("<td>6</td>", "<td>5</td>").replace("<td>7</td>", "<td>6</td>")
    r = parse_annual_report(html=page.replace(anchor, anchor + wrong))
    assert failures(r) == {("table3_subtotal", "三（四）无法提供/自然人", 6.0, 5.0),
                           ("table3_subtotal", "三（四）无法提供/总计", 7.0, 6.0),
                           # a written subtotal is what the report says （四） is: the grand total disagrees too
                           ("table3_result_total", "自然人", 22.0, 23.0), ("table3_result_total", "总计", 25.0, 26.0)}


def test_a_row_not_parsed_skips_its_checks_instead_of_failing():
    text = load("2021_format_flat.txt").replace("3.补正后申请内容仍不明确 0 0 0 0 0 0 0 ", "")
    r = parse_annual_report(text=text)
    assert r.failures == []
    assert any("补正后申请内容仍不明确 not found" in w for w in r.warnings)
    assert figure(r, "三", "三（四）2.没有现成信息需要另行制作", "总计") == 1  # the neighbours keep their numbers
    assert figure(r, "三", "三（五）1.信访举报投诉类申请", "总计") == 0


# --- cells, layouts, sources ------------------------------------------------------------------------------------------

def test_cells_and_a_transposed_table4():
    html = ("<table><tr><td>类别</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>"
            "<tr><td>行政复议</td><td>１</td><td>—</td><td>/</td><td></td><td>1</td></tr>"
            "<tr><td>未经复议直接起诉</td><td>1,234</td><td>0</td><td>0</td><td>0</td><td>1,234</td></tr>"
            "<tr><td>复议后起诉</td><td>2</td><td>0</td><td>-</td><td>0</td><td>3</td></tr></table>")
    r = parse_annual_report(html=html)
    got = as_dict(r)
    assert [got[("四", "行政复议", m)] for m in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] == \
        [1, None, None, None, 1]
    assert got[("四", "未经复议直接起诉", "总计")] == 1234
    assert r.failures == [CheckFailure("table4_total", "复议后起诉", 2.0, 3.0)]


def test_html_tables_win_over_text_and_text_fills_in():
    page = load("2021_format_page.html")
    r = parse_annual_report(html=page, text=load("2021_format_flat.txt"))
    assert r.source == "table" and figure(r, "三", "三（七）总计", "总计") == 52
    # table 四 missing from the page: read from the text given
    no_t4 = re.sub(r"<table[^>]*>\s*<tbody>\s*<tr>\s*<td colspan=\"5\">.*?</table>", "", page, flags=re.S)
    assert no_t4 != page
    r = parse_annual_report(html=no_t4, text=load("2021_format_flat.txt"))
    assert r.source == "mixed"
    assert figure(r, "三", "三（七）总计", "总计") == 52 and figure(r, "四", "行政复议", "其他结果") == 1


def test_tables_pasted_as_paragraphs_are_read_from_the_page_text():
    n = ReportNumbers(normative_issued=7, normative_in_force=12)
    body = "".join(f"<p>{escape(line)}</p>" for line in render_2021_text(n).splitlines())
    page = f"<html><body><div class='nav'>首页 政府信息公开</div><h1>某县年报</h1>{body}<div>版权所有</div></body></html>"
    r = parse_annual_report(html=page, text="某县年报 一、总体情况 全年新收申请12件。")  # body text without the tables
    assert (r.source, r.format) == ("text", "2021")
    assert as_dict(r) == n.figures() and r.failures == []


# --- the sample web's renderer ----------------------------------------------------------------------------------------

NUMBERS = [
    ReportNumbers(normative_issued=5, normative_repealed=1, normative_in_force=29, licences=1532, penalties=428,
                  coercions=9, fees_10k_yuan=87.65, requests_new={"自然人": 17, "商业企业": 4, "科研机构": 1, "其他": 2},
                  requests_carried_in={"自然人": 3, "法律服务机构": 1}, review=(1, 0, 2, 1),
                  litigation_direct=(0, 1, 0, 0), litigation_after_review=(0, 0, 0, 3)),
    ReportNumbers(normative_issued=0),
    ReportNumbers(normative_issued=12, requests_new={c: 23 for c in ("自然人", "商业企业", "科研机构", "社会公益组织",
                                                                      "法律服务机构", "其他")}),
]


@pytest.mark.parametrize("n", NUMBERS)
@pytest.mark.parametrize("render", [render_2021_html, render_2021_text])
def test_renderer_round_trip(n, render):
    out = render(n)
    r = parse_annual_report(html=out) if render is render_2021_html else parse_annual_report(text=out)
    assert (r.format, r.source) == ("2021", "table" if render is render_2021_html else "text")
    assert as_dict(r) == n.figures()
    assert r.failures == [] and r.warnings == []


def test_renderer_figures_are_the_inputs_and_balance():
    n = NUMBERS[0]
    f = n.figures()
    assert f[("二", "行政规范性文件", "本年制发件数")] == 5 and f[("二", "行政许可", "本年处理决定数量")] == 1532
    assert f[("二", "行政事业性收费", "本年收费金额（万元）")] == 87.65
    assert f[("三", "一、本年新收政府信息公开申请数量", "科研机构")] == 1
    assert f[("三", "二、上年结转政府信息公开申请数量", "总计")] == 4
    assert f[("四", "行政复议", "总计")] == 4 and f[("四", "复议后起诉", "总计")] == 3
    for c in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"):
        on_hand = f[("三", "一、本年新收政府信息公开申请数量", c)] + f[("三", "二、上年结转政府信息公开申请数量", c)]
        assert f[("三", "三（七）总计", c)] + f[("三", "四、结转下年度继续办理", c)] == on_hand
    assert f[("三", "三（一）予以公开", "总计")] > 0 and f[("三", "四、结转下年度继续办理", "总计")] > 0


EXPECTED_BREAKS = {  # (check, where) of the failures each break_check plants
    "table3_balance": {("table3_balance", "自然人"), ("table3_balance", "总计")},
    "table3_row_total": {("table3_row_total", "一、本年新收政府信息公开申请数量"),
                         ("table3_row_total", "四、结转下年度继续办理")},
    "table3_result_total": {("table3_result_total", "自然人"), ("table3_result_total", "总计")},
    "table4_total": {("table4_total", "行政复议")},
}


@pytest.mark.parametrize("check", BREAKABLE)
@pytest.mark.parametrize("render", [render_2021_html, render_2021_text])
def test_break_check_plants_exactly_that_failure(check, render):
    n = NUMBERS[0]
    out = render(n, break_check=check)
    r = parse_annual_report(html=out) if render is render_2021_html else parse_annual_report(text=out)
    assert {(f.check, f.where) for f in r.failures} == EXPECTED_BREAKS[check]
    assert all(f.found - f.expected in (1, -1) for f in r.failures)


def test_renderer_is_deterministic_and_strict():
    assert render_2021_html(NUMBERS[0]) == render_2021_html(NUMBERS[0])
    assert render_2021_text(ReportNumbers(normative_issued=3)) == render_2021_text(ReportNumbers(normative_issued=3))
    assert render_2021_text(ReportNumbers(normative_issued=3)) != render_2021_text(ReportNumbers(normative_issued=4))
    with pytest.raises(ValueError):
        render_2021_html(NUMBERS[0], break_check="table3_subtotal")
    with pytest.raises(ValueError):
        ReportNumbers(normative_issued=1, requests_new={"公民": 3})
    html = render_2021_html(NUMBERS[0])
    assert 'rowspan="22">三、本年度办理结果' in html and 'colspan="5">法人或其他组织' in html
