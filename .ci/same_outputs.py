#!/usr/bin/env python3
"""Compares what the Linux build and the Windows exe wrote for the same runs.

    same_outputs.py LINUX_DIR WINDOWS_DIR [--root LINUX_PATH WINDOWS_PATH]...

Both folders must hold the same files. Workbooks (.xlsx) must have the same
parts in the same order, each part byte for byte the same. Reports (.json) and
printed output (.txt) must be the same once path separators are made alike
and each --root pair (the same folder as each build spells it) is replaced by
one placeholder. Anything else (CSV, exit statuses) must be the same bytes.

Prints every difference, not just the first, and exits 1 when there is one,
0 when everything matches, 2 when it could not run.
"""

import difflib
import sys
import zipfile
from pathlib import Path

SHOWN_LINES = 12


def files_in(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def first_difference(a, b):
    """Byte offset of the first difference, with a little context from each."""
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, n - 60)

    def around(data):
        return data[start : n + 60].decode("utf-8", "replace")

    return n, around(a), around(b)


def compare_workbooks(name, linux, windows):
    found = []
    try:
        with zipfile.ZipFile(linux) as zl, zipfile.ZipFile(windows) as zw:
            parts_l = zl.namelist()
            parts_w = zw.namelist()
            if parts_l != parts_w:
                only_l = [p for p in parts_l if p not in parts_w]
                only_w = [p for p in parts_w if p not in parts_l]
                if only_l or only_w:
                    found.append(
                        f"{name}: the workbooks have different parts "
                        f"(only Linux: {only_l or 'none'}; only Windows: {only_w or 'none'})"
                    )
                else:
                    found.append(f"{name}: the same parts, in a different order")
            for part in parts_l:
                if part not in parts_w:
                    continue
                a, b = zl.read(part), zw.read(part)
                if a != b:
                    at, ctx_l, ctx_w = first_difference(a, b)
                    found.append(
                        f"{name} › {part}: differs from byte {at} "
                        f"(Linux {len(a)} bytes, Windows {len(b)} bytes)\n"
                        f"      Linux:   …{ctx_l}…\n      Windows: …{ctx_w}…"
                    )
    except zipfile.BadZipFile as e:
        found.append(f"{name}: not a readable workbook ({e})")
    return found


def normalise(text, roots):
    for root in roots:
        text = text.replace(root, "<scratch>")
    return text.replace("\\\\", "/").replace("\\", "/")


def compare_text(name, linux, windows, roots_l, roots_w):
    # Windows paths in JSON are escaped ("Z:\\work"): try both spellings.
    json_w = [r.replace("\\", "\\\\") for r in roots_w]
    a = normalise(linux.read_text(encoding="utf-8"), roots_l)
    b = normalise(windows.read_text(encoding="utf-8"), json_w + roots_w)
    if a == b:
        return []
    diff = list(
        difflib.unified_diff(
            a.splitlines(), b.splitlines(), "Linux", "Windows", n=1, lineterm=""
        )
    )
    shown = "\n      ".join(diff[:SHOWN_LINES])
    more = f"\n      … and {len(diff) - SHOWN_LINES} more diff lines" if len(diff) > SHOWN_LINES else ""
    return [f"{name}: differs beyond path separators:\n      {shown}{more}"]


def compare(linux_dir, windows_dir, roots_l, roots_w):
    found = []
    names_l, names_w = files_in(linux_dir), files_in(windows_dir)
    for n in sorted(set(names_l) - set(names_w)):
        found.append(f"{n}: written by the Linux build, missing from the Windows exe's outputs")
    for n in sorted(set(names_w) - set(names_l)):
        found.append(f"{n}: written by the Windows exe, not by the Linux build")
    checked = 0
    for n in names_l:
        if n not in names_w:
            continue
        checked += 1
        a, b = linux_dir / n, windows_dir / n
        if n.endswith(".xlsx"):
            found += compare_workbooks(n, a, b)
        elif n.endswith((".json", ".txt")):
            found += compare_text(n, a, b, roots_l, roots_w)
        elif a.read_bytes() != b.read_bytes():
            at, ctx_l, ctx_w = first_difference(a.read_bytes(), b.read_bytes())
            found.append(
                f"{n}: differs from byte {at}\n      Linux:   …{ctx_l}…\n      Windows: …{ctx_w}…"
            )
    return checked, found


def main(argv):
    args = list(argv)
    roots_l, roots_w = [], []
    while "--root" in args:
        i = args.index("--root")
        if i + 2 >= len(args):
            print("same_outputs.py: --root needs the Linux and the Windows spelling", file=sys.stderr)
            return 2
        roots_l.append(args[i + 1])
        roots_w.append(args[i + 2])
        del args[i : i + 3]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    linux_dir, windows_dir = Path(args[0]), Path(args[1])
    for d in (linux_dir, windows_dir):
        if not d.is_dir():
            print(f"same_outputs.py: {d} is not a folder", file=sys.stderr)
            return 2
    # Longest first, so a folder inside another root is replaced whole.
    pairs = sorted(zip(roots_l, roots_w), key=lambda p: -len(p[0]))
    checked, found = compare(linux_dir, windows_dir, [p[0] for p in pairs], [p[1] for p in pairs])
    if found:
        print(f"The Windows exe's outputs differ from the Linux build's ({len(found)} differences):")
        for f in found:
            print(f"  {f}")
        return 1
    print(f"Windows and Linux outputs match: {checked} files compared.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
