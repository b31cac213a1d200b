#!/usr/bin/env python3
"""A hostile corpus of our own making, and a judge for it.

Builds a folder holding the 21 sample returns (samples/returns) and, in
its subfolder "Hostile", files and folders no officer should send but some
will: special files, link loops, zip bombs (honest and lying about their
size), a 0-byte workbook, web pages and CSV renamed to .xlsx, huge shared
text, deeply nested XML, entity bombs, wrong dimensions, thousands of
sheets, a folder named like a workbook, and more (see KINDS below).

Then runs `bestvalue build` and `bestvalue check --feedback --chase` over it
and judges each run:

- every sample return is still read and built (Read N returns);
- every hostile file is either listed as not read or has an error of its
  own (cannot-open, too-large, password-protected, not-a-return...);
- no run takes over 30 s or 500 MB (peak resident memory of the child);
- no input is touched (every file's bytes and modification time are the
  same after as before).

Usage (release build first: cargo build --release):

    python3 fuzz/hostile_corpus.py [--bin target/release/bestvalue] [--keep DIR]

Prints one line per run with its wall time and peak memory, then each
hostile file with what was said about it, and exits 1 if anything failed.
Big files are generated here at run time; nothing big is committed.
"""

import argparse
import hashlib
import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples", "returns")
SAMPLE = os.path.join(SAMPLES, "2 Review", "Review - Culture.xlsx")

LIMIT_SECONDS = 30
LIMIT_MB = 500


# ---------------------------------------------------------------- helpers


def parts_of(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_zip(path, parts, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in parts:
            z.writestr(name, data)


def replace_part(parts, name, data):
    return [(n, data if n == name else d) for n, d in parts]


def sample_parts():
    return parts_of(SAMPLE)


def minimal_xlsx(sheet_xml, sst_xml=None, sheets=None, extra=()):
    """A workbook of our own: one sheet (or `sheets`, a list of names and
    sheet XML), optional shared text."""
    sheets = sheets or [("Assessment", sheet_xml)]
    ct = ['<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    rels = ['<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    book = ['<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    parts = []
    for i, (name, xml) in enumerate(sheets, 1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
        book.append(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>')
        parts.append((f"xl/worksheets/sheet{i}.xml", xml))
    if sst_xml is not None:
        ct.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        rels.append('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
        parts.append(("xl/sharedStrings.xml", sst_xml))
    ct.append("</Types>")
    rels.append("</Relationships>")
    book.append("</sheets></workbook>")
    top = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    return [("[Content_Types].xml", "".join(ct)), ("_rels/.rels", top),
            ("xl/workbook.xml", "".join(book)), ("xl/_rels/workbook.xml.rels", "".join(rels))] + parts + list(extra)


def return_sheet(rows, extra_head=""):
    """A small review return's sheet, inline text, `rows` of (code, score)."""
    def c(ref, text):
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
           extra_head, "<sheetData>",
           '<row r="1">', c("A1", "Round"), c("B1", "Review"), "</row>",
           '<row r="2">', c("A2", "Completed by"), c("B2", "Hostile Officer"), "</row>",
           '<row r="4">', c("A4", "Code"), c("B4", "Score"), "</row>"]
    for i, (code, score) in enumerate(rows):
        r = 5 + i
        out += [f'<row r="{r}">', c(f"A{r}", code), c(f"B{r}", score), "</row>"]
    out.append("</sheetData></worksheet>")
    return "".join(out)


def deflate_bomb_zip(path, name, size, lie_to=None):
    """A zip whose part `name` unpacks to `size` bytes of spaces inside a
    sheet (streamed, never held). With `lie_to`, the sizes written in the
    zip's headers say `lie_to` bytes instead."""
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row></sheetData></worksheet>"
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(head)
    body = [comp.compress(head)]
    chunk = b" " * (1 << 20)
    left = size - len(head) - len(tail)
    while left > 0:
        piece = chunk[: min(left, len(chunk))]
        crc = zlib.crc32(piece, crc)
        body.append(comp.compress(piece))
        left -= len(piece)
    crc = zlib.crc32(tail, crc)
    body.append(comp.compress(tail))
    body.append(comp.flush())
    data = b"".join(body)
    declared = size if lie_to is None else lie_to
    others = [(n, d.encode() if isinstance(d, str) else d)
              for n, d in minimal_xlsx("")[:4]]
    out = io.BytesIO()
    central = []
    for n, d in others:
        off = out.tell()
        nb = n.encode()
        c = zlib.crc32(d)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, c, len(d), len(d), len(nb), 0) + nb + d)
        central.append((nb, c, len(d), len(d), 0, off))
    off = out.tell()
    nb = name.encode()
    out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc & 0xFFFFFFFF, len(data), declared, len(nb), 0) + nb)
    out.write(data)
    central.append((nb, crc & 0xFFFFFFFF, len(data), declared, 8, off))
    cd = out.tell()
    for nb, c, csize, usize, method, off in central:
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, c, csize, usize, len(nb), 0, 0, 0, 0, 0, off) + nb)
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - cd, cd, 0))
    with open(path, "wb") as f:
        f.write(out.getvalue())


