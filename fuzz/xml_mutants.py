#!/usr/bin/env python3
"""XML-level mutants of one return, and whether any was read in part
without a word (issue 17's "silent loss").

    python3 fuzz/xml_mutants.py RETURN.xlsx OUT_DIR [SEED] [COUNT]
    bestvalue check OUT_DIR --format json > report.json
    python3 fuzz/xml_mutants.py --judge report.json ROWS

Each mutant changes one part (a sheet, the shared text, the workbook or the
styles) in one way: cut short, a byte or an XML fragment inserted, replaced
or deleted, a run duplicated. The zip is written afresh, so its checksums
match: what is tested is the reader, not the checksum. --judge counts the
mutants read with fewer rows than the original (ROWS) and no error at all.
"""
import io
import json
import random
import sys
import zipfile

JUNK = [b'&', b'<', b'>', b'"', b'\xff', b'\xc3', b'&foo;', b'&#xFFFFFF;', b'</row>',
        b'<c r="A1">', b']]>', b'<![CDATA[', b'\x00', b'&amp', b'<v>', b'</v>',
        b'r="ZZZ99999999"', b't="s"', b'<v>9999999</v>']


def mutate(rnd, d):
    n = len(d)
    if n < 10:
        return d
    p = rnd.randrange(n)
    k = rnd.randrange(6)
    if k == 0:
        return d[:p]
    if k == 1:
        return d[:p] + rnd.choice(JUNK) + d[p:]
    if k == 2:
        return d[:p] + d[min(n, p + rnd.randrange(1, 40)):]
    if k == 3:
        return d[:p] + bytes([rnd.randrange(256)]) + d[p + 1:]
    if k == 4:
        q = min(n, p + rnd.randrange(1, 200))
        return d[:q] + d[p:q] + d[q:]
    return d[:p] + rnd.choice(JUNK) + d[p + 1:]


def make(src, out, seed, count):
    import os
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(seed)
    z = zipfile.ZipFile(src)
    parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    targets = [n for n in parts if n.startswith('xl/worksheets/')
               or n in ('xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/styles.xml')]
    for i in range(count):
        t = rnd.choice(targets)
        buf = io.BytesIO()
        w = zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED)
        for name, d in parts.items():
            w.writestr(name, mutate(rnd, d) if name == t else d)
        w.close()
        with open(os.path.join(out, '%03d-%s.xlsx' % (i, t.replace('/', '_'))), 'wb') as f:
            f.write(buf.getvalue())


def judge(report, rows):
    d = json.load(open(report))
    silent = [f['file'] for f in d['files']
              if f['rows_read'] < rows
              and not any(p['severity'] == 'error' for p in f['problems'])]
    print('%d mutants, %d read in part without an error' % (len(d['files']), len(silent)))
    for s in silent:
        print('  ' + s)
    return 1 if silent else 0


if __name__ == '__main__':
    if sys.argv[1] == '--judge':
        sys.exit(judge(sys.argv[2], int(sys.argv[3])))
    make(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 7,
         int(sys.argv[4]) if len(sys.argv) > 4 else 400)
