#!/usr/bin/env bash
# The report print check (issues 15 and 28). The fixture is a complete 2022 assessment (notes on a
# third of the items, a decided SoA) after two workshops, with every register, actions, plan steps
# and dated decisions. Its HTML report, printed to A4 by headless Chromium, is at most 24
# pages and holds every clause and control title unbroken; in it and in the DOCX printed by
# LibreOffice no id, date or ref is split over two lines and no word is broken mid-word
# (scripts/check_print_breaks.py); every XLSX row is as tall as its wrapped text
# (scripts/check_xlsx_rows.py) and the XLSX converts in LibreOffice. Each tool that is missing is
# named and its check skipped. Issue 30: the audit report of an internal audit (tests/audit_report.rs)
# (a finding of every type, an NC from the major and the minor one) is printed the same way, HTML
# in Chromium and DOCX in LibreOffice: at most 3 pages each (the cover, then the sections one
# after another), every finding's heading whole, no browser header, no id, date or ref split.
# Usage: scripts/check_report_print.sh [OUT_DIR]   (OUT_DIR keeps the files; default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."

max_pages=24
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chromium" ]; then
    echo "skipped: the report print check needs chromium (not found on PATH)"
    exit 0
fi
if ! command -v python3 >/dev/null; then
    echo "skipped: the report print check needs python3 (not found on PATH)"
    exit 0
fi
for tool in pdftotext pdfinfo; do
    if ! command -v "$tool" >/dev/null; then
        echo "skipped: the report print check needs $tool (poppler-utils; not found on PATH)"
        exit 0
    fi
done

out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# The fixture files, written by the structure tests.
ISMS_READY_PRINT_DIR="$out" cargo test --quiet --test report_print \
    the_fixture_files_for_the_print_check >/dev/null
ISMS_READY_PRINT_DIR="$out" cargo test --quiet --test audit_report \
    the_audit_report_files_for_the_print_check >/dev/null

# Printed with Chromium's default header and footer on, as a reader's browser would: the report's
# own page margin boxes must keep the browser's date, title and file path off every page.
print() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --print-to-pdf="$2" \
        "file://$1" >/dev/null 2>&1
}
print "$out/report.html" "$out/report.pdf"
pages=$(pdfinfo "$out/report.pdf" | sed -n 's/^Pages: *//p')
echo "report.pdf: $pages A4 pages (at most $max_pages)"
status=0
passed=0
failed=0
if [ "$pages" -gt "$max_pages" ]; then
    echo "error: the printed report has $pages pages, more than $max_pages" >&2
    status=1
    failed=$((failed + 1))
else
    passed=$((passed + 1))
fi

# Titles unbroken: the PDF's text, with line breaks and runs of spaces made single spaces, holds
# every title as one phrase (a word cut in two, "organi zation", would not match).
pdftotext -enc UTF-8 "$out/report.pdf" "$out/report.txt"
tr '\n' ' ' <"$out/report.txt" | tr -s ' ' >"$out/report.flat.txt"
missing=0
while IFS=$'\t' read -r ref title; do
    if ! grep -qF -- "$title" "$out/report.flat.txt"; then
        echo "error: title of $ref not found unbroken: $title" >&2
        missing=$((missing + 1))
    fi
done <"$out/titles.tsv"
echo "titles: $(wc -l <"$out/titles.tsv") checked, $missing broken or missing"
if [ "$missing" -eq 0 ]; then
    passed=$((passed + 1))
else
    status=1
    failed=$((failed + 1))
fi

# check NAME COMMAND...: counts a check passed or failed.
check() {
    if "${@:2}"; then
        passed=$((passed + 1))
    else
        echo "error: $1 failed" >&2
        status=1
        failed=$((failed + 1))
    fi
}
check "no browser header or footer" bash -c "! grep -q 'file://' '$out/report.txt'"
check "HTML breaks" python3 scripts/check_print_breaks.py html "$out/report.txt" "$out/report.html"
check "XLSX row heights" python3 scripts/check_xlsx_rows.py "$out/report.xlsx"

