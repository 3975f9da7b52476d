#!/usr/bin/env python3
"""Lists request handlers (functions taking a Request) in Sources/*/Web, Sources/*/API and
Sources/Platform/Foundation longer than N lines (default 40), the page-model convention keeps them short.
Usage: long-handlers.py [N] [root]."""
import re, sys, pathlib
limit = int(sys.argv[1]) if len(sys.argv) > 1 else 40
root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else ".")
files = sorted(root.glob("Sources/*/Web/**/*.swift")) + sorted(root.glob("Sources/*/API/**/*.swift"))
files += sorted(root.glob("Sources/Platform/Foundation/*.swift"))
found = []
for path in files:
    if "/Views/" in str(path):
        continue
    lines = path.read_text().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(?:private |fileprivate |static |public |@Sendable )*func (\w+)\(", lines[i])
        if m and "Request" in lines[i] and not lines[i].rstrip().endswith("}"):
            indent = m.group(1)
            j = i + 1
            while j < len(lines) and lines[j].rstrip() != indent + "}":
                j += 1
            if j - i + 1 > limit:
                found.append((j - i + 1, f"{path.relative_to(root)}:{i + 1} {m.group(2)}"))
            i = j
        i += 1
for length, where in sorted(found, reverse=True):
    print(f"{length:4d} {where}")
print(f"{len(found)} request handlers over {limit} lines")