# ---------------------------------------------------------------- the kinds


def make(h):
    """Writes every hostile kind into folder `h`; returns {name: what it is}."""
    kinds = {}

    def put(name, what, data):
        with open(os.path.join(h, name), "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        kinds[name] = what

    def put_zip(name, what, parts, method=zipfile.ZIP_DEFLATED):
        write_zip(os.path.join(h, name), parts, method)
        kinds[name] = what

    # Not spreadsheets at all.
    put("empty.xlsx", "a 0-byte .xlsx", b"")
    put("web page.xls", "a web page saved as .xls (what many systems export)",
        "<html><body><table><tr><td>Code</td><td>Score</td></tr><tr><td>C001</td><td>Amber</td></tr></table></body></html>")
    put("web page.xlsx", "a web page renamed .xlsx", "<!DOCTYPE html>\n<html><head><title>Export</title></head><body>Code,Score</body></html>")
    put("export.xlsx", "a CSV file renamed .xlsx", "Code,Score\r\nC001,Amber\r\nC002,Yellow\r\n")
    put("utf16.xlsx", "UTF-16 text renamed .xlsx", "\ufeffCode\tScore\r\nC001\tAmber\r\n".encode("utf-16-le"))
    put("gzip.xlsx", "a gzip file (Gnumeric's own format) renamed .xlsx", zlib.compress(b"<gnm:Workbook/>" * 1000))
    put("random.xlsx", "random bytes behind a zip signature", b"PK\x03\x04" + os.urandom(4096))
    put("pdf.xlsx", "a PDF renamed .xlsx", b"%PDF-1.4\n" + os.urandom(2048))
    put("truncated zip.xlsx", "the sample cut at half its length",
        open(SAMPLE, "rb").read()[: os.path.getsize(SAMPLE) // 2])
    put("zip of nothing.xlsx", "an empty zip", b"PK\x05\x06" + b"\0" * 18)
    put_zip("zip of text.xlsx", "a zip holding a text file", [("readme.txt", "hello")])
    put_zip("no sheets.xlsx", "a workbook listing no sheets",
            [(n, d.replace("<sheets>", "<sheets/><x>").replace("</sheets>", "</x>") if n == "xl/workbook.xml" else d)
             for n, d in minimal_xlsx("")[:4]])
    put_zip("missing sheet.xlsx", "a workbook whose one sheet part is not in the zip",
            minimal_xlsx("")[:4])
    # Sizes.
    with open(os.path.join(h, "sparse 10 GB.xlsx"), "wb") as f:
        f.truncate(10 * 1024 ** 3)
    kinds["sparse 10 GB.xlsx"] = "a sparse file of 10 GB"
    deflate_bomb_zip(os.path.join(h, "bomb.xlsx"), "xl/worksheets/sheet1.xml", 1024 ** 3)
    kinds["bomb.xlsx"] = "a zip bomb: 1 GB of spaces in 1 MB, sizes declared honestly"
    deflate_bomb_zip(os.path.join(h, "lying bomb.xlsx"), "xl/worksheets/sheet1.xml", 1024 ** 3, lie_to=2048)
    kinds["lying bomb.xlsx"] = "a zip bomb whose headers say its sheet is 2 KB"
    deflate_bomb_zip(os.path.join(h, "lying bomb 200 MB.xlsx"), "xl/worksheets/sheet1.xml", 200 * 1024 ** 2, lie_to=2048)
    kinds["lying bomb 200 MB.xlsx"] = "200 MB of text in one cell, the zip's headers saying 2 KB"
    sheet = return_sheet([("C001", "Amberish")])
    at = sheet.index('<row r="5">')
    put_zip("spaces between rows.xlsx", "240 MB of spaces between two rows (the zip 240 KB)",
            minimal_xlsx(sheet[:at] + " " * (240 << 20) + sheet[at:]))
    # Shared text.
    many = "".join("<si><t/></si>" for _ in range(1_900_000))
    put_zip("many empty strings.xlsx", "1,900,000 empty shared strings (under the 2,000,000 limit)",
            minimal_xlsx(return_sheet([("C001", "Amber")]),
                         f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1900000">{many}</sst>'))
    big = "x" * (60 * 1024 * 1024)
    put_zip("one 60 MB string.xlsx", "one shared string of 60 MB, unused",
            minimal_xlsx(return_sheet([("C001", "Amber")]),
                         f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{big}</t></si></sst>'))
    del big
    # An .xlsb whose shared text is twenty million empty entries (140 MB
    # unpacked; the reader keeps every entry).
    item = bytes([0x13, 5, 0, 0, 0, 0, 0])
    sst = bytes([0x9F, 0x01, 8]) + struct.pack("<II", 20_000_000, 20_000_000) + item * 20_000_000
    put_zip("many strings.xlsb", "an .xlsb of twenty million empty shared strings",
            [("[Content_Types].xml", "<Types/>"), ("xl/sharedStrings.bin", sst)])
    del sst
    # XML.
    deep = "<x>" * 1_000_000 + "</x>" * 1_000_000
    put_zip("deep sheet.xlsx", "a sheet nested a million elements deep",
            minimal_xlsx(return_sheet([("C001", "Amber")]).replace("<sheetData>", "<sheetData>" + deep, 1)))
    put_zip("deep shared text.xlsx", "a shared string nested a million elements deep",
            minimal_xlsx(return_sheet([("C001", "Amber")]),
                         f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>{"<r>" * 1_000_000}{"</r>" * 1_000_000}</si></sst>'))
    deep_book = minimal_xlsx(return_sheet([("C001", "Amber")]))
    deep_book = [(n, d.replace("<sheets>", "<x>" * 500_000 + "</x>" * 500_000 + "<sheets>") if n == "xl/workbook.xml" else d)
                 for n, d in deep_book]
    put_zip("deep workbook.xlsx", "workbook.xml nested half a million deep", deep_book)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    put_zip("billion laughs.xlsx", "entity expansion in the shared text",
            minimal_xlsx(return_sheet([("C001", "Amber")]), laughs))
    put_zip("external entity.xlsx", "an external entity naming /etc/passwd",
            minimal_xlsx(return_sheet([("C001", "Amber")]).replace(
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace("Hostile Officer", "&x;")))
    # Dimensions and addresses.
    put_zip("wrong dimension.xlsx", "a sheet declaring A1:XFD1048576 with a few cells",
            minimal_xlsx(return_sheet([("C001", "Amber")], '<dimension ref="A1:XFD1048576"/>')))
    put_zip("row past Excel.xlsx", "a cell in row 2,000,000 (past Excel's last row)",
            minimal_xlsx(return_sheet([("C001", "Amber")]).replace(
                "</sheetData>", '<row r="2000000"><c r="A2000000"><v>1</v></c></row></sheetData>')))
    put_zip("same cell twice.xlsx", "the same cell address given 500,000 times",
            minimal_xlsx(return_sheet([("C001", "Amber")]).replace(
                "</sheetData>", '<row r="900">' + '<c r="C900"><v>1</v></c>' * 500_000 + "</row></sheetData>")))
    put_zip("no addresses.xlsx", "cells with no r attribute", minimal_xlsx(
        return_sheet([("C001", "Amber")]).replace(' r="', ' x="')))
    # Many sheets.
    put_zip("5000 sheets.xlsx", "5,000 sheets of 200 cells",
            minimal_xlsx("", sheets=[(f"S{i}", '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                                      + "".join(f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}"><v>{r}</v></c>' for c in range(10)) + "</row>" for r in range(1, 21))
                                      + "</sheetData></worksheet>") for i in range(5000)]))
    # Relationships that point outside the package.
    out_rels = minimal_xlsx(return_sheet([("C001", "Amber")]))
    out_rels = [(n, d.replace('Target="worksheets/sheet1.xml"', 'Target="../../../../../../etc/passwd"') if n == "xl/_rels/workbook.xml.rels" else d)
                for n, d in out_rels]
    put_zip("rels outside.xlsx", "its sheet's relationship points outside the zip (../../etc/passwd)", out_rels)
    abs_rels = [(n, d.replace('Target="../../../../../../etc/passwd"', 'Target="/dev/zero" TargetMode="External"') if n == "xl/_rels/workbook.xml.rels" else d)
                for n, d in out_rels]
    put_zip("rels external.xlsx", "its sheet's relationship is /dev/zero, external", abs_rels)
    # Real returns with things wrong in them, which calamine opens: the
    # feedback editor meets these.
    parts = sample_parts()
    sheet = next(n for n, _ in parts if n.startswith("xl/worksheets/sheet"))
    put_zip("stored not deflated.xlsx", "the sample rezipped without compression, a score made wrong",
            [(n, d.replace(b">Light green<", b">Lite green<") if n.startswith("xl/") else d) for n, d in parts],
            zipfile.ZIP_STORED)
    put_zip("long sheet name.xlsx", "a return whose sheet name is 200 characters",
            minimal_xlsx("", sheets=[("S" * 200, return_sheet([("C001", "Amberish")]))]))
    put_zip("bad sheet name.xlsx", "a return whose sheet name has []:*?/\\",
            minimal_xlsx("", sheets=[("A[1]:*?/\\", return_sheet([("C001", "Amberish")]))]))
    put_zip("bom sheet.xlsx", "parts starting with a byte-order mark, a score wrong",
            [(n, (b"\xef\xbb\xbf" + d) if n.endswith(".xml") else d)
             for n, d in minimal_xlsx(return_sheet([("C001", "Amberish")]))
             for d in [d.encode() if isinstance(d, str) else d]])
    put_zip("utf16 parts.xlsx", "sheet XML in UTF-16, a score wrong",
            [(n, d.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16") if n.startswith("xl/worksheets") else d)
             for n, d in minimal_xlsx(return_sheet([("C001", "Amberish")]))])
    put_zip("10000 comments.xlsx", "a return with a score wrong and 10,000 extra parts",
            minimal_xlsx(return_sheet([("C001", "Amberish")]),
                         extra=[(f"xl/junk/part{i}.xml", "<x/>") for i in range(10_000)]))
    put_zip("huge styles.xlsx", "a return with a score wrong and 190,000 cell formats",
            minimal_xlsx(return_sheet([("C001", "Amberish")]),
                         extra=[("xl/styles.xml", '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="190000">'
                                 + "<xf/>" * 190_000 + "</cellXfs></styleSheet>")]))
    # An .ods that says it repeats a row a billion times.
    put_zip("repeated rows.ods", "an .ods repeating one row a billion times",
            [("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
             ("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'),
             ("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">'
              '<table:table-row table:number-rows-repeated="1000000000"><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')],
            zipfile.ZIP_STORED)
    ods_head = ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                '<office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>')
    ods_tail = "</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    put_zip("deep content.ods", "an .ods whose one cell's text is nested a million spans deep",
            [("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
             ("content.xml", ods_head + "<text:span>" * 1_000_000 + "x" + "</text:span>" * 1_000_000 + ods_tail)],
            zipfile.ZIP_STORED)
    # Special files and links.
    os.mkfifo(os.path.join(h, "fifo.xlsx"))
    kinds["fifo.xlsx"] = "a FIFO named .xlsx"
    for name, target, what in [("zero.xlsx", "/dev/zero", "a link to /dev/zero"),
                               ("urandom.ods", "/dev/urandom", "a link to /dev/urandom"),
                               ("gone.xlsx", "nowhere/at/all.xlsx", "a link to nothing"),
                               ("self.xlsx", "self.xlsx", "a link to itself"),
                               ("loop", ".", "a link to its own folder"),
                               ("up", "..", "a link to the folder above"),
                               ("root", "/", "a link to /"),
                               ("proc.xlsx", "/proc/self/mem", "a link to /proc/self/mem")]:
        os.symlink(target, os.path.join(h, name))
        kinds[name] = what
    os.mkdir(os.path.join(h, "folder.xlsx"))
    kinds["folder.xlsx"] = "a folder named .xlsx (empty)"
    try:
        import socket
        s = socket.socket(socket.AF_UNIX)
        s.bind(os.path.join(h, "socket.xlsx"))
        kinds["socket.xlsx"] = "a Unix socket named .xlsx"
    except OSError:
        pass
    return kinds


# ---------------------------------------------------------------- judging


def snapshot(top):
    """Every file's bytes (hashed) and times, and every link's target."""
    seen = {}
    for d, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                seen[p] = ("link", os.readlink(p))
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(p, "rb") as f:
                    for b in iter(lambda: f.read(1 << 20), b""):
                        h.update(b)
                seen[p] = ("file", h.hexdigest(), st.st_mtime_ns, st.st_size)
            else:
                seen[p] = ("other", stat.S_IFMT(st.st_mode), st.st_mtime_ns)
    return seen


def run_measured(bin_, args):
    """Runs bestvalue; its exit status, output, wall time and peak memory.
    The peak comes from GNU time when it is there: a child forked from this
    script (which holds the corpus it made, hundreds of megabytes) would
    have the script's memory counted in its own peak."""
    start = time.monotonic()
    out_f = tempfile.TemporaryFile()
    err_f = tempfile.TemporaryFile()
    peak_f = tempfile.NamedTemporaryFile(delete=False)
    gnu_time = shutil.which("time") and os.path.exists("/usr/bin/time")
    cmd = (["/usr/bin/time", "-q", "-f", "%M", "-o", peak_f.name] if gnu_time else []) + [bin_] + args
    p = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, stdin=subprocess.DEVNULL)
    deadline = start + 120
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            pid, status, usage = os.wait4(p.pid, 0)
            break
        time.sleep(0.02)
    wall = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    out_f.seek(0)
    err_f.seek(0)
    peak_kb = usage.ru_maxrss
    if gnu_time:
        with open(peak_f.name) as f:
            lines = [l for l in f.read().split() if l.isdigit()]
        peak_kb = int(lines[-1]) if lines else peak_kb
    os.unlink(peak_f.name)
    return (p.returncode, out_f.read().decode("utf-8", "replace"),
            err_f.read().decode("utf-8", "replace"), wall, peak_kb / 1024)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "bestvalue"))
    ap.add_argument("--keep", help="build the corpus in this folder and keep it")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="hostile-")
    returns = os.path.join(work, "returns")
    if os.path.exists(returns):
        shutil.rmtree(returns)
    shutil.copytree(SAMPLES, returns)
    samples = sum(len([f for f in fs if f.endswith(".xlsx")]) for _, _, fs in os.walk(returns))
    h = os.path.join(returns, "Hostile")
    os.mkdir(h)
    t = time.monotonic()
    kinds = make(h)
    print(f"Corpus: {samples} sample returns and {len(kinds)} hostile files in {returns} "
          f"(made in {time.monotonic() - t:.1f} s)")
    before = snapshot(returns)
    failures = []
    out = os.path.join(work, "out")
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    runs = {
        "build": ["build", returns, "--out", os.path.join(out, "committee.xlsx"), "--as-at", "2025-10-31"],
        "check --feedback --chase": ["check", returns, "--feedback", os.path.join(out, "feedback"),
                                     "--chase", os.path.join(out, "chase.xlsx"), "--as-at", "2025-10-31"],
        "check --format json": ["check", returns, "--format", "json", "--as-at", "2025-10-31"],
    }
    results = {}
    for name, args in runs.items():
        code, stdout, stderr, wall, mb = run_measured(a.bin, args)
        results[name] = (code, stdout, stderr)
        print(f"{name}: exit {code}, {wall:.1f} s, peak {mb:.0f} MB")
        if wall > LIMIT_SECONDS:
            failures.append(f"{name} took {wall:.1f} s (limit {LIMIT_SECONDS} s)")
        if mb > LIMIT_MB:
            failures.append(f"{name} peaked at {mb:.0f} MB (limit {LIMIT_MB} MB)")
        if code not in (0, 1):
            failures.append(f"{name} exited {code}: {stderr.strip()[:500]}")
    # Every sample return read, and a committee workbook written.
    code, stdout, _ = results["build"]
    first = stdout.splitlines()[0] if stdout else ""
    if not os.path.exists(os.path.join(out, "committee.xlsx")):
        failures.append("build wrote no committee workbook")
    # The JSON report says what happened to each file.
    code, stdout, stderr = results["check --format json"]
    try:
        report = json.loads(stdout)
    except ValueError:
        report = None
        failures.append(f"check --format json did not print JSON: {stderr[:300]}")
    said = {}
    if report:
        for f in report.get("files", []):
            name = f.get("file") or f.get("name") or f.get("display")
            errors = [p["code"] for p in f.get("problems", []) if p.get("severity") == "error"]
            said[name] = ("read", f.get("kind"), errors)
        for s in report.get("not_read", report.get("skipped", [])):
            name = s.get("file") or s.get("name") or s.get("display")
            said[name] = ("not read", s.get("reason"), [])
        # A sample may be told about a hostile return giving its codes
        # other scores (a conflict); it must still be read as a return.
        unread = {"cannot-open", "too-large", "password-protected", "not-a-return"}
        good = [n for n, v in said.items()
                if not n.startswith("Hostile/") and v[0] == "read" and v[1] != "unreadable"
                and not unread & set(v[2])]
        if len(good) < samples:
            failures.append(f"only {len(good)} of the {samples} sample returns were read")
    print(f"\nbuild: {first}")
    print(f"sample returns read: {len(good) if report else 0} of {samples}")
    print("\nEach hostile file, and what was said about it:")
    names = sorted(kinds)
    for n in names:
        key = "Hostile/" + n
        hit = said.get(key) or said.get(key + "/")
        if hit is None:
            # A folder's contents or a link not followed may be listed under
            # another spelling; look for the name anywhere.
            hit = next((v for k, v in said.items() if k.startswith(key)), None)
        if hit is None:
            if n == "folder.xlsx":
                print(f"  {n:28} (an empty folder: nothing in it to read) — {kinds[n]}")
                continue
            failures.append(f"{n} ({kinds[n]}) is not mentioned in the report")
            print(f"  {n:28} NOT MENTIONED — {kinds[n]}")
        elif hit[0] == "read" and not hit[2]:
            failures.append(f"{n} ({kinds[n]}) was read with no error")
            print(f"  {n:28} READ WITHOUT ERROR — {kinds[n]}")
        else:
            what = hit[1] if hit[0] == "not read" else ", ".join(sorted(set(hit[2])))
            print(f"  {n:28} {hit[0]}: {what} — {kinds[n]}")
    after = snapshot(returns)
    for p in sorted(set(before) | set(after)):
        if before.get(p) != after.get(p):
            failures.append(f"input touched: {p}")
    print()
    if failures:
        print("FAILED:")
        for f in failures:
            print("  " + f)
        sys.exit(1)
    print("All held: every hostile file reported, every sample read and built, "
          f"no run over {LIMIT_SECONDS} s or {LIMIT_MB} MB, no input touched.")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
