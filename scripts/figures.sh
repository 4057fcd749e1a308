#!/usr/bin/env bash
# Measures the figures the README reports, each beside its ceiling, in one run:
# the resident's first load (brotli), durable intake through the HTTP API, booking and
# grid lookups, the abuse soak (honest residents while an attacker floods the server) and the
# levels' queues over 1,000,000 generated cases.
# Prints a Markdown table and rewrites the README's "Figures" section with it.
# Expects dist/ built (make frontend); `make figures` does both.
set -euo pipefail
cd "$(dirname "$0")/.."

kb() { awk -v b="$1" 'BEGIN { printf "%.1f KiB (%d bytes)", b / 1024, b }'; }
# The first-load ceiling of each resident app, in bytes (decimal: 150 kB, not KiB).
budget() { awk -v b="$1" 'BEGIN { printf "%d bytes: %s", b, (b <= 150000 ? "within ≤ 150,000 bytes" : "OVER ≤ 150,000 bytes") }'; }

# A first load is an app's index.html plus every JS, WASM and CSS file it references.
first_load() {
  local page=$1 total=0 f
  [ -f "$page" ] || { echo 0; return; }
  for f in "$page" $(grep -oE '(href|src)="/?[^"]+\.(js|wasm|css)"' "$page" | sed -E 's/.*="\/?([^"]+)"/dist\/\1/' | sort -u); do
    [ -f "$f.br" ] || { echo "missing $f.br: run make frontend" >&2; exit 1; }
    total=$((total + $(stat -c %s "$f.br")))
  done
  echo "$total"
}
first_load=$(first_load dist/index.html)
console_load=$(first_load dist/console/index.html)
booking_load=$(first_load dist/booking/index.html)
grid_load=$(first_load dist/grid/index.html)
wasm_raw=$(stat -c %s dist/*.wasm | head -n1)

bench=$(INTAKE_SECONDS=${INTAKE_SECONDS:-5} cargo bench -q -p onewindow-tests --bench intake 2>/dev/null)
booking=$(BOOKING_SECONDS=${BOOKING_SECONDS:-5} cargo bench -q -p onewindow-tests --bench booking 2>/dev/null)
grids=$(GRIDS_SECONDS=${GRIDS_SECONDS:-5} cargo bench -q -p onewindow-tests --bench grids 2>/dev/null)
sms=$(SMS_LAG_SECONDS=${SMS_LAG_SECONDS:-10} cargo bench -q -p onewindow-tests --bench messages 2>/dev/null)
abuse=$(ABUSE_SECONDS=${ABUSE_SECONDS:-15} cargo bench -q -p onewindow-tests --bench abuse 2>/dev/null)
levels=$(LEVELS_SECONDS=${LEVELS_SECONDS:-5} cargo bench -q -p onewindow-tests --bench levels 2>/dev/null)
# The 1,000,000-case county is generated once into target/ and reused by later runs.
# Not fatal yet: the bench's sign-in against the release server still fails (issue 13).
leaders=$(FIGURES_SECONDS=${FIGURES_SECONDS:-10} cargo bench -q -p onewindow-tests --bench figures 2>/dev/null || true)
fig() { printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n' "$bench" "$booking" "$grids" "$sms" "$abuse" "$levels" "$leaders" | sed -n "s/^$1=//p" | head -n1; }
# The abuse soak's goals, met or not.
# A figure the bench did not print (e.g. a request the server refused in time) is not "within".
within() { [ -n "$1" ] || { echo "not measured"; return; }; awk -v v="$1" -v max="$2" 'BEGIN { print (v <= max ? "within" : "OVER") }'; }

table=$(cat <<TABLE
| figure | measured | ceiling / goal |
|---|---|---|
| resident first load, HTML+JS+WASM+CSS, brotli | $(budget "$first_load") | ≤ 150,000 bytes |
| legal-aid booking app first load (/booking), brotli | $(budget "$booking_load") | ≤ 150,000 bytes |
| grid lookup app first load (/grid), brotli | $(budget "$grid_load") | ≤ 150,000 bytes |
| staff console first load (/console, never sent to residents), brotli | $(kb "$console_load") | — |
| app WASM, uncompressed | $(kb "$wasm_raw") | — |
| durable intake via HTTP, 64 clients | $(fig intake_http_cases_per_s) cases/s | ≥ 10× raw |
| raw SQLite, one commit per case, synchronous=FULL (same run) | $(fig raw_sqlite_one_commit_per_case_per_s) cases/s | — |
| intake ÷ raw | $(fig intake_ratio_to_raw)× | ≥ 10× |
| this disk's fsyncs per second (same run) | $(fig disk_fsyncs_per_s) /s | — |
| intake latency p50 | $(fig intake_http_p50_ms) ms | — |
| intake latency p99 | $(fig intake_http_p99_ms) ms | < 50 ms |
| bare group-commit writer: 64 producer threads, same schema with FTS, WAL, synchronous=FULL, no HTTP (same run) | $(fig raw_group_commit_per_s) cases/s | — |
| HTTP intake (limits on) ÷ group-commit ceiling | $(fig intake_ratio_to_group_commit)× | ≥ 0.5× |
| abuse soak: honest success, calm / under attack | $(fig abuse_honest_success_calm_pct) % / $(fig abuse_honest_success_attacked_pct) % | 100 % |
| abuse soak: honest p99, calm / under attack | $(fig abuse_honest_p99_calm_ms) / $(fig abuse_honest_p99_attacked_ms) ms = $(fig abuse_p99_ratio)×: $(within "$(fig abuse_p99_ratio)" 2) | ≤ 2× calm |
| abuse soak: server peak RSS (VmHWM) | $(fig abuse_server_peak_rss_mb) MB: $(within "$(fig abuse_server_peak_rss_mb)" 256) | ≤ 256 MB |
| abuse soak: attacker's requests (all kinds) | $(fig abuse_attacker_requests) ($(fig abuse_attacker_per_s) /s) | — |
| … case submissions: answers | $(fig abuse_attacker_submissions) | — |
| … 1 MB photo uploads: answers | $(fig abuse_attacker_uploads_1mb) | — |
| … sign-in guesses: answers | $(fig abuse_attacker_sign_ins) | — |
| … 2 MB tracking numbers: answers | $(fig abuse_attacker_tracking_2mb) | — |
| booking decisions under contention (64 clients, one 2-place slot at a time) | $(fig booking_answers_per_s) /s | — |
| booking latency p50 / p99 | $(fig booking_p50_ms) / $(fig booking_p99_ms) ms | — |
| slots over capacity after the run | $(fig booking_slots_over_capacity) | 0 |
| grid point lookups via HTTP, $(fig grids_count) grids, 64 clients | $(fig locate_http_per_s) /s | — |
| static "hello" (\`/api/v1/health\`), same server, same run | $(fig hello_http_per_s) /s | — |
| grid lookup ÷ hello | $(fig locate_ratio_to_hello)× | ≥ 0.5× |
| grid lookup latency p50 / p99 | $(fig locate_http_p50_ms) / $(fig locate_http_p99_ms) ms | — |
| leaders' figures, a year's whole report (3 periods + chart) over $(fig figures_cases) cases (5 years), 2 clients, county p50 / p99 | $(fig figures_county_p50_ms) / $(fig figures_county_p99_ms) ms: $(within "$(fig figures_county_p99_ms)" 300) | p99 ≤ 300 ms |
| … the first report alone, county / township (a status when it was not answered in time) | $(fig figures_county_first_ms) / $(fig figures_township_first_ms) ms $(fig figures_county_first_status) $(fig figures_township_first_status) | — |
| … a township's leader ($(fig figures_township_year_cases) cases in the year), p50 / p99 | $(fig figures_township_p50_ms) / $(fig figures_township_p99_ms) ms: $(within "$(fig figures_township_p99_ms)" 300) | p99 ≤ 300 ms |
| … case submissions meanwhile, p99 (county / township) | $(fig figures_county_writes_p99_ms) / $(fig figures_township_writes_p99_ms) ms | — |
| … server peak RSS (VmHWM) | $(fig figures_server_peak_rss_mb) MB: $(within "$(fig figures_server_peak_rss_mb)" 128) | ≤ 128 MB |
| text messages delivered through a local gateway answering in $(fig sms_gateway_latency_ms) ms ($(fig sms_concurrency) calls at once, a backlog of $(fig sms_backlog)) | $(fig sms_delivered_per_s) /s | — |
| outbox lag, act committed → gateway answered, at $(fig sms_lag_offered_per_s) messages/s, p50 / p99 | $(fig sms_lag_p50_ms) / $(fig sms_lag_p99_ms) ms | — |
| a township centre's queue via HTTP, first page by due date with its counts, $(fig levels_township_cases) of $(fig levels_county_cases) cases, 8 clients, p50 / p99 | $(fig levels_township_p50_ms) / $(fig levels_township_p99_ms) ms: $(within "$(fig levels_township_p99_ms)" 100) | p99 ≤ 100 ms |
| a grid worker's list via HTTP, the same way, $(fig levels_grid_worker_cases) cases, p50 / p99 | $(fig levels_grid_worker_p50_ms) / $(fig levels_grid_worker_p99_ms) ms: $(within "$(fig levels_grid_worker_p99_ms)" 100) | p99 ≤ 100 ms |
| the county-wide queue via HTTP, the same way, $(fig levels_county_cases) cases, p50 / p99 | $(fig levels_county_p50_ms) / $(fig levels_county_p99_ms) ms | — |

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
