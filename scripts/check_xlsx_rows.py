#!/usr/bin/env python3
"""Issue 28: every XLSX row is as tall as its most wrapped cell, so LibreOffice and Excel print it
without running text over the next rows.

Usage: check_xlsx_rows.py REPORT.xlsx

For each sheet, each wrapping cell's text (text that does not wrap runs over the empty cells
beside it, never over the next row) is wrapped to its column's width (a column `width` wide holds
about `width - 1` characters of the default 11 pt font; words move to the next line whole) and the
row's stored height (`ht`, points) must give every line at least 13 pt; a row without a stored
height has room for one line only. Exits 1 on any row too short.
"""
import re
import sys
import zipfile
from html import unescape

LINE = 13.0


def lines(text, width):
    room = max(int(width - 1), 1)
    total = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            n = len(word)
            if used == 0:
                used = n
            elif used + 1 + n <= room:
                used += 1 + n
            else:
                count += 1
                used = n
            while used > room:
                count += 1
                used -= room
        total += count
    return total


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for c in letters:
        index = index * 26 + ord(c) - 64
    return index


def main():
    path = sys.argv[1]
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            xml = z.read("xl/sharedStrings.xml").decode("utf-8")
            for si in re.findall(r"<si>(.*?)</si>", xml, re.S):
                shared.append(unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S))))
        styles = z.read("xl/styles.xml").decode("utf-8")
        xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
        xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs, re.S)
        wrapping = {i for i, xf in enumerate(xfs) if 'wrapText="1"' in xf}
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        names = re.findall(r'<sheet name="([^"]+)"', workbook)
        problems, rows_checked = [], 0
        for number, name in enumerate(names, 1):
            xml = z.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")
            widths = {}
            for lo, hi, width in re.findall(
                r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', xml
            ):
                for c in range(int(lo), int(hi) + 1):
                    widths[c] = float(width)
            for attrs, body in re.findall(r"<row ([^>]*)>(.*?)</row>", xml, re.S):
                rows_checked += 1
                row = re.search(r'r="(\d+)"', attrs).group(1)
                ht = re.search(r'ht="([\d.]+)"', attrs)
                height = float(ht.group(1)) if ht else 15.0
                need = 1
                for cell_attrs, value in re.findall(r"<c ([^>]*)>(.*?)</c>", body, re.S):
                    style = re.search(r's="(\d+)"', cell_attrs)
                    if 't="s"' not in cell_attrs or not style or int(style.group(1)) not in wrapping:
                        continue
                    ref = re.search(r'r="([A-Z]+)\d+"', cell_attrs).group(1)
                    index = re.search(r"<v>(\d+)</v>", value)
                    if not index:
                        continue
                    text = shared[int(index.group(1))]
                    col = column_index(ref)
                    n = lines(text, widths.get(col, 8.43))
                    need = max(need, n)
                if height < need * LINE:
                    problems.append(
                        f"{name} row {row}: {need} lines need {need * LINE:.0f} pt, it has {height:.0f}"
                    )
    for problem in problems:
        print(f"error: xlsx: {problem}", file=sys.stderr)
    print(f"xlsx: {rows_checked} rows checked against their wrapped text, {len(problems)} too short")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
