"""The privacy screen (公开前审查): ID, mobile and bank-card numbers are found and redacted; disclosure metadata is not."""
from __future__ import annotations

import dataclasses
import random
import unicodedata
from datetime import date, timedelta

import pytest
from gongkai.release.privacy import PiiHit, find_pii, id_checksum_ok, luhn_ok, redact

# --- independent reference implementations (not the module's lookup tables) ---------------------------------


def id_check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 from its definition: weight of position i (counted from the right, check = 1) is 2^(i-1) mod 11."""
    total = sum(int(d) * pow(2, 17 - k, 11) for k, d in enumerate(body17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(area: str, born: str, seq: str) -> str:
    body = area + born + seq
    assert len(body) == 17
    return body + id_check_char(body)


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]  # digit sum of 2·d


def luhn_complete(payload: str) -> str:
    total = sum(DOUBLED[int(d)] if i % 2 == 0 else int(d) for i, d in enumerate(reversed(payload)))
    return payload + str((10 - total % 10) % 10)


def luhn_break(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(h.kind, text[h.start:h.end]) for h in find_pii(text)]


PUBLISHED_ID = "11010519491231002X"  # the well-known GB 11643 example number
ID_A = make_id("130402", "19850317", "123")
ID_B = make_id("440305", "20000229", "461")  # born on a leap day
CARD_62 = luhn_complete("622202020000123456")  # 19 digits
CARD_62_16 = luhn_complete("621700123456789")  # 16 digits
VISA_TEST = "4111111111111111"


def group4(digits: str, sep: str = " ") -> str:
    return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))


# --- checksums ---------------------------------------------------------------------------------------------------


def test_published_id_and_the_reference_agree():
    assert id_check_char(PUBLISHED_ID[:17]) == "X"
    assert id_checksum_ok(PUBLISHED_ID)
    assert id_checksum_ok(PUBLISHED_ID.lower())
    assert id_checksum_ok("１１０１０５１９４９１２３１００２Ｘ")  # full width


def test_id_checksum_only_the_right_character_passes():
    rng = random.Random(11643)
    for _ in range(300):
        body = "".join(rng.choice("0123456789") for _ in range(17))
        right = id_check_char(body)
        for c in "0123456789X":
            assert id_checksum_ok(body + c) is (c == right), body + c


@pytest.mark.parametrize("bad", ["", "11010519491231002", "11010519491231002XX", "1101051949123100XX", "11010519491231002Y",
                                 "110105********002X"])
def test_id_checksum_rejects_malformed(bad):
    assert not id_checksum_ok(bad)


def test_luhn():
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")
    assert luhn_ok(VISA_TEST) and not luhn_ok("4111111111111112")
    rng = random.Random(7064)
    for _ in range(300):
        payload = "".join(rng.choice("0123456789") for _ in range(rng.randint(15, 18)))
        good = luhn_complete(payload)
        assert luhn_ok(good), good
        assert not luhn_ok(luhn_break(good)), good
    assert not luhn_ok("4111 1111 1111 1111") and not luhn_ok("") and not luhn_ok("０")


# --- ID numbers ----------------------------------------------------------------------------------------------------


def test_gongshi_row_finds_mobile_and_id_with_exact_spans_and_masks():
    row = "张三 男 13800138000 11010519491231002X"
    hits = find_pii(row)
    assert hits == [PiiHit("mobile", 5, 16, "138****8000"), PiiHit("id_card", 17, 35, "110105********002X")]


def test_generated_ids_are_found_and_masked():
    text = f"申请人李四（身份证{ID_A}）和王五，证件{ID_B}。"
    hits = find_pii(text)
    assert [(h.kind, text[h.start:h.end]) for h in hits] == [("id_card", ID_A), ("id_card", ID_B)]
    assert hits[0].masked == ID_A[:6] + "********" + ID_A[14:]
    assert hits[1].masked == ID_B[:6] + "********" + ID_B[14:]


def test_lowercase_x_is_found_and_masked_upper():
    hits = find_pii(f"身份证号 {PUBLISHED_ID.lower()}。")
    assert [h.masked for h in hits] == ["110105********002X"]


def test_wrong_check_digit_is_not_flagged():
    assert find_pii(f"身份证号：{wrong_check(PUBLISHED_ID)}") == []
    assert find_pii(f"张三 {wrong_check(ID_A)}") == []


@pytest.mark.parametrize("area,born", [
    ("110105", "19491331"),  # month 13
    ("110105", "19490230"),  # 30 February
    ("110105", "19010229"),  # 1901 is not a leap year
    ("110105", "18991231"),  # before 1900
    ("110105", (date.today() + timedelta(days=400)).strftime("%Y%m%d")),  # not born yet
    ("910105", "19850317"),  # area code must start 1–8
    ("010105", "19850317"),
])
def test_implausible_ids_with_valid_checksums_are_not_flagged(area, born):
    number = make_id(area, born, "123")
    assert id_checksum_ok(number)
    assert find_pii(f"身份证号：{number}") == []


def test_id_containing_a_mobile_like_run_is_reported_once_as_id():
    assert "19491231002" in PUBLISHED_ID  # 1[3-9] and nine digits: mobile-shaped
    assert kinds(PUBLISHED_ID) == [("id_card", PUBLISHED_ID)]
    mobile_inside = make_id("513013", "19800808", "000")  # '13198008080' sits inside
    assert kinds(f"身份证:{mobile_inside}") == [("id_card", mobile_inside)]


def test_gansu_id_that_also_passes_luhn_is_an_id_not_a_card():
    # 甘肃 area codes start 62, like UnionPay cards; pick an ID ending in a digit that is also Luhn-valid
    number = next(n for s in range(1000) if luhn_ok(n := make_id("620102", "19900101", f"{s:03d}")))
    assert kinds(f"户主 {number}") == [("id_card", number)]
    # and an ID-shaped number with a wrong check digit that passes Luhn is neither
    fake = next(n for s in range(1000) if not id_checksum_ok(n := luhn_complete("62010219900101" + f"{s:03d}")))
    assert luhn_ok(fake) and find_pii(f"户主 {fake}") == []


def test_fifteen_digit_ids_need_a_cue_and_a_valid_date():
    old = "110105491231002"  # first-generation: born 1949-12-31
    assert [(h.kind, h.masked) for h in find_pii(f"身份证号：{old}")] == [("id_card", "110105******002")]
    assert kinds(f"公民身份号码 {old}") == [("id_card", old)]
    assert kinds(f"证件号码:{old}，") == [("id_card", old)]
    assert find_pii(f"编号：{old}") == []
    assert find_pii(old) == []
    assert find_pii("身份证号：110105491331002") == []  # month 13
    assert find_pii(f"身份证号码在下表中列出，请各单位注意核对：{old}") == []  # cue too far away


@pytest.mark.parametrize("masked", [
    "110105********1234", "1101051949****1234", "11010519491231****", "110105200512011***", "110105*****1231002X",
    "110105××××××××002X",
])
def test_ids_already_masked_by_the_site_are_not_leaks(masked):
    assert find_pii(f"身份证号码：{masked}") == []


def test_numbers_masked_at_the_front_are_not_leaks():
    assert kinds(f"卡号：{VISA_TEST}") == [("bank_card", VISA_TEST)]
    assert find_pii(f"卡号：***{VISA_TEST}") == []  # a 19-digit card with its first three digits hidden
    assert find_pii("身份证号：×××110105491231002") == []


# --- mobile numbers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+86-138-0013-8000", "+8613800138000",
    "8613800138000", "86 13800138000", "(+86)13800138000", "（＋８６）１３８００１３８０００", "138　0013　8000",
    "１３８００１３８０００",
])
def test_mobile_spellings_in_a_sentence(spelling):
    text = f"如有疑问请联系王老师，手机{spelling}，工作日办理。"
    hits = find_pii(text)
    assert [(h.kind, text[h.start:h.end], h.masked) for h in hits] == [("mobile", spelling, "138****8000")]
    assert redact(text)[0] == "如有疑问请联系王老师，手机〔已隐去手机号〕，工作日办理。"


def test_mobile_prefixes_and_ranges():
    assert [h.masked for h in find_pii("19912345678、15011112222/17722223333")] == ["199****5678", "150****2222", "177****3333"]


@pytest.mark.parametrize("text", [
    "联系电话：0310-1234567", "联系电话：(0310)1234567", "电话（0310）12345678", "市民热线12345", "服务热线400-123-4567",
    "咨询电话：0310-2345678、0310-3456789", "12800138000", "10800138000", "113800138000", "138001380001",
    "138 0013 8000 1234", "2023-138-0013-8000", "合计13800138000.50元", "0.13800138000", "ABC13800138000",
    "13800138000X", "138-0013 8000",
])
def test_not_mobiles(text):
    assert [h for h in find_pii(text) if h.kind == "mobile"] == []


# --- bank cards ----------------------------------------------------------------------------------------------------


def test_unionpay_cards_are_found_without_a_cue():
    assert len(CARD_62) == 19 and luhn_ok(CARD_62)
    for spelling in (CARD_62, group4(CARD_62), group4(CARD_62, "-"), CARD_62_16, group4(CARD_62_16)):
        text = f"补贴发放至{spelling}。"
        hits = find_pii(text)
        digits = spelling.replace(" ", "").replace("-", "")
        assert [(h.kind, text[h.start:h.end], h.masked) for h in hits] == \
            [("bank_card", spelling, f"{digits[:4]} **** **** {digits[-4:]}")], spelling


def test_card_mask_format():
    card = luhn_complete("622202020000123")  # 16 digits ending ...1234-ish
    hit, = find_pii(group4(card))
    assert hit.masked == f"6222 **** **** {card[-4:]}"


def test_luhn_invalid_cards_are_not_flagged():
    assert find_pii(f"卡号：{luhn_break(CARD_62)}") == []
    assert find_pii(f"银行卡号 {group4(luhn_break(CARD_62_16))}") == []


def test_non_unionpay_cards_need_a_cue():
    assert find_pii(f"序列号{VISA_TEST}") == []
    assert kinds(f"卡号：{VISA_TEST}") == [("bank_card", VISA_TEST)]
    assert kinds(f"开户行：农业银行 账号：{group4(VISA_TEST)}") == [("bank_card", group4(VISA_TEST))]


def test_cards_inside_longer_runs_are_not_flagged():
    assert find_pii(CARD_62 + "0") == []
    assert find_pii("9" + CARD_62) == []
    assert find_pii(group4(CARD_62_16) + " 5678") == []  # a fifth group: some longer grouped number
    assert find_pii("1234 " + group4(CARD_62_16)) == []


# --- metadata that must stay ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "索引号：000014349/2023-00059", "索引号：11130400MB1234567X/2023-00012", "索引号：PZ00101-1700-2023-00059",
    "索引号 PZ13800-1380-0138-0000", "索引号：HB0101-2023-13800138000", "批次 A-11010519491231002X", "统一社会信用代码：91130400MA0A1B2C3D", "统一社会信用代码：12130400400012345X",
    "成文日期：20230511", "发布日期：2023-05-11", "金额：1234567.89元", "合计 12345678901.23 元", "冀政规〔2023〕5号",
    "邯政办字〔2023〕138号", "项目编号：HBZC2023-13800138000-01", "流水号 12345678901234567890123",
    "编号 123456789012345678", "证书编号：20231380013800001", "文件下载：附件1.xlsx（0.13MB）",
])
def test_disclosure_metadata_is_not_flagged(text):
    assert find_pii(text) == []


def test_a_whole_metadata_block_is_not_flagged():
    page = ("索引号：000014349/2023-00059 主题分类：综合政务 发布机构：芦河县人民政府办公室 成文日期：20230511 "
            "文号：冀政规〔2023〕5号 统一社会信用代码：11130400MB1234567X 咨询电话：0310-1234567 监督电话：12345 "
            "预算金额：1234567.89元 项目编号：PZ00101-1700-2023-00059")
    assert find_pii(page) == []
    assert redact(page) == (page, [])


# --- full width, attachments, redaction ----------------------------------------------------------------------------


def test_full_width_digits_keep_original_spans():
    wide = PUBLISHED_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    text = f"身份证号：{wide}，电话：１３９ ００１３ ９０００"
    hits = find_pii(text)
    assert [(h.kind, text[h.start:h.end], h.masked) for h in hits] == [
        ("id_card", wide, "110105********002X"), ("mobile", "１３９ ００１３ ９０００", "139****9000")]


def test_attachment_names():
    assert kinds(f"张三身份证{PUBLISHED_ID}.pdf") == [("id_card", PUBLISHED_ID)]
    assert kinds("13800138000_李四_报名表.docx") == [("mobile", "13800138000")]
    assert find_pii("附件2：2023年第13800批次名单.xlsx") == []


def test_redact_exact_output_with_all_three_kinds():
    text = (f"经公示无异议，名单如下：张三，身份证号{PUBLISHED_ID}，联系电话138-0013-8000，"
            f"补贴发放账户{group4(CARD_62)}；李四，身份证号{ID_A.lower()}，联系电话 +86 13912345678。")
    out, hits = redact(text)
    assert out == ("经公示无异议，名单如下：张三，身份证号〔已隐去身份证号〕，联系电话〔已隐去手机号〕，"
                   "补贴发放账户〔已隐去银行卡号〕；李四，身份证号〔已隐去身份证号〕，联系电话 〔已隐去手机号〕。")
    assert [h.kind for h in hits] == ["id_card", "mobile", "bank_card", "id_card", "mobile"]
    assert [h.masked for h in hits] == ["110105********002X", "138****8000", f"6222 **** **** {CARD_62[-4:]}",
                                        ID_A[:6] + "********" + ID_A[14:].upper(), "139****5678"]
    assert hits == find_pii(text)
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))


def test_redact_without_hits_returns_the_text_unchanged():
    assert redact("") == ("", [])
    assert redact("本通知自发布之日起施行。") == ("本通知自发布之日起施行。", [])


def test_hits_are_frozen():
    hit, = find_pii("13800138000")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.start = 0  # type: ignore[misc]


def test_many_documents_scan_with_the_precheck():
    clean = "芦河县人民政府关于印发实施细则的通知。索引号：000014349/2023-00059，成文日期：2023年05月11日。" * 40
    docs = [clean] * 2000 + [clean + f"联系人手机{13800000000 + i}" for i in range(50)]
    found = [find_pii(d) for d in docs]
    assert sum(1 for f in found if f) == 50
    assert all(f[0].masked.startswith("138****") for f in found if f)


# Spellings people really type, each with the kind it must be found as (issue 14), and public numbers that must stay.
SPELLED = [
    ("身份证号：110105 19491231 002X", "id_card"), ("110105-19491231-002X", "id_card"),
    ("110105\u300019491231\u3000002X", "id_card"), ("1101051949\u200b1231002X", "id_card"),
    ("110105.19491231.002x", "id_card"), ("１１０１０５１９４９１２３１００２Ｘ", "id_card"),
    ("电话：138–0013–8000", "mobile"), ("138—0013—8000", "mobile"), ("138−0013−8000", "mobile"),
    ("138.0013.8000", "mobile"), ("138\u200b0013\u200b8000", "mobile"), ("138\u00ad0013\u00ad8000", "mobile"),
    ("Tel13800138000", "mobile"), ("TEL:13800138000", "mobile"), ("mobile 13800138000", "mobile"),
    ("+86 138 0013 8000", "mobile"), ("１３８００１３８０００", "mobile"), ("138 \u200b0013 8000", "mobile"),
]
PUBLIC = ["项目金额13800138000元", "合计 13800138000 元", "￥13800138000", "索引号：13800138000",
          "统一社会信用代码 91110105MA01ABCD2X", "0310-1234567", "12345", "2024.13800138000",
          "发布时间 1700000000000", "PZ00101-1700-2023-00059", "110105********002X"]


@pytest.mark.parametrize("text, kind", SPELLED)
def test_every_common_spelling_is_found_and_redacted_whole(text, kind):
    hits = find_pii(text)
    assert [h.kind for h in hits] == [kind], text
    masked, _ = redact(text)
    assert not any(ch.isdigit() for ch in unicodedata.normalize("NFKC", masked).replace("86", "", 1)), masked


@pytest.mark.parametrize("text", PUBLIC)
def test_public_numbers_are_left_alone(text):
    assert find_pii(text) == [], text


def test_the_scan_finds_a_number_deep_in_a_one_line_file_in_bounded_pieces(tmp_path):
    """A search index is one line of hundreds of MB: scanned in pieces, and a number is never cut between two."""
    from gongkai.release.screen import PIECE, scan_release

    card = "11010519491231002X"
    row = '{"t":"关于印发工作方案的通知","u":"/t1.html"},'
    filler = row * (3 * PIECE // len(row.encode()))
    (tmp_path / "search-index.js").write_text(f"var INDEX=[{filler}{{\"t\":\"联系人身份证 {card}\"}},{filler}];",
                                              encoding="utf-8")
    (tmp_path / "clean.js").write_text(f"var INDEX=[{filler}];", encoding="utf-8")
    found = scan_release(tmp_path)
    assert [(f["file"], f["kind"]) for f in found] == [("search-index.js", "id_card")]


def _normalised_one_by_one(text: str) -> tuple[str, list[int]]:
    """The normalisation's rule read character by character, as its docstring states it (the reference)."""
    folded = "".join(unicodedata.normalize("NFKC", c) if len(unicodedata.normalize("NFKC", c)) == 1
                     and unicodedata.normalize("NFKC", c).isascii() and ord(c) < 0x10000 else c for c in text)
    out, where, previous_sep = [], [], False
    for i, ch in enumerate(folded):
        if ch in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
            ch = "-"
        elif ch.isspace():
            ch = " "
        elif unicodedata.category(ch) == "Cf":
            continue
        sep = ch in " -."
        if sep and previous_sep:
            continue
        out.append(ch)
        where.append(i)
        previous_sep = sep
    return "".join(out), where


