#!/usr/bin/env python3
"""Prints, as JSON, what openpyxl (a reader independent of the tool) sees in
a workbook: page setup, headers and footers, print areas, frozen panes,
filters, conditional formats with their fills, data validations, sheet
protection, locked cells and document properties. The Rust tests assert on
this output.

    python3 tests/tools/read_back.py WORKBOOK.xlsx
"""
import json
import sys

import openpyxl


def colour(c):
    if c is None:
        return None
    v = c.rgb if isinstance(c.rgb, str) else None
    return v[-6:].upper() if v else None


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": [], "properties": {}}
    p = wb.properties
    out["properties"] = {
        "title": p.title, "subject": p.subject, "creator": p.creator,
        "keywords": p.keywords, "created": p.created.isoformat() if p.created else None,
    }
    for ws in wb.worksheets:
        ps = ws.page_setup
        s = {
            "name": ws.title,
            "state": ws.sheet_state,
            "orientation": ps.orientation,
            "paper_size": int(ps.paperSize) if ps.paperSize else None,
            "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
            "fit_width": ps.fitToWidth, "fit_height": ps.fitToHeight,
            "print_area": ws.print_area, "print_title_rows": ws.print_title_rows,
            "header": ws.oddHeader.left.text and (ws.oddHeader.left.text or "") + "|" + (ws.oddHeader.center.text or "") + "|" + (ws.oddHeader.right.text or ""),
            "footer": (ws.oddFooter.left.text or "") + "|" + (ws.oddFooter.center.text or "") + "|" + (ws.oddFooter.right.text or ""),
            "freeze": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "protected": bool(ws.protection.sheet),
            "protection": {k: bool(getattr(ws.protection, k)) for k in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows", "selectLockedCells", "selectUnlockedCells")},
            "password": bool(ws.protection.password),
            "cf": [], "dv": [], "unlocked": [], "widths": {},
        }
        for rng, rules in ws.conditional_formatting._cf_rules.items():
            for r in rules:
                fill = None
                if r.dxf is not None and r.dxf.fill is not None:
                    fill = colour(r.dxf.fill.bgColor) or colour(r.dxf.fill.fgColor)
                s["cf"].append({"range": str(rng.sqref), "type": r.type, "operator": r.operator,
                                "formula": list(r.formula or []), "fill": fill})
        for dv in ws.data_validations.dataValidation:
            s["dv"].append({"type": dv.type, "formula1": dv.formula1, "sqref": str(dv.sqref),
                            "prompt": dv.prompt, "error": dv.error, "error_style": dv.errorStyle,
                            "allow_blank": dv.allow_blank})
        for row in ws.iter_rows():
            for c in row:
                if c.protection is not None and c.protection.locked is False:
                    s["unlocked"].append(c.coordinate)
        for k, d in ws.column_dimensions.items():
            if d.width:
                s["widths"][k] = d.width
        out["sheets"].append(s)
    json.dump(out, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
