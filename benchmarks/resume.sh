#!/usr/bin/env bash
# Restart benchmark: the same PostgreSQL -> PostgreSQL load run uninterrupted, and killed with
# SIGKILL once the protocol shows a given share of batches committed and then resumed. Prints
# both totals, the rows the resumed attempt read again, and checks both targets equal the source.
#
# Usage: benchmarks/resume.sh [rows (default 10000000)] [kill at percent (default 50)]
# Needs the table benchmarks/run.sh generates (it creates it when missing).
set -euo pipefail
rows=${1:-10000000}
kill_at=${2:-50}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
src=metaload_bench_src dst=metaload_bench_dst meta=metaload_bench_meta
table=bench_orders; [ "$rows" != 10000000 ] && table=bench_orders_$rows
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

if [ "$(psql_q -d $src -tAc "SELECT count(*) FROM $table" 2>/dev/null || echo 0)" != "$rows" ]; then
  "$here/benchmarks/run.sh" --rows "$rows" --repeats 1 --skip-jdbcio > /dev/null
fi
psql_q -d postgres -c "DROP DATABASE IF EXISTS $meta WITH (FORCE)" -c "CREATE DATABASE $meta"
cat > "$work/config.yaml" <<YAML
metadata: { url: "jdbc:postgresql://$PGHOST:$PGPORT/$meta", user: $PGUSER }
connections:
  src: { url: "jdbc:postgresql://$PGHOST:$PGPORT/$src", user: $PGUSER }
  dst: { url: "jdbc:postgresql://$PGHOST:$PGPORT/$dst", user: $PGUSER }
YAML
printf 'loads:\n  - { name: whole, source: { connection: src, table: %s }, splitKey: id, target: { connection: dst, table: bench_whole } }\n  - { name: killed, source: { connection: src, table: %s }, splitKey: id, target: { connection: dst, table: bench_killed } }\n' "$table" "$table" > "$work/loads.yaml"
"$here/bin/metaload" metadata import --config "$work/config.yaml" "$work/loads.yaml" > /dev/null
psql_q -d $dst -c "DROP TABLE IF EXISTS bench_whole" -c "DROP TABLE IF EXISTS bench_killed"

now() { date +%s.%N; }
t0=$(now)
"$here/bin/metaload" run --config "$work/config.yaml" --load whole > "$work/whole.log" 2>&1
whole=$(echo "$(now) - $t0" | bc -l)

total=$(( (rows + 49999) / 50000 ))
t0=$(now)
"$here/bin/metaload" run --config "$work/config.yaml" --load killed > "$work/killed.log" 2>&1 &
pid=$!
while true; do
  done_batches=$(psql_q -d $meta -tAc "SELECT count(*) FROM load_batch b JOIN load_run r USING (run_id) WHERE r.load_name = 'killed'" 2>/dev/null || echo 0)
  [ "${done_batches:-0}" -ge $(( total * kill_at / 100 )) ] && break
  kill -0 $pid 2>/dev/null || { echo "the load ended before the kill point" >&2; exit 1; }
  sleep 0.2
done
pkill -KILL -P $pid 2>/dev/null || true
kill -KILL $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
killed_at=$(echo "$(now) - $t0" | bc -l)
t1=$(now)
"$here/bin/metaload" run --config "$work/config.yaml" --load killed --resume > "$work/resumed.log" 2>&1
resumed=$(echo "$(now) - $t1" | bc -l)

sum() { psql_q -d "$1" -tAc "SELECT count(*) || ':' || sum(hashtextextended(t::text, 0)) FROM $2 t"; }
expected=$(sum $src $table)
[ "$(sum $dst bench_whole)" = "$expected" ] && [ "$(sum $dst bench_killed)" = "$expected" ] || { echo "a target differs from the source" >&2; exit 1; }
read -r carried reread attempt < <(psql_q -d $meta -tAc "SELECT carried_rows, (SELECT sum(rows_read) FROM load_batch b WHERE b.run_id = r.run_id AND b.attempt = r.attempt), attempt FROM load_run r WHERE load_name = 'killed'" | tr '|' ' ')
left=$(psql_q -d $dst -tAc "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'bench_killed_ml_%'")
printf '\n%s rows, killed at %s%% of batches (protocol), %s batches of 50,000\n' "$rows" "$kill_at" "$total"
printf '| %-34s | %10s |\n' "measure" "value"
printf '|%s|%s|\n' "------------------------------------" "------------"
printf '| %-34s | %8.1f s |\n' "uninterrupted load" "$whole"
printf '| %-34s | %8.1f s |\n' "killed run until SIGKILL" "$killed_at"
printf '| %-34s | %8.1f s |\n' "resumed run" "$resumed"
printf '| %-34s | %8.1f s |\n' "killed + resumed total" "$(echo "$killed_at + $resumed" | bc -l)"
printf '| %-34s | %10s |\n' "rows carried over" "$carried"
printf '| %-34s | %10s |\n' "rows read by the resumed attempt" "$reread"
printf '| %-34s | %10s |\n' "uncommitted remainder" "$((rows - carried))"
printf '| %-34s | %10s |\n' "staging tables left behind" "$left"
