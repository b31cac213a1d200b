#!/usr/bin/env python3
"""Prints, as JSON, every sheet's cell values as openpyxl (a reader
independent of the tool) reads them: {sheet: [[text, ...], ...]}, row by
row from A1, dates as dd/mm/yyyy, blanks as "".

    python3 tests/tools/values.py WORKBOOK.xlsx
"""
import datetime
import json
import sys

import openpyxl


def text(v):
    if v is None:
        return ""
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {ws.title: [[text(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
