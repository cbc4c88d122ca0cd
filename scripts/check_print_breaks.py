#!/usr/bin/env python3
"""Issue 28: no id, date or ref split over two lines and no word broken mid-word in a printed report.

Usage: check_print_breaks.py LABEL PRINTED.txt SOURCE(.html|.docx)

PRINTED.txt is `pdftotext` of the printed PDF (reading order: a table cell's lines follow each
other); For every two consecutive printed lines, the last token of the first and the first token of the
second are joined (SOURCE's text is its words: the HTML without tags, the DOCX's runs): when that makes an id (C-1, R-4, DOC-003), a date (2026-12-01), a ref (A.8.13,
6.1.2 e) 2)) of the source that the halves are not, or a source word while a half is no source word ("Implemen" +
"ted"), the break is reported. Exits 1 on any.
"""
import html
import re
import sys
import zipfile

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID = re.compile(r"^[A-Z]{1,4}-\d+$")
REF = re.compile(r"^(A\.)?\d+(\.\d+)+$")
# "6.1.2" + "e) 2)" or "e)" + "2)": the parts of a sub-clause ref.
SUBREF = re.compile(r"^(\d+(\.\d+)+ [a-z]\)|[a-z]\) \d\))$")
PUNCT = "\"'“”‘’()[],;:!?*"


def strip(token):
    return token.strip(PUNCT).rstrip(".")


def whole(token):
    """An id, date or ref token as printed (trailing sentence punctuation off)."""
    return token.strip("\"'“”,;:(").rstrip(".,;:")


def source_text(path):
    if path.endswith(".docx"):
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        runs = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|(</w:p>)", xml)
        return html.unescape("".join(t if t else " " for t, _ in [(r[0], r[1]) for r in runs]))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<br\s*/?>|</(p|td|th|li|h\d|div|dd|dt|tr)>", " ", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def main():
    label, printed, source = sys.argv[1:4]
    text = source_text(source)
    words = {strip(w) for w in text.split()}
    tokens = {whole(w) for w in text.split()}
    words.discard("")
    with open(printed, encoding="utf-8") as f:
        lines = [line.strip() for line in f.read().replace("\f", "\n").split("\n")]
    problems = []
    for first, second in zip(lines, lines[1:]):
        if not first or not second:
            continue
        x = first.split()[-1]
        y = second.split()[0]
        joined = whole(x + y)
        if joined in tokens and any(p.match(joined) for p in (DATE, ID, REF)) and not (
            any(p.match(whole(x)) for p in (DATE, ID, REF))
            and any(p.match(whole(y)) for p in (DATE, ID, REF))
        ):
            problems.append(f"split id/date/ref: {first[-30:]!r} / {second[:30]!r}")
            continue
        pair = whole(x) + " " + y
        if SUBREF.match(pair) and pair in text:
            problems.append(f"split ref: {first[-30:]!r} / {second[:30]!r}")
            continue
        if x.endswith("-") and not x[:-1].isdigit() and x[:-1].isalpha():
            # a hyphenated word broken at its hyphen ("well-"/"known") is a legal break
            continue
        sx, sy = strip(x), strip(y)
        if (
            sx.isalpha()
            and sy.isalpha()
            and sx + sy in words
            and (sx not in words or sy not in words)
        ):
            problems.append(f"word broken: {first[-30:]!r} / {second[:30]!r}")
    for problem in problems:
        print(f"error: {label}: {problem}", file=sys.stderr)
    print(f"{label}: {len(lines)} printed lines, {len(problems)} broken ids, dates, refs or words")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
