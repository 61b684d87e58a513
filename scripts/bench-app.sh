#!/usr/bin/env bash
# The app as a whole: cold start to the first usable screen (My week) on an office of N
# records, resident memory when it is shown and after 5 s idle, and the release binary's
# size. Uses the release build and the office the criterion bench built.
#
#   scripts/bench-app.sh [N]            # default 100000; needs Xvfb when there is no DISPLAY
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
office="target/bench-data/office-$n-seed7.sqlite3"
bin=target/release/kto-desk
[[ -f $office ]] || { echo "missing $office: run KTO_BENCH_SIZES=$n cargo bench -p kto-store --bench office" >&2; exit 1; }
[[ -x $bin ]] || { echo "missing $bin: run make ui && cargo build --release -p kto-desk" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
if [[ -z ${DISPLAY:-} ]]; then
  Xvfb :97 -screen 0 1280x800x24 >/dev/null 2>&1 &
  xvfb=$!
  export DISPLAY=:97
  sleep 1
fi

rss() { awk '/VmRSS/ {print int($2 / 1024) " MB"}' "/proc/$1/status"; }

for run in 1 2 3; do
  rm -rf "$work/data" && mkdir -p "$work/data"
  cp "$office" "$work/data/kto-desk.sqlite3"
  # The daily backup of the first start runs in the background and is measured too,
  # unless SKIP_BACKUP=1 (a backup of today already exists: every later start that day).
  if [[ ${SKIP_BACKUP:-0} == 1 ]]; then
    mkdir -p "$work/data/backups"
    cp "$office" "$work/data/backups/kto-desk-auto-$(date -u +%Y%m%d)-000000000.sqlite3"
  fi
  sync
  # A cold page cache when allowed (WARM=1 keeps it: a restart of the app).
  [[ ${WARM:-0} == 1 ]] || echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  KTO_DESK_DATA_DIR="$work/data" "$bin" 2>"$work/log" &
  app=$!
  for _ in $(seq 300); do
    grep -q "week ready" "$work/log" 2>/dev/null && break
    sleep 0.1
  done
  ready=$(grep -o "week ready [0-9]* ms" "$work/log" || echo "week never ready")
  shown=$(rss "$app")
  sleep 5
  idle=$(rss "$app")
  echo "run $run: $ready; RSS when shown $shown, after 5 s idle $idle"
  kill "$app"; wait "$app" 2>/dev/null || true
done
echo "release binary: $(stat -c %s "$bin" | awk '{printf "%.1f MB", $1 / 1048576}')"
