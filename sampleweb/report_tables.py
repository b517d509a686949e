"""The statistical tables of a sample annual report (年报) in the 2021 format (国办公开办函〔2021〕30号).

`ReportNumbers` holds what a county would count in a year; the results of the requests (三、本年度办理结果) and
what is carried over to next year are split from them deterministically, so the tables balance. The renderers write
the three tables as a county's CMS does: HTML tables with merged header cells, or the same content flattened to
text lines (a site that pasted the tables as text). `break_check` plants one inconsistency for the audit to find.

The labels are written here independently of `harvesters.reports` (the sample web is the ground truth); the
(table, item, measure) keys of `ReportNumbers.figures()` use the reader's canonical labels so tests can compare them.
No randomness: the same numbers render the same page.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
COLUMNS = (*APPLICANTS, "总计")
RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_TOTAL = "三（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"
# 三、本年度办理结果 in the 2021 template: (the row label as printed, its numbered sub-rows)
RESULT_BLOCKS = [
    ("（一）予以公开", []),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", []),
    ("（三）不予公开", ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                  "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]),
    ("（四）无法提供", ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]),
    ("（五）不予处理", ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                  "要求行政机关确认或重新出具已获取信息"]),
    ("（六）其他处理", ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"]),
]


def _short(printed: str) -> str:
    """'（二）部分公开（区分处理的…）' -> '三（二）部分公开': the canonical item of a printed result row."""
    return "三" + printed.split("（区分")[0]


def _sub(printed: str, i: int, sub: str) -> str:
    """'（三）不予公开', 1, '属于国家秘密' -> '三（三）1.属于国家秘密'."""
    return f"三{printed[:3]}{i}.{sub}"


LEAVES = [_short(p) if not subs else _sub(p, i, s) for p, subs in RESULT_BLOCKS
          for i, s in (enumerate(subs, 1) if subs else [(0, "")])]
# how the requests a county settles in a year split over the result rows (weights; the rest are 0)
SPLIT = [("三（一）予以公开", 10), ("三（二）部分公开", 3), ("三（三）4.保护第三方合法权益", 1),
         ("三（三）6.属于四类过程性信息", 1), ("三（四）1.本机关不掌握相关政府信息", 4),
         ("三（四）2.没有现成信息需要另行制作", 1), ("三（五）1.信访举报投诉类申请", 1), ("三（五）2.重复申请", 1),
         ("三（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1), ("三（六）3.其他", 1)]
BREAKABLE = ("table3_balance", "table3_row_total", "table3_result_total", "table4_total")


@dataclass
class ReportNumbers:
    """A year's figures. Request dicts map applicant columns (APPLICANTS) to counts; missing columns are 0.

    Fields left None are derived from `normative_issued` (so counties with different numbers of documents get
    different, plausible tables); `__post_init__` fills them in.
    """
    normative_issued: int                      # 行政规范性文件 本年制发件数
    normative_repealed: int = 0                # 本年废止件数
    normative_in_force: int | None = None      # 现行有效件数; None: the year's documents plus three older ones
    regulations: tuple[int, int, int] = (0, 0, 0)  # 规章: a county government makes none
    licences: int | None = None                # 行政许可 本年处理决定数量
    penalties: int | None = None               # 行政处罚
    coercions: int | None = None               # 行政强制
    fees_10k_yuan: float | None = None         # 行政事业性收费 本年收费金额（万元）, written with two decimals
    requests_new: dict[str, int] | None = None          # 一、本年新收, per applicant column
    requests_carried_in: dict[str, int] | None = None   # 二、上年结转
    review: tuple[int, int, int, int] = (0, 0, 0, 0)                   # 行政复议: 维持, 纠正, 其他, 尚未审结
    litigation_direct: tuple[int, int, int, int] = (0, 0, 0, 0)        # 未经复议直接起诉
    litigation_after_review: tuple[int, int, int, int] = (0, 0, 0, 0)  # 复议后起诉

    def __post_init__(self) -> None:
        k = self.normative_issued
        if self.normative_in_force is None:
            self.normative_in_force = k + 3
        if self.licences is None:
            self.licences = 120 + 37 * k
        if self.penalties is None:
            self.penalties = 60 + 11 * k
        if self.coercions is None:
            self.coercions = k % 4
        if self.fees_10k_yuan is None:
            self.fees_10k_yuan = round(12.5 + 3.75 * k, 2)
        if self.requests_new is None:
            self.requests_new = {"自然人": 6 + k % 7, "商业企业": 1 + k % 3, "法律服务机构": k % 2, "其他": 1}
        if self.requests_carried_in is None:
            self.requests_carried_in = {"自然人": k % 3}
        for name in ("requests_new", "requests_carried_in"):
            unknown = set(getattr(self, name)) - set(APPLICANTS)
            if unknown:
                raise ValueError(f"{name}: not an applicant column: {sorted(unknown)}")
        if any(v < 0 for v in (*self.requests_new.values(), *self.requests_carried_in.values())):
            raise ValueError("request counts must not be negative")

    def carried_out(self) -> dict[str, int]:
        """四、结转下年度继续办理: a sixth of the requests on hand (rounded down) is still open at year end."""
        return {c: (self.requests_new.get(c, 0) + self.requests_carried_in.get(c, 0)) // 6 for c in APPLICANTS}

    def results(self) -> dict[str, dict[str, int]]:
        """Every leaf row of 三、本年度办理结果 per applicant column: the requests settled, split by SPLIT's weights
        (largest remainders, ties to the earlier row)."""
        out = {leaf: dict.fromkeys(APPLICANTS, 0) for leaf in LEAVES}
        weight = sum(w for _, w in SPLIT)
        for c in APPLICANTS:
            settled = self.requests_new.get(c, 0) + self.requests_carried_in.get(c, 0) - self.carried_out()[c]
            shares = [(row, settled * w // weight, settled * w % weight) for row, w in SPLIT]
            left = settled - sum(s for _, s, _ in shares)
            bonus = {row for row, _, _ in sorted(shares, key=lambda x: -x[2])[:left]}
            for row, share, _ in shares:
                out[row][c] = share + (row in bonus)
        return out

    def figures(self) -> dict[tuple[str, str, str], float]:
        """Every figure the tables show, keyed (table, item, measure) with the audit's canonical labels."""
        f: dict[tuple[str, str, str], float] = {}
        for m, v in zip(("本年制发件数", "本年废止件数", "现行有效件数"), self.regulations, strict=True):
            f[("二", "规章", m)] = float(v)
        for m, v in zip(("本年制发件数", "本年废止件数", "现行有效件数"),
                        (self.normative_issued, self.normative_repealed, self.normative_in_force), strict=True):
            f[("二", "行政规范性文件", m)] = float(v)
        for item, v in (("行政许可", self.licences), ("行政处罚", self.penalties), ("行政强制", self.coercions)):
            f[("二", item, "本年处理决定数量")] = float(v)
        f[("二", "行政事业性收费", "本年收费金额（万元）")] = round(float(self.fees_10k_yuan), 2)
        settled = self.results()
        rows = {ROW_NEW: self.requests_new, ROW_CARRIED_IN: self.requests_carried_in, **settled,
                ROW_TOTAL: {c: sum(r[c] for r in settled.values()) for c in APPLICANTS},
                ROW_CARRIED_OUT: self.carried_out()}
        for item, per in rows.items():
            for c in APPLICANTS:
                f[("三", item, c)] = float(per.get(c, 0))
            f[("三", item, "总计")] = float(sum(per.get(c, 0) for c in APPLICANTS))
        for item, four in (("行政复议", self.review), ("未经复议直接起诉", self.litigation_direct),
                           ("复议后起诉", self.litigation_after_review)):
            for m, v in zip(RESULTS, (*four, sum(four)), strict=True):
                f[("四", item, m)] = float(v)
        return f


