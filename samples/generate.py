#!/usr/bin/env python3
"""Writes the sample return set for Eastmoor Borough Council (fictional).

The returns are written with openpyxl, a different writer from the tool's
own, the way officers' files arrive from Excel: each has an Instructions
sheet with the "about this return" details and a table sheet. A few
realistic slips are kept on purpose (a title row above the headings, a code
written L010, a score typed in lower case) so the demo shows the tool's
warnings. The text comes from content.json, written by us.

Run from the repository root:  python3 samples/generate.py

It also writes the November action updates (samples/returns-2025-11) and
last year's returns (samples/2024-25/returns), from which last year's
committee workbook is built by the tool:

    cargo run -- build samples/2024-25/returns --out "samples/2024-25/Committee 2024-25.xlsx" --force
"""
import datetime as dt
import json
import os

import openpyxl
from openpyxl.styles import Font, PatternFill, Alignment

HERE = os.path.dirname(os.path.abspath(__file__))
AUTHORITY = "Eastmoor Borough Council"
FRAMEWORK = "Best Value guidance 2024"
THEMES = [
    ("Continuous Improvement", "CI"),
    ("Leadership", "L"),
    ("Governance", "G"),
    ("Culture", "C"),
    ("Use of Resources", "R"),
    ("Service Delivery", "SD"),
    ("Partnerships and Community Engagement", "PCE"),
]
FIXED = dt.datetime(2025, 10, 31, 9, 0, 0)


def theme_of(code):
    letters = "".join(ch for ch in code if ch.isalpha())
    return next(name for name, prefix in THEMES if prefix == letters)


def new_book(details):
    wb = openpyxl.Workbook()
    wb.properties.creator = "Eastmoor Borough Council"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    ws = wb.active
    ws.title = "Instructions"
    ws["A1"] = "Best Value self-assessment return"
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for label, value in details:
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        ws.cell(row=row, column=2, value=value)
        row += 1
    ws.cell(row=row + 1, column=1, value="Fill in the table on the next sheet and send the workbook back by the date above.")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 40
    return wb


