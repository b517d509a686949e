"""The privacy screen (公开前审查) run over text fields and attachment names before a public release.

County pages sometimes leak personal data, mostly in 公示 lists. Three kinds are found and redacted:

* ``id_card`` — 居民身份证号码 (GB 11643-1999). 18 characters, the last may be X: the first digit of the
  area code (地址码) is 1–8, the birth date (出生日期码, YYYYMMDD) lies between 1900-01-01 and today (Beijing),
  and the check character (校验码, ISO 7064 MOD 11-2) is right. First-generation 15-digit numbers (YYMMDD,
  19xx) are only taken when a cue (身份证 / 身份号码 / 证件号) stands within 12 characters before them:
  fifteen bare digits are too ambiguous.
* ``mobile`` — 手机号: ``1[3-9]`` and nine more digits, optionally after +86 / 86 / 0086 / (+86), either
  unbroken or grouped 3-4-4 by one space or hyphen. 固定电话 (0310-1234567) and hotlines (12345) are public.
* ``bank_card`` — 银行卡号: 16–19 digits, unbroken or in groups of four joined by one space or hyphen, passing
  the Luhn check. Numbers starting 62 (银联 UnionPay) need nothing more; any other number needs a cue
  (卡号 / 账号 / 帐号 / 账户 / 帐户 / 银行 / 开户) within 12 characters before it, so long serial numbers
  that happen to pass Luhn (one in ten does) are left alone. An 18-digit number shaped like an ID (area digit
  1–8 and a plausible birth date) is never a bank card, even when its ID check digit is wrong.

A candidate must stand on its own: it is not part of a longer run of digits or letters (索引号, 统一社会信用代码,
serials), not joined by a hyphen to more of them (``PZ00101-1700-2023-00059``), not part of a decimal amount,
and not next to ``*`` or ``×`` (numbers the site already masked, e.g. ``110105********1234``, are not leaks).
A grouped number (``138 0013 8000``) must not continue with another digit group on either side. The price of
the letter rule: a number glued to Latin letters (``Tel13800138000``) is taken for a code and missed.

Full-width digits are matched: every character whose NFKC form is one ASCII character (１, Ｘ, ＋, U+3000 …) is
folded to it first. That fold keeps the length, so spans always index the original text.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from gongkai.schemas.clock import china_today

MARKERS = {"id_card": "〔已隐去身份证号〕", "mobile": "〔已隐去手机号〕", "bank_card": "〔已隐去银行卡号〕"}
CUE_WINDOW = 12  # characters before a candidate searched for a cue word

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # check character by (weighted sum mod 11)

# Boundaries shared by every pattern: no digit, letter or mask character on either side, no hyphen-joined
# alphanumerics (index numbers), no decimal point followed by digits (money). _AFTER_FIRST is the left boundary
# checked just after a pattern's first character, so that each pattern opens with a plain character and the
# regex engine can skip ahead quickly; _LEFT is the same boundary checked where it stands.
_LEFT = r"(?<![0-9A-Za-z*×])(?<![0-9A-Za-z]-)(?<![0-9]\.)"
_AFTER_FIRST = r"(?<![0-9A-Za-z*×].)(?<![0-9A-Za-z]-.)(?<![0-9]\..)"
_RIGHT = r"(?![0-9A-Za-z*×])(?!-[0-9A-Za-z])(?!\.[0-9])"

# Separators people type inside a number: every space, every dash (- ‐ ‑ ‒ – — ― − －), dots, and the invisible
# format characters (zero-width space, joiners, BOM, soft hyphen) that copy-paste leaves behind.
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_SEP = r"[ \-.]"
_ID18 = re.compile(r"[1-8]" + _AFTER_FIRST + rf"[0-9]{{5}}(?P<sep>{_SEP}?)[0-9]{{8}}(?P=sep)[0-9]{{3}}[0-9Xx]" + _RIGHT)
_ID15 = re.compile(r"[1-8]" + _AFTER_FIRST + r"[0-9]{14}" + _RIGHT)
_MOBILE_TAIL = rf"[3-9][0-9](?P<sep>{_SEP}?)[0-9]{{4}}(?P=sep)[0-9]{{4}}" + _RIGHT  # after the leading 1
_MOBILE = re.compile(r"1" + _AFTER_FIRST + _MOBILE_TAIL)
_MOBILE_86 = re.compile(_LEFT + r"(?:\(\+?86\) ?|(?:\+|00)?86[ \-]?)1" + _MOBILE_TAIL)  # +86 / 86 / 0086 / (+86)
# a number glued to a telephone label in Latin letters (Tel13800138000, MOBILE:13800138000)
_LABELS = ("tel", "mob", "phone", "cell", "hp")  # lower case: what (?i) matches of them lower() gives (checked)
_MOBILE_LABELLED = re.compile(r"(?i)(?<![a-z])(?:tel|mobile|mob|phone|cell|hp)[:.]? ?(?P<number>1" + _MOBILE_TAIL + ")")
_CARD = re.compile(r"[0-9]" + _AFTER_FIRST + rf"(?:[0-9]{{3}}(?P<sep>{_SEP})[0-9]{{4}}(?P=sep)[0-9]{{4}}(?P=sep)[0-9]{{4}}"
                   r"(?:(?P=sep)[0-9]{1,3})?|[0-9]{15,18})" + _RIGHT)
# Public numbers that look like a mobile: an amount (13800138000元, ￥13800138000), an index number or a timestamp.
_AMOUNT_AFTER = re.compile(r" ?(?:元|万元|亿元|万|亿|美元|RMB|CNY)")
_PUBLIC_CUE = re.compile(r"[￥¥]|索引号|信用代码|编号|时间戳|timestamp", re.IGNORECASE)
_ID_CUE = re.compile(r"身份证|身份号码|证件号")
_CARD_CUE = re.compile(r"卡号|账号|帐号|账户|帐户|银行|开户")
_PRIORITY = {"id_card": 0, "bank_card": 1, "mobile": 2}


@dataclass(frozen=True)
class PiiHit:
    """One piece of personal data: its kind, its span in the scanned text and a masked form for reports."""
    kind: str  # 'id_card' | 'mobile' | 'bank_card'
    start: int
    end: int
    masked: str  # e.g. '110105********123X', '138****8000', '6222 **** **** 1234'


def _bmp_classes() -> tuple[dict[str, str], str, str]:
    """(every BMP character whose NFKC form is one ASCII character: full-width digits and letters, U+3000, NBSP …;
    every BMP format character, category Cf: zero-width space, joiners, BOM, soft hyphen …; every non-ASCII BMP
    space)."""
    forms, formats, spaces = {}, [], []
    for code in range(0x80, 0x10000):
        ch = chr(code)
        nfkc = unicodedata.normalize("NFKC", ch)
        if len(nfkc) == 1 and nfkc.isascii():
            forms[ch] = nfkc
        if unicodedata.category(ch) == "Cf":
            formats.append(ch)
        if ch.isspace():
            spaces.append(ch)
    return forms, "".join(formats), "".join(spaces)


_ASCII_FORMS, _FORMATS, _BMP_SPACES = _bmp_classes()  # some 350, 150 and 20 characters, built in ~30 ms at import
_FOLD_TABLE = str.maketrans(_ASCII_FORMS)


def _fold(text: str) -> str:
    """NFKC for matching, one character for one so that spans stay those of the original text."""
    return text if text.isascii() else text.translate(_FOLD_TABLE)


def id_checksum_ok(number: str) -> bool:
    """True when an 18-character 居民身份证号码 has the right 校验码 (ISO 7064 MOD 11-2); x and X both accepted."""
    number = _fold(number)
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", number):
        return False
    return _ID_CHECK[sum(int(d) * w for d, w in zip(number, _ID_WEIGHTS, strict=False)) % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """True when a string of ASCII digits (a 银行卡号 without separators) passes the Luhn check."""
    if not (digits.isascii() and digits.isdigit()) or len(digits) < 2:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


# What _normalised must rewrite character by character: a run of two or more separators (spaces, dashes, dots) and
# format characters, or one character that is not read as itself (a dash other than '-', a space other than ' ', a
# format character), any character beyond the BMP (whose category is looked up there) counted in both. Everything
# between is copied.
_STRETCH = "".join(sorted(_DASHES | set(_FORMATS)))
_ASTRAL = "\U00010000-\U0010FFFF"
_IRREGULAR = re.compile(rf"[\s.{re.escape(_STRETCH)}{_ASTRAL}]{{2,}}|[^\S ]|[{re.escape(_STRETCH.replace('-', ''))}{_ASTRAL}]")


def _normalised(text: str) -> tuple[str, list[int] | range]:
    """The text as the patterns read it, and for each of its characters the index of the original one: NFKC-folded
    (full-width digits, U+3000), invisible format characters removed, every dash read as '-', every space as ' ',
    and a run of separators read as its first.

    Only the irregular stretches are rewritten one character at a time; a maximal run starts after a character that
    is no separator, so each is rewritten on its own."""
    folded = _fold(text)
    stretches = list(_IRREGULAR.finditer(folded))
    if not stretches:
        return folded, range(len(folded))
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in stretches:
        start, end = m.span()
        out.append(folded[pos:start])
        where.extend(range(pos, start))
        previous_sep = False
        for i in range(start, end):
            ch = folded[i]
            if ch in _DASHES:
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
        pos = end
    out.append(folded[pos:])
    where.extend(range(pos, len(folded)))
    return "".join(out), where


def _public_number(s: str, start: int, end: int) -> bool:
    """An amount in 元, or a number a cue names as public (索引号, 编号, ￥ …) just before it."""
    return _AMOUNT_AFTER.match(s, end) is not None or _PUBLIC_CUE.search(s, max(0, start - 6), start) is not None


def _birth_ok(year: int, month: int, day: int, today: date) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def _id_shaped(digits: str, today: date) -> bool:
    """An 18-character run with an ID's area digit and a plausible birth date, whatever its check character."""
    return digits[0] in "12345678" and _birth_ok(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]), today)