def _broken(n: ReportNumbers, break_check: str | None) -> dict[tuple[str, str, str], float]:
    """The figures, with one check broken. A table 三 check cannot fail in one place alone: every row's 总计 is the
    sum of its six columns, so an imbalance in 自然人 shows in the 总计 column too, and a row total can be broken
    without breaking a column check only in two rows at once. Those minimal breaks are the ones made here."""
    f = n.figures()
    bumps: list[tuple[str, str, str]] = {
        None: [],
        "table3_balance": [("三", ROW_CARRIED_OUT, "自然人"), ("三", ROW_CARRIED_OUT, "总计")],
        "table3_row_total": [("三", ROW_NEW, "总计"), ("三", ROW_CARRIED_OUT, "总计")],
        "table3_result_total": [("三", ROW_TOTAL, "自然人"), ("三", ROW_TOTAL, "总计"),
                                ("三", ROW_NEW, "自然人"), ("三", ROW_NEW, "总计")],
        "table4_total": [("四", "行政复议", "总计")],
    }.get(break_check)
    if bumps is None:
        raise ValueError(f"break_check must be one of {BREAKABLE}, not {break_check!r}")
    for key in bumps:
        f[key] += 1
    return f


def _num(v: float, money: bool = False) -> str:
    return f"{v:.2f}" if money else str(int(v))


