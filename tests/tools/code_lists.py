#!/usr/bin/env python3
"""The Code drop-down of a return, as openpyxl sees it, and a copy for
LibreOffice to work it out.

    python3 tests/tools/code_lists.py TEMPLATE.xlsx CHECK.xlsx [SHEET]

SHEET is "Actions" (the default: the Code cell looked at is the first
empty row's) or "Assessment" (the first row's). Prints, as JSON, the
validation on that Code cell (formula, alert style, range), which rows of
the Theme and Code columns have no drop-down (the heading row apart), any
Code drop-down whose formula reads another row's Theme than its own first
row's, and, for each theme named in the Theme drop-down, the codes its
defined name holds (resolved by openpyxl). Writes CHECK.xlsx: the template
with a first sheet "Check" whose rows hold a theme's name (and one a blank)
and, beside it, the drop-down's own formula pointed at that name and
wrapped in TEXTJOIN, then two rows for the sheet's first and last rows
with a theme (listed as "rows_checked"): the Theme cell, and the formula
of the drop-down covering that row moved to it. A spreadsheet program that
evaluates them (LibreOffice, converting to CSV) shows the codes the
drop-down offers for each theme, and in those rows.
"""
import json
import re
import sys

import openpyxl
import openpyxl.utils


def cells(wb, ref):
    sheet, rng = ref.lstrip("=").split("!")
    return [c.value for row in wb[sheet.strip("'")][rng.replace("$", "")] for c in row]


def rows_of(sqref, col):
    """The rows of column `col` a validation's ranges cover."""
    out = set()
    for r in sqref.ranges:
        if r.min_col <= col <= r.max_col:
            out.update(range(r.min_row, r.max_row + 1))
    return out


def main(path, check, sheet="Actions"):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    h = {c.value: c.column_letter for c in ws[1] if c.value}
    if sheet == "Actions":
        first = next(r for r in range(2, ws.max_row + 1) if ws[f"{h['Action ID']}{r}"].value is None)
    else:
        first = 2
    cell = f"{h['Code']}{first}"
    dvs = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    dv = dvs[0]
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    themes_dv = [d for d in ws.data_validations.dataValidation if f"{h['Theme']}{first}" in d.sqref][0]
    themes = themes_dv.formula1.strip('"').split(",") if themes_dv.formula1.startswith('"') else cells(wb, themes_dv.formula1)
    listed = cells(wb, names["Themes"])
    by_theme = {t: cells(wb, names[f"ThemeCodes{listed.index(t) + 1}"]) for t in themes}
    col = {k: openpyxl.utils.column_index_from_string(v) for k, v in h.items()}
    every = set(range(2, ws.max_row + 1))
    code_dvs = [d for d in ws.data_validations.dataValidation if rows_of(d.sqref, col["Code"]) and "INDIRECT(" in (d.formula1 or "")]
    theme_dvs = [d for d in ws.data_validations.dataValidation if rows_of(d.sqref, col["Theme"]) and d.formula1 == themes_dv.formula1]
    covered = lambda ds, c: set().union(*[rows_of(d.sqref, c) for d in ds]) if ds else set()
    # Each Code drop-down reads the Theme of its own first row (and so,
    # relative, every row its own).
    unanchored = [
        str(d.sqref) for d in code_dvs
        if {int(n) for n in re.findall(rf"\$?{h['Theme']}\$?(\d+)", d.formula1)} != {min(r.min_row for r in d.sqref.ranges)}
    ]
    out = {
        "cell": cell,
        "count": len(dvs),
        "formula": dv.formula1,
        "error_style": dv.errorStyle,
        "prompt": dv.prompt,
        "sqref": str(dv.sqref),
        "last_row": ws.max_row,
        "code_rows_without": sorted(every - covered(code_dvs, col["Code"])),
        "theme_rows_without": sorted(every - covered(theme_dvs, col["Theme"])),
        "code_error_styles": sorted({d.errorStyle or "stop" for d in code_dvs}),
        "unanchored": unanchored,
        "names": names,
        "themes": themes,
        "by_theme": by_theme,
        "all": cells(wb, names["AllCodes"]),
    }
    # Rows of the sheet itself, the first and the last with a theme, each
    # with the formula of the drop-down that covers it moved to its row, as
    # Excel and LibreOffice move a relative reference.
    filled = [r for r in range(2, ws.max_row + 1) if ws[f"{h['Theme']}{r}"].value]
    own_rows = sorted({filled[0], filled[-1]}) if filled else []
    out["rows_checked"] = [
        {"row": r, "theme": ws[f"{h['Theme']}{r}"].value, "code": ws[f"{h['Code']}{r}"].value}
        for r in own_rows
    ]
    c = wb.create_sheet("Check", 0)
    wb.active = 0
    i = 0
    for i, t in enumerate(themes + [""], start=1):
        c[f"A{i}"] = t if t else None
        f = re.sub(r"\$?[A-Z]{1,3}\$?\d+", f"$A${i}", dv.formula1)
        c[f"B{i}"] = f'=_xlfn.TEXTJOIN(",",TRUE,{f})'
    quoted = "'" + sheet.replace("'", "''") + "'"
    for r in own_rows:
        i += 1
        d = next(d for d in code_dvs if r in rows_of(d.sqref, col["Code"]))
        top = min(x.min_row for x in d.sqref.ranges)
        f = re.sub(
            rf"\$?{h['Theme']}\$?(\d+)",
            lambda m: f"{quoted}!${h['Theme']}{int(m.group(1)) + r - top}",
            d.formula1,
        )
        c[f"A{i}"] = f"={quoted}!${h['Theme']}${r}"
        c[f"B{i}"] = f'=_xlfn.TEXTJOIN(",",TRUE,{f})'
    wb.save(check)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
