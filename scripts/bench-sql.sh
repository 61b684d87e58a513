#!/usr/bin/env bash
# The physical limit for the office benchmarks: the same questions as single
# hand-written SQL queries in the sqlite3 shell, on the offices the criterion bench
# built (target/bench-data/office-N-seed7.sqlite3). Each question runs 20 times
# in one shell session (warm cache, as in the app); prints the mean wall time.
#
#   scripts/bench-sql.sh [N ...]        # default: 10000 100000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000}")
# shellcheck disable=SC2206
sizes=(${sizes[@]})

declare -A sql
sql[board licensing]="SELECT s.id, count(d.id), sum(d.value_cents) FROM stages s LEFT JOIN deals d ON d.stage_id = s.id WHERE s.pipeline = 'licensing' GROUP BY s.id; SELECT d.id, d.title, d.value_cents FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.pipeline = 'licensing' ORDER BY d.stage_id, d.rank LIMIT 600;"
sql[table page agreements by value]="SELECT * FROM agreements ORDER BY value_cents DESC, id DESC LIMIT 101; SELECT count(*) FROM agreements;"
sql[table page licences by signing date]="SELECT * FROM agreements WHERE kind = 'licence' ORDER BY signed_date DESC, id DESC LIMIT 101; SELECT count(*) FROM agreements WHERE kind = 'licence';"
# Search: per kind, the newest 8 matches and their snippets, as Store::search_all asks.
kinds="disclosure person organisation deal scoutingLead patent agreement consortium contribution spinOff founder fundingRound income cost"
search_sql() {
  local q=$1 k out=""
  for k in $kinds; do
    out+="SELECT sd.record_id, m.title, m.snip FROM (SELECT rowid AS doc, title, snippet(search_index, 1, '', '', '…', 10) AS snip FROM search_index WHERE search_index MATCH 'kind : \"$k\" AND {title body} : (\"$q\"*)' ORDER BY rowid DESC LIMIT 8) m JOIN search_docs sd ON sd.id = m.doc ORDER BY m.doc DESC; "
  done
  printf '%s' "$out"
}
sql[search all kinds pyroly]=$(search_sql pyroly)
sql[search all kinds se]=$(search_sql se)
sql[monitor figures 2025]="SELECT count(*) FROM disclosures WHERE received_on BETWEEN '2025-01-01' AND '2025-12-31'; SELECT count(*) FROM patents WHERE is_priority = 1 AND filing_date BETWEEN '2025-01-01' AND '2025-12-31'; SELECT kind, count(*), sum(value_cents) FROM agreements WHERE signed_date BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY kind; SELECT i.kind, sum(i.amount_cents) FROM income i WHERE i.received_date BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY i.kind; SELECT count(*) FROM spin_offs WHERE incorporation_date BETWEEN '2025-01-01' AND '2025-12-31'; SELECT sum(amount_cents) FROM funding_rounds WHERE closed_date BETWEEN '2025-01-01' AND '2025-12-31'; SELECT partner_kind, sum(cash_cents), sum(in_kind_cents) FROM contributions WHERE year = 2025 GROUP BY partner_kind; SELECT outcome, count(*) FROM scouting_leads WHERE visit_date BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY outcome;"

for n in "${sizes[@]}"; do
  db="target/bench-data/office-$n-seed7.sqlite3"
  if [[ ! -f $db ]]; then
    echo "missing $db: run KTO_BENCH_SIZES=$n cargo bench -p kto-store --bench office first" >&2
    exit 1
  fi
  echo "## $n records ($db)"
  for name in "board licensing" "table page agreements by value" "table page licences by signing date" "search all kinds pyroly" "search all kinds se" "monitor figures 2025"; do
    # .timer prints "Run Time: real R user U sys S" after each statement; sum the real
    # times of 20 repetitions (after one warm-up) and divide.
    script=".output /dev/null"$'\n'"${sql[$name]}"$'\n'".timer on"
    for _ in $(seq 20); do script+=$'\n'"${sql[$name]}"; done
    ms=$(printf '%s\n' "$script" | sqlite3 "$db" 2>&1 | awk '/Run Time/ {s += $4} END {printf "%.2f", s * 1000 / 20}')
    printf '%-40s %8s ms\n' "$name" "$ms"

  done
done