def _cue_before(cue: re.Pattern, s: str, start: int) -> bool:
    return cue.search(s, max(0, start - CUE_WINDOW), start) is not None


def _isolated_group(s: str, start: int, end: int) -> bool:
    """A space- or hyphen-grouped number must not continue with more groups on either side."""
    before = s[max(0, start - 2):start]
    after = s[end:end + 2]
    return not (len(before) == 2 and before[1] in " -" and before[0].isdigit()) and \
        not (len(after) == 2 and after[0] in " -" and after[1].isdigit())


def _candidates(s: str):
    today = None
    for m in _ID18.finditer(s):
        if m["sep"] and not _isolated_group(s, m.start(), m.end()):
            continue
        number = re.sub(r"[ \-.]", "", m.group())
        today = today or china_today()
        if id_checksum_ok(number) and _id_shaped(number, today):
            yield PiiHit("id_card", m.start(), m.end(), number[:6] + "*" * 8 + number[14:].upper())
    for m in _ID15.finditer(s) if _ID_CUE.search(s) else ():
        number = m.group()
        today = today or china_today()
        if _birth_ok(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), today) \
                and _cue_before(_ID_CUE, s, m.start()):
            yield PiiHit("id_card", m.start(), m.end(), number[:6] + "*" * 6 + number[12:])
    mobiles = [(m, *m.span()) for m in itertools.chain(_MOBILE_86.finditer(s) if "86" in s else (), _MOBILE.finditer(s))]
    lower = s.lower()
    if any(label in lower for label in _LABELS):  # the label is not redacted
        mobiles += [(m, *m.span("number")) for m in _MOBILE_LABELLED.finditer(s)]
    for m, start, end in mobiles:
        if m["sep"] and not _isolated_group(s, start, end) or _public_number(s, start, end):
            continue
        digits = re.sub(r"[^0-9]", "", s[start:end])[-11:]
        yield PiiHit("mobile", start, end, f"{digits[:3]}****{digits[7:]}")
    for m in _CARD.finditer(s):
        if m["sep"] and not _isolated_group(s, m.start(), m.end()):
            continue
        digits = re.sub(r"[ \-.]", "", m.group())
        today = today or china_today()
        if len(digits) == 18 and _id_shaped(digits, today):
            continue
        if luhn_ok(digits) and (digits.startswith("62") or _cue_before(_CARD_CUE, s, m.start())):
            yield PiiHit("bank_card", m.start(), m.end(), f"{digits[:4]} **** **** {digits[-4:]}")