def _tds(f, item: str) -> str:
    return "".join(f"<td>{_num(f[('三', item, c)])}</td>" for c in COLUMNS)


def render_2021_html(n: ReportNumbers, *, break_check: str | None = None) -> str:
    """Tables 二, 三, 四 as the 2021 template lays them out (merged cells), each after its heading paragraph."""
    f = _broken(n, break_check)
    t2 = ("<tr><td colspan=\"4\">第二十条第（一）项</td></tr>"
          "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>")
    for item in ("规章", "行政规范性文件"):
        t2 += f"<tr><td>{item}</td>" + "".join(
            f"<td>{_num(f[('二', item, m)])}</td>" for m in ("本年制发件数", "本年废止件数", "现行有效件数")) + "</tr>"
    for clause, items in (("（五）", ["行政许可"]), ("（六）", ["行政处罚", "行政强制"])):
        t2 += (f"<tr><td colspan=\"4\">第二十条第{clause}项</td></tr>"
               "<tr><td>信息内容</td><td colspan=\"3\">本年处理决定数量</td></tr>")
        t2 += "".join(f"<tr><td>{i}</td><td colspan=\"3\">{_num(f[('二', i, '本年处理决定数量')])}</td></tr>" for i in items)
    t2 += ("<tr><td colspan=\"4\">第二十条第（八）项</td></tr>"
           "<tr><td>信息内容</td><td colspan=\"3\">本年收费金额（单位：万元）</td></tr>"
           f"<tr><td>行政事业性收费</td><td colspan=\"3\">{_num(f[('二', '行政事业性收费', '本年收费金额（万元）')], True)}"
           "</td></tr>")
    leaf_rows = sum(max(1, len(subs)) for _, subs in RESULT_BLOCKS) + 1
    t3 = (f"<tr><td rowspan=\"3\" colspan=\"3\">{NOTE}</td><td colspan=\"7\">申请人情况</td></tr>"
          "<tr><td rowspan=\"2\">自然人</td><td colspan=\"5\">法人或其他组织</td><td rowspan=\"2\">总计</td></tr>"
          "<tr>" + "".join(f"<td>{c}</td>" for c in APPLICANTS[1:]) + "</tr>"
          f"<tr><td colspan=\"3\">{ROW_NEW}</td>{_tds(f, ROW_NEW)}</tr>"
          f"<tr><td colspan=\"3\">{ROW_CARRIED_IN}</td>{_tds(f, ROW_CARRIED_IN)}</tr>")
    first = True
    for printed, subs in RESULT_BLOCKS:
        lead = f"<td rowspan=\"{leaf_rows}\">三、本年度办理结果</td>" if first else ""
        first = False
        if not subs:
            t3 += f"<tr>{lead}<td colspan=\"2\">{printed}</td>{_tds(f, _short(printed))}</tr>"
            continue
        for i, sub in enumerate(subs, 1):
            head = f"{lead}<td rowspan=\"{len(subs)}\">{printed}</td>" if i == 1 else ""
            t3 += f"<tr>{head}<td>{i}.{sub}</td>{_tds(f, _sub(printed, i, sub))}</tr>"
            lead = ""
    t3 += (f"<tr><td colspan=\"2\">（七）总计</td>{_tds(f, ROW_TOTAL)}</tr>"
           f"<tr><td colspan=\"3\">{ROW_CARRIED_OUT}</td>{_tds(f, ROW_CARRIED_OUT)}</tr>")
    t4 = ("<tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>"
          "<tr>" + "".join(f"<td rowspan=\"2\">{m}</td>" for m in RESULTS)
          + "<td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>"
          "<tr>" + "".join(f"<td>{m}</td>" for m in RESULTS * 2) + "</tr>"
          "<tr>" + "".join(f"<td>{_num(f[('四', i, m)])}</td>" for i in ("行政复议", "未经复议直接起诉", "复议后起诉")
                           for m in RESULTS) + "</tr>")
    return "".join(
        f"<p class=\"nb-title\"><strong>{escape(title)}</strong></p>"
        f"<table class=\"nb-table\" border=\"1\" cellspacing=\"0\"><tbody>{body}</tbody></table>"
        for title, body in (("二、主动公开政府信息情况", t2), ("三、收到和处理政府信息公开申请情况", t3),
                            ("四、政府信息公开行政复议、行政诉讼情况", t4)))


