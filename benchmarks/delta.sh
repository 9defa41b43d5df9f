#!/usr/bin/env bash
# metaload delta benchmark (PostgreSQL -> PostgreSQL). In one invocation: a table of N rows with
# an index on updated_at; the load's first run (a full load, published by swap); 1% of the rows
# changed (half updated, half inserted, stamped by the source's clock); then a delta run
# (mode watermark, merge). Prints both wall times, the delta's share of the full load, the rows
# in the delta's window and the source rows PostgreSQL read to find them (seq_tup_read +
# idx_tup_fetch of pg_stat_user_tables), and checks the target equals the source. The practical
# limit is measured on the same window first: a psql pipe that copies the window out in binary
# into a temporary staging table and upserts it into the target, rolled back (a CHECKPOINT before
# each of the two, so both pay for the same first writes to the target's pages after a checkpoint).
#
# Usage: benchmarks/delta.sh [--rows N]   (default 10000000)
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres); METALOAD_JAVA_OPTS; PARALLELISM (default: cores).
set -euo pipefail
rows=10000000
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
parallelism=${PARALLELISM:-$(nproc)}
src=metaload_bench_src dst=metaload_bench_dst meta=metaload_bench_meta table=delta_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# shellcheck source=startup-archive.sh
. "$here/benchmarks/startup-archive.sh"
log() { echo "$(date +%H:%M:%S) $*" >&2; }

[ -f "$here/pipelines/target/metaload.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)
for db in $src $dst; do
  psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || psql_q -d postgres -c "CREATE DATABASE $db"
done
psql_q -d postgres -c "DROP DATABASE IF EXISTS $meta WITH (FORCE)" -c "CREATE DATABASE $meta"

log "generating $rows rows in $src.$table"
psql_q -d $src -c "DROP TABLE IF EXISTS $table" -c "CREATE TABLE $table (id bigint PRIMARY KEY, customer_id bigint NOT NULL,
    amount numeric(12,2) NOT NULL, status varchar(12) NOT NULL, comment text NOT NULL, updated_at timestamp(6) NOT NULL)" -c "
  INSERT INTO $table SELECT x, (x * 7919) % 5000000, ((x * 37) % 10000000) / 100.0,
    (array['NEW','PAID','SHIPPED','CLOSED','RETURNED'])[x % 5 + 1], rpad('order ' || x || ' ', (60 + x % 21)::int, 'abcdefghij'),
    localtimestamp - interval '30 days' + (x * interval '1 millisecond') * (2592000000.0 / $rows)
  FROM generate_series(1::bigint, $rows::bigint) AS x" -c "CREATE INDEX ${table}_updated ON $table (updated_at)" -c "VACUUM ANALYZE $table"
psql_q -d $dst -c "DROP TABLE IF EXISTS $table" -c "DELETE FROM metaload_publication WHERE load_name = 'delta_bench'" 2>/dev/null || true

cat > "$work/config.yaml" <<YAML
metadata: { url: 'jdbc:postgresql://$PGHOST:$PGPORT/$meta', user: $PGUSER }
connections:
  src: { url: 'jdbc:postgresql://$PGHOST:$PGPORT/$src', user: $PGUSER }
  dst: { url: 'jdbc:postgresql://$PGHOST:$PGPORT/$dst', user: $PGUSER }
YAML
cat > "$work/loads.yaml" <<YAML
loads:
  - name: delta_bench
    source: { connection: src, table: $table }
    splitKey: id
    delta: { mode: watermark, column: updated_at, lookback: 5m }
    target: { connection: dst, table: $table, writeMode: merge }
  - name: delta_bench_warm
    source: { connection: src, table: ${table}_warm }
    splitKey: id
    target: { connection: dst, table: ${table}_warm }
YAML
psql_q -d $src -c "DROP TABLE IF EXISTS ${table}_warm" -c "CREATE TABLE ${table}_warm AS SELECT * FROM $table WHERE id <= 10000" \
  -c "ALTER TABLE ${table}_warm ADD PRIMARY KEY (id)"
"$here/bin/metaload" metadata import --config "$work/config.yaml" "$work/loads.yaml" > /dev/null 2>&1
log "untimed training run for the start-up archive"
train_startup_archive "$work/config.yaml" delta_bench_warm

