#!/usr/bin/env python3
"""Writes one return at the reading limits, to measure `check --feedback`:

    limit_return.py OUT.xlsx [--narrow] [--rows=N] [--unknown | --sparse]

By default as the scale benchmark's limit case writes it: one sheet of
100,000 rows x 10 columns (a million cells), every cell a different shared
string, codes C001-C011 over and over with differing scores. --narrow:
499,999 rows x 2 columns (issue 17's case). --unknown: every code unknown,
so every row is a problem to mark. --sparse: eleven good rows, then rows
with text but no code (again a problem on every row). Measure with
`/usr/bin/time -f "%M KB peak, %e s" bestvalue check DIR --feedback FB`."""
import sys, zipfile
narrow = "--narrow" in sys.argv
rows_wanted = next((int(a[7:]) for a in sys.argv if a.startswith("--rows=")), None)
unknown = "--unknown" in sys.argv
sparse = "--sparse" in sys.argv
out = sys.argv[1]
HEAD = ["Code","Position statement","Evidence","Score","Commentary","Gaps / areas to address","Reason (Grey or changed score)","Notes","Owner's notes","Links"]
SCORES = ["Amber","Yellow","Light green","Dark green"]
strings = []
rows = []
def col(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s
def put(cells, r, c, text):
    cells.append(f'<c r="{col(c)}{r+1}" t="s"><v>{len(strings)}</v></c>')
    strings.append(text)
for r, (k, v) in enumerate([("Round","Review"),("Themes","Culture"),("Completed by","Bench Officer")]):
    cells = []; put(cells, r, 0, k); put(cells, r, 1, v)
    rows.append(f'<row r="{r+1}">{"".join(cells)}</row>')
if narrow:
    heads, n = ["Code", "Score"], 499_999 - 5
else:
    heads, n = HEAD, 99_998
if rows_wanted: n = rows_wanted
cells = []
for c, h in enumerate(heads): put(cells, 4, c, h)
rows.append(f'<row r="5">{"".join(cells)}</row>')
for i in range(n):
    r = i + 5
    cells = []
    for c in range(len(heads)):
        h = heads[c]
        if sparse and i >= 11 and h in ("Code", "Score"): continue
        if h == "Code": t = f"X{i:06}" if unknown else f"C{1 + i % 11:03}"
        elif h == "Score": t = SCORES[(i // 11) % 4]
        else: t = f"Row {i}, column {c}: text written for the limit case, {i*10+c:08}"
        put(cells, r, c, t)
    rows.append(f'<row r="{r+1}">{"".join(cells)}</row>')
sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + "".join(rows) + '</sheetData></worksheet>'
sst = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">' + "".join(f"<si><t>{t}</t></si>" for t in strings) + "</sst>"
parts = {
"[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
"_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
"xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Assessment" sheetId="1" r:id="rId1"/></sheets></workbook>',
"xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
"xl/worksheets/sheet1.xml": sheet,
"xl/sharedStrings.xml": sst,
}
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for k, v in parts.items(): z.writestr(k, v)
