"""The browser tests' one-language check (tests/support/language.py) finds English words and lets codes through."""

from __future__ import annotations

from support.language import english_words, typed_words


def test_english_words_are_found():
    assert english_words("提交 Submit 取消") == ["Submit"]
    assert english_words("Field required: 名称") == ["Field", "required"]
    # An i18n key shown raw, a hyphenated phrase, a month from an English date format.
    assert english_words("admin.grids.title") == ["admin", "grids", "title"]
    assert english_words("on-the-spot") == ["the", "spot"]
    assert english_words("12 Dec 2026") == ["Dec"]
    assert english_words("Cancel Cancel") == ["Cancel"]


def test_codes_units_file_types_and_names_are_not_english():
    text = "网格 G1a-001，grid_leader的名字，a@b.cn，导出 XLSX 和 PDF，rubbish.jpg，扫 QR 码，5 km，GPS 定位，DS1"
    assert english_words(text) == []
    assert english_words("© OpenStreetMap | Leaflet") == []


def test_what_the_test_typed_may_show():
    allowed = typed_words(["Hello world", "测试"])
    assert english_words("标题 Hello world 其他 Words", allowed) == ["Words"]


def test_links_tracking_codes_and_emergency_levels_are_not_english():
    assert english_words("跟踪链接 http://127.0.0.1:8000/track/WGABCDEFGH#token 编号 WGMZWNKDBJ，III 级") == []
    assert english_words("WGMZWNKDBJ track") == ["track"]
