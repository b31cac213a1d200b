#!/usr/bin/env python3
"""Checks a bestvalue template with openpyxl (a second reader): protection
without a password, locked and unlocked cells, drop-down lists and their
messages, date validation, frozen heading, print setup.

    check_template.py TEMPLATE.xlsx assessment|actions LABEL...

LABEL...: the scale's labels (assessment) or the statuses (actions), in
order. Prints what is wrong and exits 1, or prints "ok".
"""
import sys

import openpyxl

problems = []


def check(cond, message):
    if not cond:
        problems.append(message)


def headings(ws):
    return {c.value: c.column_letter for c in ws[1] if c.value}


def validations_for(ws, cell):
    return [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]


def list_items(wb, dv):
    f = dv.formula1
    if f.startswith('"'):
        return f.strip('"').split(",")
    # A range on the hidden Lists sheet: =Lists!$A$1:$A$5
    sheet, rng = f.lstrip("=").split("!")
    ws = wb[sheet]
    check(ws.sheet_state == "hidden", f"{sheet} holds a drop-down list but is not hidden")
    return [c.value for row in ws[rng.replace("$", "")] for c in row]


def check_protected(ws):
    p = ws.protection
    check(p.sheet, f"{ws.title} is not protected")
    check(not p.password, f"{ws.title} has a password")
    # openpyxl: False means the action is allowed on the protected sheet.
    for what in ("formatCells", "formatColumns", "formatRows"):
        check(getattr(p, what) is False, f"{ws.title}: {what} is not allowed")
    check(not p.selectLockedCells and not p.selectUnlockedCells, f"{ws.title}: selecting cells is not allowed")


def check_list(wb, ws, cell, expected, title):
    dvs = validations_for(ws, cell)
    check(len(dvs) == 1, f"{ws.title}!{cell}: expected one validation, found {len(dvs)}")
    if not dvs:
        return
    dv = dvs[0]
    check(dv.type == "list", f"{ws.title}!{cell}: validation is {dv.type}, not a list")
    check(list_items(wb, dv) == expected, f"{ws.title}!{cell}: list is {list_items(wb, dv)}, expected {expected}")
    check(dv.showDropDown in (None, False), f"{ws.title}!{cell}: the drop-down arrow is hidden")
    check(dv.promptTitle == title and dv.prompt, f"{ws.title}!{cell}: no input message")
    check(dv.errorTitle and dv.error, f"{ws.title}!{cell}: no error message")
    check(dv.errorStyle in (None, "stop"), f"{ws.title}!{cell}: error alert is {dv.errorStyle}, not Stop")
    check(dv.showErrorMessage and dv.showInputMessage, f"{ws.title}!{cell}: messages are not shown")


def check_date(ws, cell, style):
    dvs = validations_for(ws, cell)
    check(len(dvs) == 1, f"{ws.title}!{cell}: expected one date validation, found {len(dvs)}")
    if not dvs:
        return
    dv = dvs[0]
    check(dv.type == "date", f"{ws.title}!{cell}: validation is {dv.type}, not a date")
    check((dv.formula1, dv.formula2) == ("36526", "73415"), f"{ws.title}!{cell}: dates allowed {dv.formula1}..{dv.formula2}, not 2000..2100")
    check(dv.prompt and dv.error, f"{ws.title}!{cell}: date validation has no messages")
    check(dv.errorStyle in style, f"{ws.title}!{cell}: error alert is {dv.errorStyle}")


