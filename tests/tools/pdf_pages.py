#!/usr/bin/env python3
"""Prints, as JSON, what a reader of a printed workbook sees on each page of
its PDF (made by tests/tools/render.sh): the sheet the page comes from (the
first words of the footer), the smallest and median size of the body text,
each body span with its size, how many lines of body text, the smallest
size in the header and footer bands, spans of text printed over other
text, and the page's text. The Rust rendering tests assert on it.

    python3 tests/tools/pdf_pages.py BOOK.pdf

Needs PyMuPDF (pip install pymupdf). The header and footer bands are the
top and bottom 7% of the page; everything between is body text (chart
labels included, as they print)."""
import json
import statistics
import sys

import pymupdf


def main(path):
    doc = pymupdf.open(path)
    pages = []
    for i, page in enumerate(doc, 1):
        h = page.rect.height
        body, band, footer, boxes, words, spans = [], [], [], [], [], []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    t = span["text"].strip()
                    if not t:
                        continue
                    x0, y0, x1, y1 = span["bbox"]
                    if y1 < 0.07 * h or y0 > 0.93 * h:
                        band.append(span["size"])
                        if y0 > 0.93 * h:
                            footer.append((x0, t))
                    else:
                        body.append(span["size"])
                        boxes.append((x0, y0, x1, y1, t))
                        spans.append([t, round(span["size"], 2)])
                    words.append(t)
        overlaps = []
        for a in range(len(boxes)):
            ax0, ay0, ax1, ay1, at = boxes[a]
            for b in range(a + 1, len(boxes)):
                bx0, by0, bx1, by1, bt = boxes[b]
                w, hh = min(ax1, bx1) - max(ax0, bx0), min(ay1, by1) - max(ay0, by0)
                small = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
                if w > 0 and hh > 0 and small > 0 and w * hh > 0.3 * small:
                    overlaps.append([at, bt])
        footer.sort()
        pages.append({
            "page": i,
            "sheet": footer[0][1] if footer else "",
            "landscape": page.rect.width > page.rect.height,
            "body_min": round(min(body), 2) if body else None,
            "body_median": round(statistics.median(body), 2) if body else None,
            "band_min": round(min(band), 2) if band else None,
            "spans": spans,
            "lines": len({round(b[1]) for b in boxes}),
            "overlaps": overlaps,
            "text": "\n".join(words),
        })
    json.dump(pages, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
