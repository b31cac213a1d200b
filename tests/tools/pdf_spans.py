#!/usr/bin/env python3
"""Prints, as JSON, the text a printed PDF shows: for each page its size and
every run of text with its font size, bold or not, and box (points from the
top left). The Rust tests (tests/it/paper.rs) judge it: how small the body
text is, whether text prints over other text, whether the page is headed.

    python3 tests/tools/pdf_spans.py PRINTED.pdf

Needs PyMuPDF (pip install pymupdf).
"""
import json
import sys

import pymupdf


def main(path):
    pages = []
    for page in pymupdf.open(path):
        spans = []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for s in line["spans"]:
                    if not s["text"].strip():
                        continue
                    spans.append({
                        "text": s["text"],
                        "size": round(s["size"], 2),
                        "bold": bool(s["flags"] & 16),
                        "box": [round(v, 2) for v in s["bbox"]],
                    })
        pages.append({"width": page.rect.width, "height": page.rect.height, "spans": spans})
    json.dump({"pages": pages}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
