#!/usr/bin/env bash
# Counts the figures issue 14 asks for, in the tree at the current directory (or $1):
# lines of Swift per module, route styles, State(rawValue:) conversions, comma lists, silent fallbacks,
# 'id ?? UUID()', handlers over 40 lines, Leaf templates.
set -euo pipefail
cd "${1:-.}"
echo "== lines of Swift per module (Sources/<module>, non-blank)"
for m in Sources/*/; do
  n=$(find "$m" -name '*.swift' -print0 | xargs -0 cat | grep -cv '^\s*$' || true)
  printf '%-22s %6d\n' "$(basename "$m")" "$n"
done
echo "== Leaf templates: $(find Resources -name '*.leaf' 2>/dev/null | wc -l) files, $(find Resources -name '*.leaf' -print0 2>/dev/null | xargs -0 cat 2>/dev/null | wc -l) lines"
echo "== route styles (types or string conventions that build paths)"
grep -rlE 'enum [A-Za-z]*(Route|Paths|Routes)\b|struct [A-Za-z]*(Route|Paths)\b' Sources --include=*.swift | sed 's/^/   /'
echo "== (rawValue:) conversions: $(grep -rn '(rawValue:' Sources --include=*.swift | wc -l) in all, $(grep -rn '(rawValue:' Sources/*/Web --include=*.swift | wc -l) in pages, $(grep -rnE '(State|Status|Stage|Kind)\(rawValue:' Sources --include=*.swift | wc -l) of states and kinds"
echo "== comma lists split or joined with \",\": $(grep -rnE 'split\(separator: ","\)|split\(","\)|components\(separatedBy: ","\)' Sources --include=*.swift | wc -l)"
echo "== LIKE filters on comma lists: $(grep -rnE "LIKE '%,|like\(\"%,|\"%,\\\\\(" Sources --include=*.swift | wc -l)"
echo "== silent SQL fallbacks (as? any SQLDatabase outside Database.sql()): $(grep -rnE 'as\? (any )?SQLDatabase' Sources --include=*.swift | grep -v SQLAccess.swift | wc -l)"
echo "== 'id ?? UUID()': $(grep -rn 'id ?? UUID()' Sources --include=*.swift | wc -l)"
echo "== Date() outside tests (clock not from the request or a service): $(grep -rn 'Date()' Sources --include=*.swift | wc -l)"