def test_the_normalisation_rewrites_only_irregular_stretches_and_agrees_with_the_rule():
    """The fast path (irregular stretches only) gives the same text and index map as the rule applied to every
    character, on random mixes of digits, CJK, every kind of space, dash, dot and format character, and astral ones."""
    from gongkai.release.privacy import _normalised

    alphabet = list("0123456789１２３Ｘx 公示身份证号.-—–－\t\n\u3000\u00a0\u200b\u200d\ufeff\u00ad\u2060") + \
        ["\U000e0001", "\U0001f600", "\U000110bd", "\u2028", "·"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        norm, where = _normalised(text)
        assert (norm, list(where)) == _normalised_one_by_one(text), repr(text)


def test_suspects_are_the_texts_the_precheck_passes_and_no_run_crosses_two_texts():
    from gongkai.release.privacy import _has_long_digit_run, suspects

    rng = random.Random(5)
    pieces = ["138", "0013", "8000", " ", "-", "\u200b", "公示", "a", "", None, "１３８", ".", "\n"]
    for _ in range(2000):
        texts = ["".join(p for p in rng.choices(pieces, k=rng.randint(0, 6)) if p) or rng.choice(["", None])
                 for _ in range(rng.randint(0, 6))]
        assert suspects(texts) == [i for i, t in enumerate(texts) if t and _has_long_digit_run(t)], texts


SEPARATORS = [" ", "-", ".", "\t", "\n", "\r\n", "\x1c", "\x85", "\u00a0", "\u00ad", "\u00b7", "\u1680", "\u2007",
              "\u200b", "\u2010", "\u2014", "\u2028", "\u2060", "\u2212", "\u3000", "\ufe58", "\ufeff", "\uff0d",
              "\uff0e", "\ufe52", "\U000e0001", "\U0001d7ce"]


def test_the_vectorised_precheck_is_the_python_rule_on_every_kind_of_separator():
    """suspects (one RE2 pass in Arrow) passes exactly the texts _has_long_digit_run (Python's re) passes, on mixes of
    digits as the patterns read them (full-width, circled, superscript), separators of every kind and others."""
    from gongkai.release.privacy import _has_long_digit_run, suspects

    rng = random.Random(8)
    pieces = ["1", "38", "0013", "８０", "①", "²", "a", "公", "*", "\x00", *SEPARATORS]
    for _ in range(300):
        texts = ["".join(rng.choices(pieces, k=rng.randint(0, 30))) for _ in range(50)]
        assert suspects(texts) == [i for i, t in enumerate(texts) if _has_long_digit_run(t)]


def test_reading_a_long_text_around_its_digit_runs_finds_what_reading_it_whole_finds():
    """find_pii reads only the windows around runs of 11+ digits; on long random texts mixing real numbers with cues
    (身份证, 卡号, 索引号, 元, +86, Tel), masks, letters, full-width and circled digits and every kind of separator, at
    any distance from each other, it finds the same hits at the same spans as the rule applied to the whole text (so
    a text the pre-check drops has none either)."""
    from gongkai.release.privacy import _has_long_digit_run, _hits_in

    rng = random.Random(13)
    numbers = [PUBLISHED_ID, ID_A, ID_B, "13800138000", "138 0013 8000", "１３９１２３４５６７８", "6222021234567890128",
               group4("6222021234567890128"), luhn_complete("411111111111111"), "130402850317123", "12345678901234",
               "2026120312345"]
    words = ["身份证号：", "卡号", "开户银行", "索引号：", "元", "万元", " RMB", "+86", "(+86) ", "0086-", "Tel", "mobile:",
             "×", "*", "X", "a", "公示名单", "①", "²", "7", "12", "2024", "\uff10", *SEPARATORS]
    filler = "各乡镇人民政府，县直各部门：现将有关事项通知如下。"
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(rng.choice(numbers) if rng.random() < 0.4 else rng.choice(words))
            if rng.random() < 0.5:  # a cue anywhere from glued on to well beyond the 12 characters it may stand
                parts.append(filler[:rng.randint(0, 16)] * rng.randint(1, 3))
        text = "".join(parts)
        hits = _hits_in(text)
        assert find_pii(text) == hits, repr(text)
        assert _has_long_digit_run(text) or not hits, repr(text)


def test_a_cue_far_away_in_characters_but_near_once_invisible_ones_are_dropped_still_counts():
    """The window around a number counts the characters the rule reads, not the invisible ones it drops: a 15-digit
    ID behind 身份证 and a hundred zero-width spaces is found, in a long text, as in a short one."""
    text = "公示名单。" * 200 + "身份证" + "\u200b" * 100 + "号码：130402850317123，" + "公示名单。" * 200
    assert kinds(text) == [("id_card", "130402850317123")]
    assert kinds("身份证" + "\u200b" * 100 + "号码：130402850317123") == kinds(text)
