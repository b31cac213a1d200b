#!/usr/bin/env python3
"""Compares a feedback workbook with the return it marks up, with openpyxl
(a reader independent of the tool's own).

    compare_feedback.py RETURN.xlsx FEEDBACK.xlsx HIGHLIGHT MARKS [--converted | --values-and-widths]

MARKS is a comma-separated list of Sheet!A1 cells that must be filled with
HIGHLIGHT (RRGGBB) and carry a note; a cell written Sheet!A1~ must carry a
note but keep its own fill (a score given as a colour). Checked on every sheet
of the return: the same values, drop-downs (ranges and lists), sheet
protection, column widths, and the fill and font of every other cell (with
--converted, for an Excel copy made from an .ods: the fills and fonts of the
cells the return fills, widths within a quarter of a character; with
--values-and-widths, for a copy made from an .xls: only the values, the widths
of the return's own columns, and the marks). Prints one line per difference
and exits 1 if there is any.
"""
import sys

import openpyxl


def colour(c):
    if c is None or c.type != "rgb" or not isinstance(c.rgb, str):
        return None
    return c.rgb[-6:].upper()


def fill_of(cell):
    f = cell.fill
    if f is None or f.fill_type != "solid":
        return None
    return colour(f.fgColor)


def font_of(cell):
    f = cell.font
    return (bool(f.b), colour(f.color) or "000000")


def validations(ws):
    out = []
    for dv in ws.data_validations.dataValidation:
        out.append((dv.type, str(dv.formula1), " ".join(sorted(str(dv.sqref).split()))))
    return sorted(out)


def widths(ws):
    return {k: round(v.width, 2) for k, v in ws.column_dimensions.items() if v.customWidth or v.width}


def main(ret, fb, highlight, marks, converted, values_only):
    diffs = []
    a = openpyxl.load_workbook(ret)
    b = openpyxl.load_workbook(fb)
    marked = {}
    for m in filter(None, marks.split(",")):
        keep_fill = m.endswith("~")
        sheet, cell = m.rstrip("~").split("!")
        marked[(sheet, cell)] = keep_fill
    if b.sheetnames[1:] != a.sheetnames:
        diffs.append(f"sheets: {b.sheetnames} against {a.sheetnames}")
    for name in a.sheetnames:
        if name not in b.sheetnames:
            continue
        wa, wb = a[name], b[name]
        if not values_only and wa.protection.sheet != wb.protection.sheet:
            diffs.append(f"{name}: protection {wa.protection.sheet} against {wb.protection.sheet}")
        if not values_only and validations(wa) != validations(wb):
            diffs.append(f"{name}: drop-downs {validations(wb)} against {validations(wa)}")
        wa_w, wb_w = widths(wa), widths(wb)
        for col in sorted(set(wa_w) | set(wb_w)):
            x, y = wa_w.get(col), wb_w.get(col)
            if values_only and x is None:
                continue
            tol = 0.25 if converted or values_only else 0.0
            if x is None or y is None or abs(x - y) > tol:
                diffs.append(f"{name}: width of column {col} {y} against {x}")
        rows = max(wa.max_row, 1)
        cols = max(wa.max_column, 1)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                ca, cb = wa.cell(r, c), wb.cell(r, c)
                ref = ca.coordinate
                if ca.value != cb.value:
                    diffs.append(f"{name}!{ref}: value {cb.value!r} against {ca.value!r}")
                m = marked.get((name, ref))
                if m is None:
                    if values_only:
                        continue
                    if converted and fill_of(ca) is None:
                        continue
                    if fill_of(ca) != fill_of(cb):
                        diffs.append(f"{name}!{ref}: fill {fill_of(cb)} against {fill_of(ca)}")
                    if font_of(ca) != font_of(cb) and (ca.value is not None or converted):
                        diffs.append(f"{name}!{ref}: font {font_of(cb)} against {font_of(ca)}")
                    if (ca.comment is None) != (cb.comment is None):
                        diffs.append(f"{name}!{ref}: a note added or lost")
        for (sheet, ref), keep_fill in marked.items():
            if sheet != name:
                continue
            cb = wb[ref]
            want = fill_of(wa[ref]) if keep_fill else highlight.upper()
            if fill_of(cb) != want:
                diffs.append(f"{name}!{ref}: marked cell filled {fill_of(cb)}, not {want}")
            if cb.comment is None or not cb.comment.text.strip():
                diffs.append(f"{name}!{ref}: marked cell has no note")
    for d in diffs:
        print(d)
    print(f"{len(diffs)} differences")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], "--converted" in sys.argv[5:],
         "--values-and-widths" in sys.argv[5:])