run() {
  local start end
  start=$(date +%s.%N)
  "$here/bin/metaload" run --config "$work/config.yaml" --load delta_bench --parallelism=$parallelism > "$work/out.txt" 2> "$work/err.txt" || {
    echo "metaload failed:" >&2; grep -v WARN "$work/err.txt" | tail -20 >&2; exit 1; }
  end=$(date +%s.%N)
  [ -n "${KEEP_LOGS:-}" ] && cp "$work/err.txt" "$KEEP_LOGS.$(date +%s)"
  echo "$end - $start" | bc -l
}
scanned() { psql_q -d $src -tAc "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables WHERE relname = '$table'"; }

log "first run: full load of $rows rows"
full=$(run)
changed=$((rows / 100))
window_low=$(psql_q -d $src -tAc "SELECT localtimestamp - interval '5 minutes'")
log "changing $changed rows: $((changed / 2)) updates, $((changed / 2)) inserts"
psql_q -d $src -c "UPDATE $table SET amount = amount + 1, status = 'CHANGED', updated_at = clock_timestamp()
    WHERE id IN (SELECT x * 2 FROM generate_series(1, $((changed / 2))) AS x)" -c "
  INSERT INTO $table SELECT x, x % 5000000, 1.00, 'NEW', 'inserted', clock_timestamp()
  FROM generate_series($rows::bigint + 1, $rows::bigint + $((changed / 2))) AS x" -c "ANALYZE $table"
log "settling: VACUUM ANALYZE of the target and a CHECKPOINT, as a day's wait would have done"
psql_q -d $dst -c "VACUUM ANALYZE $table"
psql_q -d postgres -c "CHECKPOINT"
sleep 1
log "practical limit: psql pipe of the window into staging, upsert (rolled back)"
columns="id, customer_id, amount, status, comment, updated_at"
updates="customer_id = EXCLUDED.customer_id, amount = EXCLUDED.amount, status = EXCLUDED.status, comment = EXCLUDED.comment,
  updated_at = EXCLUDED.updated_at"
start=$(date +%s.%N)
psql_q -d $src -c "COPY (SELECT $columns FROM $table WHERE updated_at >= '$window_low' AND updated_at < localtimestamp
    ORDER BY updated_at) TO STDOUT (FORMAT binary)" \
  | psql_q -d $dst -c "BEGIN" -c "CREATE TEMP TABLE pipe_staging (LIKE $table)" -c "COPY pipe_staging FROM STDIN (FORMAT binary)" \
      -c "INSERT INTO $table SELECT $columns FROM pipe_staging ON CONFLICT (id) DO UPDATE SET $updates" -c "ROLLBACK"
end=$(date +%s.%N)
pipe=$(echo "$end - $start" | bc -l)
psql_q -d postgres -c "CHECKPOINT"
sleep 1
before=$(scanned)
log "delta run"
delta=$(run)
after=$(scanned)
window=$(psql_q -d $meta -tAc "SELECT rows_written FROM load_run WHERE load_name = 'delta_bench' ORDER BY run_id DESC LIMIT 1")
check_src=$(psql_q -d $src -tAc "SELECT count(*) || ':' || sum(hashtextextended(t::text, 0)) FROM $table t")
check_dst=$(psql_q -d $dst -tAc "SELECT count(*) || ':' || sum(hashtextextended(t::text, 0)) FROM $table t")
[ "$check_src" = "$check_dst" ] || { echo "target differs from source: $check_src vs $check_dst" >&2; exit 1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(psql_q -d postgres -tAc 'SHOW server_version' | cut -d' ' -f1), parallelism $parallelism"
printf '| %-22s | %12s |\n' "measure" "value"
printf '|%s|%s|\n' "------------------------" "--------------"
printf '| %-22s | %12s |\n' "table rows" "$(printf "%'d" $rows)"
printf '| %-22s | %12s |\n' "rows changed" "$(printf "%'d" $changed)"
printf '| %-22s | %12.1f |\n' "full load wall s" "$full"
printf '| %-22s | %12.1f |\n' "delta run wall s" "$delta"
printf '| %-22s | %11.1f%% |\n' "delta / full" "$(echo "100 * $delta / $full" | bc -l)"
printf '| %-22s | %12.1f |\n' "psql pipe delta wall s" "$pipe"
printf '| %-22s | %11.1f%% |\n' "psql pipe / full" "$(echo "100 * $pipe / $full" | bc -l)"
printf '| %-22s | %12s |\n' "rows in window" "$(printf "%'d" $window)"
printf '| %-22s | %12s |\n' "source rows scanned" "$(printf "%'d" $((after - before)))"
printf '| %-22s | %11.2fx |\n' "scanned / window" "$(echo "($after - $before) / $window" | bc -l)"
echo "target equals source (count and checksum): $check_dst"