def check_print(ws):
    ps = ws.page_setup
    check(ps.orientation == "landscape", f"{ws.title}: not landscape")
    check(str(ps.paperSize) == "9", f"{ws.title}: not A4")
    # Printed at a set scale (not fitted: LibreOffice shrinks tall rows
    # further than the width needs): 8 points or more, one page wide. A
    # column prints as wide as its stored width in digits of Calibri 11
    # (LibreOffice, the wider of LibreOffice and Excel).
    fitted = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    check(not fitted and ps.scale, f"{ws.title}: no print scale")
    scale = (ps.scale or 100) / 100
    check(11 * scale >= 8, f"{ws.title}: prints at {11 * scale:.1f} pt")
    widths = 0.0
    for d in ws.column_dimensions.values():
        if d.min and d.width and d.min <= ws.max_column:
            widths += d.width * (min(d.max, ws.max_column) - d.min + 1)
    # 5.55 points a character, as measured from LibreOffice's PDF; the
    # room is the page between the sheet's own side margins (a quarter of
    # an inch at least, which every office printer prints inside).
    printed = widths * 5.55 * scale
    m = ws.page_margins
    check(min(m.left, m.right) >= 0.25, f"{ws.title}: side margins {m.left}, {m.right} inch")
    room = 842 - (m.left + m.right) * 72
    check(printed <= room, f"{ws.title}: {printed:.0f} points wide, wider than the page ({room:.0f})")
    check(ws.print_title_rows in ("1:1", "$1:$1"), f"{ws.title}: heading row not repeated ({ws.print_title_rows})")
    check(ws.freeze_panes is not None and ws.freeze_panes[1:] == "2", f"{ws.title}: heading not frozen ({ws.freeze_panes})")


def main(path, kind, labels):
    wb = openpyxl.load_workbook(path)
    check(wb.sheetnames[0] == "Instructions", f"first sheet is {wb.sheetnames[0]}")
    ins = wb["Instructions"]
    check_protected(ins)
    rows = {r[0].value: r[1] for r in ins.iter_rows(min_row=1, max_row=60, max_col=2) if r[0].value}
    for label in ("Completed by", "Date completed"):
        check(label in rows and not rows[label].protection.locked, f"Instructions: {label} is not an unlocked input")
    for label in ("Return type", "Framework", "Framework version"):
        check(label in rows and rows[label].protection.locked, f"Instructions: {label} is not locked")
    check_date(ins, rows["Date completed"].coordinate, (None, "stop"))

    if kind == "assessment":
        ws = wb["Assessment"]
        check_protected(ws)
        h = headings(ws)
        check(ws[f"{h['Code']}2"].protection.locked, "Assessment: Code is not locked")
        check(ws[f"{h['Characteristic']}2"].protection.locked, "Assessment: Characteristic is not locked")
        for name in ("Position statement", "Evidence"):
            check(not ws[f"{h[name]}2"].protection.locked, f"Assessment: {name} is locked")
        if "Score" in h:
            for name in ("Score", "Commentary", "Gaps / areas to address", "Reason (Grey or changed score)"):
                check(not ws[f"{h[name]}2"].protection.locked, f"Assessment: {name} is locked")
            check_list(wb, ws, f"{h['Score']}2", labels, "Score")
            check_list(wb, ws, f"{h['Score']}{ws.max_row}", labels, "Score")
            rules = [r for cf in ws.conditional_formatting for r in cf.rules if f"{h['Score']}2" in cf.sqref]
            check(len(rules) == len(labels), f"Assessment: {len(rules)} colour rules on Score, expected {len(labels)}")
        for name, col in h.items():
            if name.endswith(" score") or name.endswith(" commentary"):
                check(ws[f"{col}2"].protection.locked, f"Assessment: {name} is not locked")
        # Laid out to print one page wide: even beside a Final return's
        # fourteen columns, a line holds three or four words.
        for name, least in (("Position statement", 16), ("Evidence", 12)):
            check(ws[f"{h[name]}2"].alignment.wrap_text, f"Assessment: {name} does not wrap")
            check(ws.column_dimensions[h[name]].width >= least, f"Assessment: {name} is too narrow")
        check_print(ws)
    else:
        ws = wb["Actions"]
        check_protected(ws)
        h = headings(ws)
        first_new = next(r for r in range(2, ws.max_row + 1) if ws[f"{h['Action ID']}{r}"].value is None)
        for name in h:
            if not name.startswith("Previous") and name != "Characteristic":
                check(not ws[f"{h[name]}{first_new}"].protection.locked, f"Actions: {name} is locked in an empty row")
        check_list(wb, ws, f"{h['Status']}2", labels, "Status")
        check_date(ws, f"{h['Date of update']}2", (None, "stop"))
        check_date(ws, f"{h['Target date']}2", ("warning",))
        check_print(ws)

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