def render_2021_text(n: ReportNumbers, *, break_check: str | None = None) -> str:
    """The same tables flattened to text lines, as a site that pasted them into the body publishes them."""
    f = _broken(n, break_check)

    def row3(label: str, item: str) -> str:
        return f"{label} " + " ".join(_num(f[("三", item, c)]) for c in COLUMNS)

    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数"]
    for item in ("规章", "行政规范性文件"):
        lines.append(f"{item} " + " ".join(_num(f[("二", item, m)]) for m in ("本年制发件数", "本年废止件数", "现行有效件数")))
    for clause, items in (("（五）", ["行政许可"]), ("（六）", ["行政处罚", "行政强制"])):
        lines += [f"第二十条第{clause}项", "信息内容 本年处理决定数量"]
        lines += [f"{i} {_num(f[('二', i, '本年处理决定数量')])}" for i in items]
    lines += ["第二十条第（八）项", "信息内容 本年收费金额（单位：万元）",
              f"行政事业性收费 {_num(f[('二', '行政事业性收费', '本年收费金额（万元）')], True)}",
              "三、收到和处理政府信息公开申请情况", f"{NOTE} 申请人情况", "自然人 法人或其他组织 总计",
              " ".join(APPLICANTS[1:]), row3(ROW_NEW, ROW_NEW), row3(ROW_CARRIED_IN, ROW_CARRIED_IN)]
    lead = "三、本年度办理结果 "
    for printed, subs in RESULT_BLOCKS:
        if not subs:
            lines.append(lead + row3(printed, _short(printed)))
        for i, sub in enumerate(subs, 1):
            lines.append(lead + (f"{printed} " if i == 1 else "") + row3(f"{i}.{sub}", _sub(printed, i, sub)))
            lead = ""
        lead = ""
    lines += [row3("（七）总计", ROW_TOTAL), row3(ROW_CARRIED_OUT, ROW_CARRIED_OUT),
              "四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼",
              " ".join(RESULTS) + " 未经复议直接起诉 复议后起诉", " ".join(RESULTS * 2),
              " ".join(_num(f[("四", i, m)]) for i in ("行政复议", "未经复议直接起诉", "复议后起诉") for m in RESULTS)]
    return "\n".join(lines) + "\n"