def find_pii(text: str) -> list[PiiHit]:
    """Personal data in ``text``, sorted by start and non-overlapping.

    Where candidates overlap an ID wins over a card, a card over a mobile, and the earlier, longer span over a
    later one (``+86 13800138000`` is one hit with its prefix).

    Only the neighbourhood of each run of 11 or more digits is read (_windows): a long text (a report, a CSV line,
    a piece of a search index) is not normalised whole for the sake of one number in it.
    """
    return [PiiHit(h.kind, h.start + start, h.end + start, h.masked)
            for start, end in _windows(text) for h in _hits_in(text[start:end])]


def _hits_in(text: str) -> list[PiiHit]:
    """find_pii's rule applied to the whole of ``text``."""
    norm, where = _normalised(text)
    chosen: list[PiiHit] = []
    for hit in sorted(_candidates(norm), key=lambda h: (_PRIORITY[h.kind], h.start, -h.end)):
        if all(hit.end <= c.start or c.end <= hit.start for c in chosen):
            chosen.append(hit)
    # spans back in the original text (what the separators and invisible characters were, they go with the number)
    return sorted((PiiHit(h.kind, where[h.start], where[h.end - 1] + 1, h.masked) for h in chosen),
                  key=lambda h: h.start)


def _run_classes() -> tuple[str, str]:
    """(every character the patterns read as a digit once folded; every BMP one they may read as a separator or drop:
    those folding to a space, a dash or a dot, and format characters)."""
    digits = "0123456789" + "".join(ch for ch, a in _ASCII_FORMS.items() if a.isdigit())
    joins = "".join(chr(c) for c in range(0x80) if chr(c).isspace()) + ".-" + "".join(_DASHES) + _FORMATS + \
        "".join(ch for ch, a in _ASCII_FORMS.items() if a.isspace() or a in "-.") + _BMP_SPACES
    return digits, "".join(sorted(set(joins)))


