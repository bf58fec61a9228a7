#!/usr/bin/env python3
"""Lists the SQL statements in C string literals under a source tree, outside
src/store/ (docs/architecture.md, "Storage": the entity files of store/ are
the only code that writes SQL). Comments are skipped; adjacent literals are
joined, so a statement split over lines counts once. Prints one line per
statement, "path:line: text", and exits 1 when there is any.

Usage: sql_outside_store.py SRC_DIR [ALLOWED_FILE...]
"""
import os
import re
import sys

SQL = re.compile(r"\b(SELECT\s.+\sFROM\s|SELECT\s+(COUNT|COALESCE|CASE|1\b)|INSERT\s+INTO\s|"
                 r"UPDATE\s+%?[a-z_s]+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|UNIQUE)\s|"
                 r"DROP\s+(TABLE|INDEX)\s|ALTER\s+TABLE\s|PRAGMA\s|EXPLAIN\s)", re.S)
TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def statements(text):
    """(line, joined literal) for each run of adjacent string literals."""
    runs, cur, cur_line, last_end = [], [], 0, -1
    for m in TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0] != '"':
            continue
        between = text[last_end:m.start()] if last_end >= 0 else None
        joined = between is not None and re.fullmatch(r"(\s|\\\n|#[^\n]*\n|[A-Z_]+\s)*", between or "")
        if cur and not joined:
            runs.append((cur_line, "".join(cur)))
            cur = []
        if not cur:
            cur_line = text.count("\n", 0, m.start()) + 1
        cur.append(tok[1:-1])
        last_end = m.end()
    if cur:
        runs.append((cur_line, "".join(cur)))
    return runs


def main():
    src = sys.argv[1]
    allowed = set(sys.argv[2:])
    found = 0
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, os.path.dirname(os.path.abspath(src)))
            if rel.startswith("src/store/") or rel in allowed:
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            for line, lit in statements(text):
                if SQL.search(lit):
                    found += 1
                    print(f"{rel}:{line}: {lit[:100]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