def table(wb, name, headings, rows, header_row=1, title=None):
    ws = wb.create_sheet(name)
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    for i, h in enumerate(headings, start=1):
        c = ws.cell(row=header_row, column=i, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="1F3864")
    for r, values in enumerate(rows, start=header_row + 1):
        for i, v in enumerate(values, start=1):
            if v is None or v == "":
                continue
            c = ws.cell(row=r, column=i, value=v)
            if isinstance(v, (dt.date, dt.datetime)):
                c.number_format = "dd/mm/yyyy"
            else:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    for i, _ in enumerate(headings, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = 18
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return ws


def save(wb, *parts):
    path = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    wb.save(path)


def main():
    data = json.load(open(os.path.join(HERE, "content.json")))
    chars = data["characteristics"]
    officers = data["officers"]

    # Round 1: draft position statements, one return per theme.
    for theme, prefix in THEMES:
        wb = new_book([
            ("Return type", "Assessment"), ("Authority", AUTHORITY), ("Framework", FRAMEWORK),
            ("Framework version", "2024"), ("Round", "Draft"), ("Themes", theme),
            ("Completed by", officers["draft"]), ("Date completed", dt.date(2025, 7, 18)),
        ])
        rows = [[theme, c["code"], c["label"], c["narrative"], c["evidence"]]
                for c in chars if theme_of(c["code"]) == theme]
        table(wb, "Assessment", ["Theme", "Code", "Characteristic", "Position statement", "Evidence"], rows)
        save(wb, "returns", "1 Draft", f"Draft - {theme}.xlsx")

    # Round 2: independent review, one reviewer per theme.
    for n, (theme, prefix) in enumerate(THEMES):
        wb = new_book([
            ("Return type", "Assessment"), ("Authority", AUTHORITY), ("Framework", FRAMEWORK),
            ("Framework version", "2024"), ("Round", "Review"), ("Themes", theme),
            ("Completed by", officers["review"][prefix]), ("Date completed", dt.date(2025, 9, 5 + n)),
        ])
        rows = []
        for c in chars:
            if theme_of(c["code"]) != theme:
                continue
            code, score = c["code"], c["review_score"]
            if code == "L0010":
                code = "L010"          # a reviewer's slip: read as L0010, with a warning
            if code == "C004":
                score = "light green "  # typed, lower case, trailing space: read fine
            rows.append([theme, code, c["label"], score, c["review_commentary"], c["gaps"], c["grey_reason"]])
        headings = ["Theme", "Code", "Characteristic", "Score", "Commentary", "Gaps / areas to address", "Reason (Grey or changed score)"]
        if theme == "Governance":
            # This reviewer added a title row above the headings.
            table(wb, "Assessment", headings, rows, header_row=3, title="Governance: independent review")
        else:
            table(wb, "Assessment", headings, rows)
        save(wb, "returns", "2 Review", f"Review - {theme}.xlsx")

    # Round 3: moderation across all themes; blank score = no change.
    wb = new_book([
        ("Return type", "Assessment"), ("Authority", AUTHORITY), ("Framework", FRAMEWORK),
        ("Framework version", "2024"), ("Round", "Moderation"), ("Themes", "All themes"),
        ("Completed by", officers["moderation"]), ("Date completed", dt.date(2025, 10, 10)),
    ])
    rows = []
    for c in chars:
        m = c["moderation"]
        rows.append([theme_of(c["code"]), c["code"], c["label"], c["review_score"], c["review_commentary"],
                     m["score"] if m else None, None, None, m["reason"] if m else None])
    table(wb, "Assessment", ["Theme", "Code", "Characteristic", "Review score", "Review commentary",
                             "Score", "Commentary", "Gaps / areas to address", "Reason (Grey or changed score)"], rows)
    save(wb, "returns", "3 Moderation", "Moderation - All themes.xlsx")

    # Round 4: leadership sign-off.
    wb = new_book([
        ("Return type", "Assessment"), ("Authority", AUTHORITY), ("Framework", FRAMEWORK),
        ("Framework version", "2024"), ("Round", "Final"), ("Themes", "All themes"),
        ("Completed by", officers["final"]), ("Date completed", dt.date(2025, 10, 24)),
    ])
    rows = []
    for c in chars:
        f = c["final"]
        moderated = c["moderation"]["score"] if c["moderation"] else c["review_score"]
        rows.append([theme_of(c["code"]), c["code"], c["label"], moderated,
                     f["score"] if f else None, "Confirmed by the Corporate Leadership Team." if not f else None,
                     None, f["reason"] if f else None])
    table(wb, "Assessment", ["Theme", "Code", "Characteristic", "Moderation score",
                             "Score", "Commentary", "Gaps / areas to address", "Reason (Grey or changed score)"], rows)
    save(wb, "returns", "4 Final", "Final sign-off.xlsx")

    # Action-plan progress returns, one per service area.
    areas = sorted({a["service_area"] for a in data["actions"]})
    for area in areas:
        acts = [a for a in data["actions"] if a["service_area"] == area]
        last = max(a["update_date"] for a in acts)
        wb = new_book([
            ("Return type", "Action plan"), ("Authority", AUTHORITY), ("Framework", FRAMEWORK),
            ("Framework version", "2024"), ("Service area", area),
            ("Completed by", acts[0]["owner"]), ("Date completed", dt.date.fromisoformat(last)),
        ])
        rows = [[a["id"], theme_of(a["code"]), a["code"], a["gap"], a["action"], a["owner"], area,
                 dt.date.fromisoformat(a["target_date"]), a["status"], a["progress_note"],
                 dt.date.fromisoformat(a["update_date"]), a["perf_ref"]] for a in acts]
        table(wb, "Actions", ["Action ID", "Theme", "Code", "Gap", "Action", "Responsible officer", "Service area",
                              "Target date", "Status", "Progress note", "Date of update", "Performance system ref"], rows)
        save(wb, "returns", "Actions 2025-10", f"Actions - {area}.xlsx")


def november():
    """Next month's action progress: some done, some slipping, one new
    action for the gap that had none."""
    data = json.load(open(os.path.join(HERE, "content.json")))
    acts = {a["id"]: a for a in data["actions"]}
    changes = {
        "BV-003": ("Complete", "Benchmarking pack issued to Cabinet members on 20 November."),
        "BV-005": ("At risk", "Recruitment to the data analyst post has failed twice; interim cover sought."),
        "BV-008": ("At risk", "Still awaiting the external auditor's sign-off; revised date agreed for January."),
        "BV-004": ("On track", "The first cohort of 18 officers completed the training on 12 November; the second is booked for January."),
        "BV-017": ("Complete", "Policy adopted by Full Council on 19 November."),
    }
    by_area = {}
    for aid, (status, note) in changes.items():
        a = dict(acts[aid], status=status, progress_note=note, update_date="2025-11-26")
        by_area.setdefault(a["service_area"], []).append(a)
    # SD009 was Yellow with no action: the service area now owns one.
    sd_area = "Communities and Neighbourhoods"
    by_area.setdefault(sd_area, []).append({
        "id": "BV-024", "code": "SD009", "gap": "No routine check that complaint learning changes how services are delivered.",
        "action": "Add a quarterly 'lessons from complaints' item to each service management team agenda and report themes to Overview and Scrutiny.",
        "owner": "Priya Marchbank", "service_area": sd_area, "target_date": "2026-06-30", "status": "Not started",
        "progress_note": "Agreed at the directorate management team on 18 November.", "update_date": "2025-11-26", "perf_ref": "",
    })
    for area, items in sorted(by_area.items()):
        wb = new_book([
            ("Return type", "Action plan"), ("Authority", AUTHORITY), ("Framework", FRAMEWORK),
            ("Framework version", "2024"), ("Service area", area),
            ("Completed by", items[0]["owner"]), ("Date completed", dt.date(2025, 11, 28)),
        ])
        rows = [[a["id"], theme_of(a["code"]), a["code"], a["gap"], a["action"], a["owner"], area,
                 dt.date.fromisoformat(a["target_date"]), a["status"], a["progress_note"],
                 dt.date.fromisoformat(a["update_date"]), a["perf_ref"]] for a in items]
        table(wb, "Actions", ["Action ID", "Theme", "Code", "Gap", "Action", "Responsible officer", "Service area",
                              "Target date", "Status", "Progress note", "Date of update", "Performance system ref"], rows)
        save(wb, "returns-2025-11", f"Actions - {area}.xlsx")


def last_year():
    """Last year's final scores: weaker in places (this year improved),
    stronger in a few (this year declined). Written as one final sign-off
    return over all themes, which is all last year's committee workbook
    needs to be built from."""
    data = json.load(open(os.path.join(HERE, "content.json")))
    order = ["Dark green", "Light green", "Yellow", "Amber"]
    wb = new_book([
        ("Return type", "Assessment"), ("Authority", AUTHORITY), ("Framework", FRAMEWORK),
        ("Framework version", "2024"), ("Round", "Review"), ("Themes", "All themes"),
        ("Completed by", "Performance and Improvement Team"), ("Date completed", dt.date(2024, 10, 25)),
    ])
    rows = []
    for i, c in enumerate(data["characteristics"]):
        now = (c["final"] or c["moderation"] or {}).get("score") or c["review_score"]
        then = now
        if now in order:
            k = order.index(now)
            if i % 5 == 0 and k < 3:
                then = order[k + 1]          # weaker last year: improved since
            elif i % 17 == 3 and k > 0:
                then = order[k - 1]          # stronger last year: declined since
        reason = c["grey_reason"] if then == "Grey" else ""
        rows.append([theme_of(c["code"]), c["code"], c["label"], then, "Last year's agreed score.", c["gaps"], reason])
    table(wb, "Assessment", ["Theme", "Code", "Characteristic", "Score", "Commentary", "Gaps / areas to address",
                             "Reason (Grey or changed score)"], rows)
    save(wb, "2024-25", "returns", "Review - All themes 2024-25.xlsx")


if __name__ == "__main__":
    main()
    november()
    last_year()
