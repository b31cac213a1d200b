#!/usr/bin/env python3
"""Types values into a bestvalue template with openpyxl, as an officer would.

    fill_template.py TEMPLATE.xlsx OUT.xlsx EDITS.tsv

Each line of EDITS.tsv is: sheet, cell (A1), kind (text or date), value
(dates as yyyy-mm-dd; text with \\n for a line break), separated by tabs.
Only unlocked cells on a protected sheet can be typed into, as in Excel: a
locked cell is an error, so the test fails if the template locks an input.
"""
import datetime
import sys

import openpyxl


def main(template, out, edits):
    wb = openpyxl.load_workbook(template)
    with open(edits, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            sheet, cell, kind, value = line.split("\t")
            ws = wb[sheet]
            if not ws.protection.sheet:
                sys.exit(f"{sheet} is not protected")
            c = ws[cell]
            if c.protection.locked:
                sys.exit(f"{sheet}!{cell} is locked: an officer could not type {value!r} there")
            if kind == "date":
                c.value = datetime.date.fromisoformat(value)
            else:
                c.value = value.replace("\\n", "\n").replace("\\\\", "\\")
    wb.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
