#!/usr/bin/env bash
# Measures the figures the README reports, each beside its ceiling, in one run:
# the resident's first load (brotli) and durable intake through the HTTP API.
# Prints a Markdown table and rewrites the README's "Figures" section with it.
# Expects dist/ built (make frontend); `make figures` does both.
set -euo pipefail
cd "$(dirname "$0")/.."

kb() { awk -v b="$1" 'BEGIN { printf "%.1f kB (%d bytes)", b / 1000, b }'; }

# The first load is index.html plus every JS, WASM and CSS file it references.
first_load=0
for f in dist/index.html $(grep -oE '(href|src)="/?[^"]+\.(js|wasm|css)"' dist/index.html | sed -E 's/.*="\/?([^"]+)"/dist\/\1/' | sort -u); do
  [ -f "$f.br" ] || { echo "missing $f.br: run make frontend" >&2; exit 1; }
  first_load=$((first_load + $(stat -c %s "$f.br")))
done
wasm_raw=$(stat -c %s dist/*.wasm | head -n1)

bench=$(INTAKE_SECONDS=${INTAKE_SECONDS:-5} cargo bench -q -p onewindow-tests --bench intake 2>/dev/null)
fig() { echo "$bench" | sed -n "s/^$1=//p"; }

table=$(cat <<TABLE
| figure | measured | ceiling / goal |
|---|---|---|
| resident first load, HTML+JS+WASM+CSS, brotli | $(kb "$first_load") | ≤ 150 KB |
| app WASM, uncompressed | $(kb "$wasm_raw") | — |
| durable intake via HTTP, 64 clients | $(fig intake_http_cases_per_s) cases/s | ≥ 10× raw |
| raw SQLite, one commit per case, synchronous=FULL (same run) | $(fig raw_sqlite_one_commit_per_case_per_s) cases/s | — |
| intake ÷ raw | $(fig intake_ratio_to_raw)× | ≥ 10× |
| this disk's fsyncs per second (same run) | $(fig disk_fsyncs_per_s) /s | — |
| intake latency p50 | $(fig intake_http_p50_ms) ms | — |
| intake latency p99 | $(fig intake_http_p99_ms) ms | < 50 ms |

Measured $(date -u +%Y-%m-%d) on $(nproc) cores, client and server on the same machine, by \`scripts/figures.sh\`.
TABLE
)
echo "$table"

# Replace what stands between the markers in the README.
python3 - "$table" <<'PY'
import re, sys
table = sys.argv[1]
text = open("README.md", encoding="utf-8").read()
new = re.sub(r"(<!-- figures:start -->\n).*?(\n<!-- figures:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
open("README.md", "w", encoding="utf-8").write(new)
PY