# A run that may hold a number: 11 or more digits joined only by separators. Every hit's digits lie in one, so a text
# without a run has none (the pre-check), and a run's neighbourhood is all find_pii must read. Characters beyond the
# BMP count as separators (_fold leaves them alone and _normalised drops the format ones): a superset is safe.
_DIGITS, _JOINS = _run_classes()
_DIGIT = f"[{re.escape(_DIGITS)}]"
_JOIN = re.compile(f"[{re.escape(_JOINS)}{_ASTRAL}]")
_DIGIT_RUN = re.compile(rf"{_DIGIT}(?:{_JOIN.pattern}*{_DIGIT}){{10,}}")
CONTEXT = 32  # characters other than separators read on each side of a run: more than any cue, prefix or suffix


def _re2_class(chars: str) -> str:
    """`chars` as the body of an RE2 character class, in ranges of code points."""
    ranges: list[list[int]] = []
    for code in sorted(map(ord, chars)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(rf"\x{{{a:x}}}" if a == b else rf"\x{{{a:x}}}-\x{{{b:x}}}" for a, b in ranges)


# _DIGIT_RUN for Arrow's vectorised RE2 kernel (its escapes and \s are not Python's, so the classes are spelled out)
_DIGIT_RUN_RE2 = r"[{d}](?:[{j}\x{{10000}}-\x{{10ffff}}]*[{d}]){{10}}".format(d=_re2_class(_DIGITS),
                                                                              j=_re2_class(_JOINS))


def _has_long_digit_run(text: str) -> bool:
    """The cheap pre-check: does the text hold a digit run (11 or more digits joined only by separators)? Most texts
    stop here."""
    return _DIGIT_RUN.search(text) is not None


def suspects(texts: list | pa.Array | pa.ChunkedArray) -> list[int]:
    """The indices of the texts (None allowed) that pass the pre-check, in order: one vectorised RE2 pass over a
    batch (an Arrow string array is taken as it is), not a Python regex per value."""
    if not isinstance(texts, pa.Array | pa.ChunkedArray):
        texts = pa.array(texts, pa.large_string())
    hit = pc.fill_null(pc.match_substring_regex(texts, _DIGIT_RUN_RE2), False)
    return pc.indices_nonzero(hit).to_pylist()


def _windows(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` find_pii reads: each digit run with at least CONTEXT characters that are not separators
    on each side (so every cue, label, +86 prefix, amount word and boundary a pattern looks at falls inside, however
    many invisible characters stand between), overlapping spans merged."""
    spans: list[tuple[int, int]] = []
    for m in _DIGIT_RUN.finditer(text):
        start, end = _reach(text, m.start(), -1), _reach(text, m.end(), 1)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _reach(text: str, pos: int, step: int) -> int:
    """The position CONTEXT characters other than separators away from `pos` (before it for step -1, after it for
    +1), or the text's edge: twice CONTEXT characters are enough unless separators crowd them."""
    width = 2 * CONTEXT
    while True:
        edge = max(0, pos - width) if step < 0 else min(len(text), pos + width)
        span = text[edge:pos] if step < 0 else text[pos:edge]
        if edge in (0, len(text)) or len(span) - len(_JOIN.findall(span)) >= CONTEXT:
            return edge
        width *= 2


def redact(text: str) -> tuple[str, list[PiiHit]]:
    """``text`` with every hit replaced by its marker (〔已隐去身份证号〕, 〔已隐去手机号〕, 〔已隐去银行卡号〕), and the hits."""
    hits = find_pii(text)
    if not hits:
        return text, hits
    parts, pos = [], 0
    for hit in hits:
        parts += [text[pos:hit.start], MARKERS[hit.kind]]
        pos = hit.end
    parts.append(text[pos:])
    return "".join(parts), hits
