"""One language on a screen: a page of the app in Chinese shows no English words.

The browser tests (tests/browser/conftest.py) look at every open page at the end of each test, when a page or its
context is closed, and whenever a test takes a screenshot. The text looked at is what a person sees or hears:
`document.body.innerText` and the `placeholder`, `title` and `aria-label` of visible elements, except the parts marked
as another language (`lang="en"`) or as computer code (`<code>`). An English word is a run of three or more Latin
letters; not English are: identifiers (a token with a digit, `_`, `@`, or a file's extension: grid codes, usernames,
e-mail addresses, file names), the words of ALLOWED (units, file types, names with no Chinese), the demo world's
usernames and the words the test itself typed into the page (the data it entered). A page whose `<html lang>` is not
Chinese (a test that switched to English, a file or JSON the browser shows) is not looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words a Chinese screen may show: abbreviations Chinese users read as they are, and names that have no Chinese.
ALLOWED = frozenset(
    {
        # file types and formats
        "PDF",
        "XLSX",
        "XLS",
        "CSV",
        "PNG",
        "JPG",
        "JPEG",
        "SVG",
        "ZIP",
        "JSON",
        "GEOJSON",
        "KML",
        # technical abbreviations
        "QR",
        "GPS",
        "API",
        "SMS",
        "URL",
        "HTTP",
        "HTTPS",
        "APP",
        "WGS",
        "GCJ",
        # units
        "KB",
        "MB",
        "GB",
        # brand and product names that have no Chinese name
        "EXCEL",  # "从 Excel 导入": the program's name
        "WANGGE",
        "LEAFLET",
        "OPENSTREETMAP",
    }
)
# Endings that make a dotted token a file or host name (report.xlsx, example.cn) rather than an i18n key shown raw.
FILE_ENDINGS = frozenset({"pdf", "xlsx", "xls", "csv", "png", "jpg", "jpeg", "svg", "zip", "json", "geojson", "kml"})
HOST_ENDINGS = frozenset({"cn", "com", "org", "net", "test", "local"})

# A link (a tracking page's address) is not words; nor are a tracking code (WG and 8 letters or digits,
# matters/intake.py) and the Roman numerals of the emergency levels (Ⅰ–Ⅳ级 are written I–IV as often).
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+")
CODE = re.compile(r"WG[A-Z2-9]{8}|[IVX]+")
TOKEN = re.compile(r"[A-Za-z0-9_@]+(?:[.\-][A-Za-z0-9_@]+)*")
LETTERS = re.compile(r"[A-Za-z]{3,}")

# What a person sees or hears on the page: its text, and the placeholders, titles and labels of visible elements.
PAGE_TEXT = """() => {
  const lang = document.documentElement.lang || ''
  if (!document.body) return {lang, texts: []}
  const visible = (el) => el.checkVisibility({visibilityProperty: true})
  // Not looked at: what is marked as another language (lang="en": a language's own name in the switch, an English
  // name kept as data beside the Chinese one) and computer code (<code>: a file's property names).
  const OTHER = 'code, kbd, samp, [lang]:not([lang^="zh"])'
  let text = document.body.innerText
  for (const el of document.body.querySelectorAll(OTHER)) {
    if (visible(el)) text = text.replace(el.innerText, ' ')
  }
  const texts = [text]
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    if (!visible(el) || el.closest(OTHER)) continue
    for (const name of ['placeholder', 'title', 'aria-label']) {
      const value = el.getAttribute(name)
      if (value) texts.push(value)
    }
  }
  return {lang, texts}
}"""


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words of `text`, in order, once each (see the module's description for what is not English)."""
    extra = {word.upper() for word in allowed}
    found: list[str] = []
    for token in TOKEN.findall(URL.sub(" ", text)):
        if re.search(r"[0-9_@]", token) or CODE.fullmatch(token):
            continue  # a code, a username, an address
        parts = token.split(".")
        if len(parts) > 1 and parts[-1].lower() in FILE_ENDINGS | HOST_ENDINGS:
            continue  # a file or a host name
        for word in LETTERS.findall(token):  # the words of a hyphenated phrase or of an i18n key shown raw
            if word.upper() in ALLOWED or word.upper() in extra or word in found:
                continue
            found.append(word)
    return found


def typed_words(values: Iterable[str]) -> set[str]:
    """The words of what a test typed: they may show on the page as the test entered them."""
    return {word.upper() for value in values for word in LETTERS.findall(value)}
