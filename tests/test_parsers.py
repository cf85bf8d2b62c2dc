"""Dates, text normalisation, adoption and instruction text: table-driven cases plus hypothesis."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govxl.normalise.config import default_config
from govxl.normalise.dates import parse_date
from govxl.normalise.rules import RuleBook, mark_value, parse_adoption_text, parse_instruction_text
from govxl.normalise.text import norm, norm_title, split_segments


@pytest.mark.parametrize("raw, expected", [
    ("2024-10-05", dt.datetime(2024, 10, 5)),
    ("2024/10/5", dt.datetime(2024, 10, 5)),
    ("2024.10.5", dt.datetime(2024, 10, 5)),
    ("2024年10月5日", dt.datetime(2024, 10, 5)),
    ("2024年10月5号", dt.datetime(2024, 10, 5)),
    ("20241005", dt.datetime(2024, 10, 5)),
    (20241005, dt.datetime(2024, 10, 5)),
    ("2024-10-05 08:30", dt.datetime(2024, 10, 5, 8, 30)),
    ("2024/10/5 8:30:15", dt.datetime(2024, 10, 5, 8, 30, 15)),
    ("2024年10月5日 14时20分", dt.datetime(2024, 10, 5, 14, 20)),
    ("２０２４－１０－０５", dt.datetime(2024, 10, 5)),  # full-width, as typed with a Chinese IME
    (45570.0, dt.datetime(2024, 10, 5)),  # Excel serial number
    ("45570", dt.datetime(2024, 10, 5)),  # serial exported to CSV
    (45570.5, dt.datetime(2024, 10, 5, 12, 0)),
    (dt.datetime(2024, 10, 5, 9, 0), dt.datetime(2024, 10, 5, 9, 0)),
    (dt.date(2024, 10, 5), dt.datetime(2024, 10, 5)),
])
def test_date_forms(raw, expected):
    pd = parse_date(raw, 2024)
    assert pd.error is None and pd.warning is None
    assert pd.value == expected


def test_date_without_year_takes_period_year_and_warns():
    pd = parse_date("10月5日", 2025)
    assert pd.value == dt.datetime(2025, 10, 5)
    assert "缺少年份" in pd.warning


@pytest.mark.parametrize("raw", ["2024-13-01", "2024-02-30", "明天", "10/5/24x", 12.0, "2024年", dt.time(8, 0), True])
def test_unreadable_dates_are_errors(raw):
    pd = parse_date(raw, 2024)
    assert pd.value is None and pd.error


def test_blank_date_is_neither():
    assert parse_date("", 2024) == (None, None, None)
    assert parse_date(None, 2024) == (None, None, None)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_date_text_round_trip(d):
    d = d.replace(second=0, microsecond=0)
    for text in (f"{d:%Y-%m-%d %H:%M}", f"{d.year}/{d.month}/{d.day} {d.hour}:{d.minute:02d}",
                 f"{d.year}年{d.month}月{d.day}日 {d.hour}:{d.minute:02d}"):
        assert parse_date(text, 2000).value == d
    assert parse_date(f"{d:%Y%m%d}", 2000).value == d.replace(hour=0, minute=0)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers(), st.none()))
def test_parse_date_never_raises(v):
    pd = parse_date(v, 2024)
    assert pd.value is None or isinstance(pd.value, dt.datetime)
    assert not (pd.value is not None and pd.error)


def test_title_normalisation():
    assert norm_title("城关镇：推进 “秋粮” 收购！") == norm_title("城关镇推进秋粮收购")
    assert norm_title("ＡＢＣ１２３") == "abc123"
    assert norm(" 县 教育局\u3000") == "县教育局"


def test_norm_title_keeps_letters_and_numbers_only():
    """norm_title drops with a regex what is not \\w (and "_"): that must be exactly the characters outside
    Unicode's letter and number categories, for every code point of this Python's Unicode database."""
    import re
    import sys
    import unicodedata

    word = re.compile(r"\w")
    wrong = [hex(cp) for cp in range(sys.maxunicode + 1)
             if (unicodedata.category(chr(cp))[0] in "LN") != (chr(cp) != "_" and bool(word.fullmatch(chr(cp))))]
    assert wrong == []
    assert norm_title("关于（2024年）“三夏”生产_进展！ ΣΑΣ") == "关于2024年三夏生产进展σας"  # final sigma: lower() of the whole key


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_norm_title_is_idempotent_and_punctuation_free(t):
    k = norm_title(t)
    assert norm_title(k) == k
    assert all(ch.isalnum() for ch in k)


BOOK = RuleBook(default_config().adoption_rules)


@pytest.mark.parametrize("text, expected", [
    ("市采用", [("市级", "市级", 5)]),
    ("市采用；省办专报", [("市级", "市级", 5), ("省级", "省级专报", 20)]),
    ("县采用,市级专报", [("县级", "县级", 2), ("市级", "市级专报", 10)]),
    ("《本级政务信息》专报", [("县级", "《本级政务信息》专报", 4)]),
    ("本级政务信息专报第5期", [("县级", "《本级政务信息》专报", 4)]),
    ("国办采用", [("国家级", "国家级", 30)]),
    ("中办信息", [("国家级", "国家级", 30)]),
    ("州采用", [("市级", "市级", 5)]),
    ("区采用\n省采用", [("县级", "县级", 2), ("省级", "省级", 10)]),
    ("无", []),
    ("", []),
])
def test_adoption_text(text, expected):
    ads, warns, errs = parse_adoption_text(text, BOOK)
    assert errs == [] and warns == []
    assert [(a.level, a.rule, a.points) for a in ads] == expected


def test_unknown_publication_uses_level_default_with_warning():
    ads, warns, errs = parse_adoption_text("《市情快报》", BOOK)
    assert errs == [] and [(a.level, a.rule, a.points) for a in ads] == [("市级", "市级", 5)]
    assert "不在采用计分中" in warns[0] and "市级" in warns[0]


def test_adoption_without_level_is_error():
    ads, warns, errs = parse_adoption_text("《政务信息》", BOOK)
    assert ads == [] and "无法识别" in errs[0]


def test_level_hint_from_column():
    ads, _, errs = parse_adoption_text("专报", BOOK, "省级")
    assert errs == [] and ads[0].level == "省级"


@pytest.mark.parametrize("text, levels", [
    ("市长批示；副县长批示", ["市级", "县级"]),
    ("省委书记、省长批示", ["省级", "省级"]),
    ("国务院领导批示", ["国家级"]),
    ("县委书记批示\n县长批示", ["县级", "县级"]),
    ("无", []),
])
def test_instruction_text(text, levels):
    ins, errs = parse_instruction_text(text)
    assert errs == [] and [x.level for x in ins] == levels


def test_instruction_without_level_is_error():
    ins, errs = parse_instruction_text("张书记批示")
    assert ins == [] and "领导级别" in errs[0]


@pytest.mark.parametrize("v, expected", [("√", True), ("✓", True), ("是", True), ("Y", True), (1, True), (1.0, True),
                                         ("", False), (None, False), ("否", False), (0, False), ("×", False),
                                         ("市级专报", None)])
def test_marks(v, expected):
    assert mark_value(v) is expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_adoption_parser_never_raises_and_accounts_each_segment(t):
    ads, warns, errs = parse_adoption_text(t, BOOK)
    segs = [s for s in split_segments(t) if norm(s) not in {"", "无", "否", "未采用", "未", "-", "—", "--", "/", "／", "暂无", "没有", "0", "×"}]
    assert len(ads) + len(errs) == len(segs)


def test_display_width_blocks_are_all_wide_and_widths_match_the_per_character_sum():
    import unicodedata

    from govxl.normalise import text as R

    for cp in range(0x110000):
        ch = chr(cp)
        if R._WIDE_BLOCKS.fullmatch(ch):
            assert unicodedata.east_asian_width(ch) in "WF", hex(cp)
    for text in ["", "abc", "城关镇推进秋粮收购", "ｱ半角カナ", "한국어 mixed 中文 😀", "①②③ ＡＢＣ", "\u303f\u3000"]:
        assert R.display_width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_WIDTH_TEXTS = st.text(alphabet=st.one_of(
    st.sampled_from("城关镇推进秋粮收购ｱＡ한—…①\u3000\u0301 a1\x00😀"), st.characters(max_codepoint=0xFFFF),
    st.characters(min_codepoint=0x2E80, max_codepoint=0xFFEF)), max_size=60)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.one_of(_WIDTH_TEXTS, st.integers(0, 99), st.none()), min_size=4, max_size=4),
                     max_size=12),
       batch=st.integers(1, 5))
def test_heights_of_a_batch_of_rows_are_the_heights_of_each_row(rows, batch, monkeypatch):
    """Big sheets get their row heights a batch at a time (display widths counted over each column in
    numpy): the same heights as _row_height row by row, whatever the texts (wide, ambiguous, combining,
    beyond the BMP, holding NUL or a lone surrogate), whatever the batch size."""
    from govxl.write import layout as L

    widths = [5, 16, 40, 3]
    monkeypatch.setattr(L, "_BATCH", batch)  # set again by each example, undone after the test
    monkeypatch.setattr(L, "_BATCH_MIN", 0)
    got = list(L.with_heights(iter(rows), widths))
    assert got == [(r, L.row_height(r, widths)) for r in rows]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFF65), st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF), st.characters(min_codepoint=0x3000, max_codepoint=0x3100),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E20), st.characters(max_codepoint=0x2FFF)), max_size=30))
def test_norm_title_is_plain_nfkc_on_random_text(text):
    import re
    import unicodedata

    plain = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()
    assert norm_title.__wrapped__(text) == plain


def test_norm_title_plain_title_shortcut_is_plain_nfkc_on_every_character_it_takes():
    import re
    import unicodedata

    from govxl.normalise.text import _PLAIN_TITLE

    def plain(text):
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()

    taken = [chr(cp) for cp in range(0x10000) if _PLAIN_TITLE.fullmatch(chr(cp))]
    assert len(taken) > 20000
    for ch in taken:
        for text in (ch, "城" + ch + "Ａ1", ch + ch):
            assert norm_title.__wrapped__(text) == plain(text), hex(ord(ch))
    # and next to what it does not take (a combining mark, a Hangul jamo): the full NFKC path
    for text in ("Ａ\u0301", "e，\u0301", "\u1100，\u1161", "㈱城关", "①号文件"):
        assert norm_title.__wrapped__(text) == plain(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.one_of(
    st.sampled_from("城关镇推进秋粮收购，、“”：。！（）《》 -_.ABCabc123ＡＢｃ１２３…—\u3000\uac00ΣσςΑ\u0301"),
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFF65), st.characters(max_codepoint=0x2FFF)), max_size=20),
    max_size=12))
def test_norm_titles_of_a_register_are_each_titles_key(titles):
    """A register's title keys are made in one pass over its titles joined by a Hangul syllable: the same
    keys as one title at a time (titles holding that syllable, Greek or combining marks go one by one)."""
    from govxl.normalise.text import _plain_keys, norm_titles

    expected = [norm_title.__wrapped__(t) for t in titles]
    assert norm_titles(titles) == expected
    keys = _plain_keys(titles) if titles else None  # the table's pass, whatever the number of titles
    assert keys is None or keys == expected


def test_norm_titles_joined_pass_is_taken_for_plain_titles():
    from govxl.normalise import text as T

    titles = ["城关镇：推进 “秋粮” 收购！", "ＡＢＣ１２３ 工作", "", "A_b-c（二）"]
    assert T._plain_keys(titles) == ["城关镇推进秋粮收购", "abc123工作", "", "abc二"]
    assert T.norm_titles(titles) == ["城关镇推进秋粮收购", "abc123工作", "", "abc二"]
    assert T._plain_keys([""]) == [""] and T._plain_keys(["", ""]) == ["", ""]
    many = [f"城关镇推进第{i}项工作（二）" for i in range(T._TABLE_MIN)]
    assert T.norm_titles(many) == [f"城关镇推进第{i}项工作二" for i in range(T._TABLE_MIN)]
    # not plain: the titles go one at a time
    for odd in ("Σ", "e\u0301", "①号文件", "城关\U0001F600", "城关\ud800", "城关" + T._JOIN, "\u3004"):
        assert T._plain_keys(["城关镇", odd]) is None, repr(odd)


def test_title_key_table_is_norm_title_of_every_plain_character():
    """The joined pass maps each code point by a table: every character a plain title may hold, alone, in
    a run of all of them and between ideographs, gets norm_title's key."""
    from govxl.normalise import text as T

    taken = [chr(cp) for cp in range(0x10000) if T._PLAIN_TITLE.fullmatch(chr(cp))]
    assert len(taken) > 20000
    assert T._plain_keys(taken) == [norm_title.__wrapped__(ch) for ch in taken]
    assert T._plain_keys(["".join(taken)]) == [norm_title.__wrapped__("".join(taken))]
    framed = ["城" + ch + "Ａz" for ch in taken]
    assert T._plain_keys(framed) == [norm_title.__wrapped__(t) for t in framed]
    table = T._key_table()
    assert {cp for cp in range(0x10000) if table[cp] != T._NOT_PLAIN} == {ord(c) for c in taken} | {ord(T._JOIN)}