# The audit report (issue 30).
audit_max_pages=3
print "$out/audit.html" "$out/audit.pdf"
audit_pages=$(pdfinfo "$out/audit.pdf" | sed -n 's/^Pages: *//p')
echo "audit.pdf: $audit_pages A4 pages (at most $audit_max_pages)"
check "audit report pages" test "$audit_pages" -le "$audit_max_pages"
pdftotext -enc UTF-8 "$out/audit.pdf" "$out/audit.txt"
tr '\n' ' ' <"$out/audit.txt" | tr -s ' ' >"$out/audit.flat.txt"
audit_missing=0
while IFS= read -r heading; do
    if ! grep -qF -- "$heading" "$out/audit.flat.txt"; then
        echo "error: finding heading not found whole in the audit report: $heading" >&2
        audit_missing=$((audit_missing + 1))
    fi
done <"$out/audit-headings.txt"
echo "audit findings: $(wc -l <"$out/audit-headings.txt") headings checked, $audit_missing broken or missing"
check "audit report finding headings" test "$audit_missing" -eq 0
check "no browser header or footer on the audit report" bash -c "! grep -q 'file://' '$out/audit.txt'"
check "audit report HTML breaks" python3 scripts/check_print_breaks.py audit-html "$out/audit.txt" "$out/audit.html"
# The readiness report of the same records: its audit programme, open nonconformities and last
# management review.
print "$out/readiness-audits.html" "$out/readiness-audits.pdf"
pdftotext -enc UTF-8 "$out/readiness-audits.pdf" "$out/readiness-audits.txt"
check "readiness report audit sections printed" grep -q "Last management review" "$out/readiness-audits.txt"
check "readiness report with audits: HTML breaks" python3 scripts/check_print_breaks.py readiness-audits-html "$out/readiness-audits.txt" "$out/readiness-audits.html"

if command -v soffice >/dev/null; then
    for file in report.docx report.xlsx; do
        dir="$out/soffice-${file##*.}"
        if HOME="$profile" soffice --headless --convert-to pdf --outdir "$dir" "$out/$file" >/dev/null 2>&1; then
            echo "$file: printed by LibreOffice ($(pdfinfo "$dir/${file%.*}.pdf" | sed -n 's/^Pages: *//p') pages)"
            passed=$((passed + 1))
        else
            echo "error: LibreOffice cannot convert $file" >&2
            status=1
            failed=$((failed + 1))
        fi
    done
    if [ -f "$out/soffice-docx/report.pdf" ]; then
        pdftotext -enc UTF-8 "$out/soffice-docx/report.pdf" "$out/report-docx.txt"
        check "DOCX breaks" python3 scripts/check_print_breaks.py docx "$out/report-docx.txt" "$out/report.docx"
    fi
    dir="$out/soffice-audit"
    if HOME="$profile" soffice --headless --convert-to pdf --outdir "$dir" "$out/audit.docx" >/dev/null 2>&1; then
        audit_docx_pages=$(pdfinfo "$dir/audit.pdf" | sed -n 's/^Pages: *//p')
        echo "audit.docx: printed by LibreOffice ($audit_docx_pages pages, at most $audit_max_pages)"
        check "audit report DOCX pages" test "$audit_docx_pages" -le "$audit_max_pages"
        pdftotext -enc UTF-8 "$dir/audit.pdf" "$out/audit-docx.txt"
        check "audit report DOCX breaks" python3 scripts/check_print_breaks.py audit-docx "$out/audit-docx.txt" "$out/audit.docx"
    else
        echo "error: LibreOffice cannot convert audit.docx" >&2
        status=1
        failed=$((failed + 1))
    fi
else
    echo "skipped: the DOCX/XLSX conversion check needs soffice (LibreOffice; not found on PATH)"
fi
echo "print: $passed passed, $failed failed"
exit $status
