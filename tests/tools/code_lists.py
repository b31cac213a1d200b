#!/usr/bin/env python3
"""The Code drop-down of an action template, as openpyxl sees it, and a copy
for LibreOffice to work it out.

    python3 tests/tools/code_lists.py TEMPLATE.xlsx CHECK.xlsx

Prints, as JSON, the validation on the Code cell of the first empty row of
the Actions sheet (formula, alert style, range) and, for each theme named
in the Theme drop-down, the codes its defined name holds (resolved by
openpyxl). Writes CHECK.xlsx: the template with a first sheet "Check" whose
rows hold a theme's name (and one a blank) and, beside it, the drop-down's
own formula pointed at that name and wrapped in TEXTJOIN, so that a
spreadsheet program that evaluates it (LibreOffice, converting to CSV)
shows the codes the drop-down offers for that theme.
"""
import json
import re
import sys

import openpyxl


def cells(wb, ref):
    sheet, rng = ref.lstrip("=").split("!")
    return [c.value for row in wb[sheet.strip("'")][rng.replace("$", "")] for c in row]


def main(path, check):
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    h = {c.value: c.column_letter for c in ws[1] if c.value}
    first = next(r for r in range(2, ws.max_row + 1) if ws[f"{h['Action ID']}{r}"].value is None)
    cell = f"{h['Code']}{first}"
    dvs = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    dv = dvs[0]
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    themes_dv = [d for d in ws.data_validations.dataValidation if f"{h['Theme']}{first}" in d.sqref][0]
    themes = themes_dv.formula1.strip('"').split(",") if themes_dv.formula1.startswith('"') else cells(wb, themes_dv.formula1)
    listed = cells(wb, names["Themes"])
    by_theme = {t: cells(wb, names[f"ThemeCodes{listed.index(t) + 1}"]) for t in themes}
    out = {
        "cell": cell,
        "count": len(dvs),
        "formula": dv.formula1,
        "error_style": dv.errorStyle,
        "sqref": str(dv.sqref),
        "names": names,
        "themes": themes,
        "by_theme": by_theme,
        "all": cells(wb, names["AllCodes"]),
    }
    c = wb.create_sheet("Check", 0)
    wb.active = 0
    for i, t in enumerate(themes + [""], start=1):
        c[f"A{i}"] = t if t else None
        f = re.sub(r"\$?[A-Z]{1,3}\$?\d+", f"$A${i}", dv.formula1)
        c[f"B{i}"] = f'=_xlfn.TEXTJOIN(",",TRUE,{f})'
    wb.save(check)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
