#!/usr/bin/env bash
# metaload split-key benchmark (PostgreSQL -> PostgreSQL). The same N rows keyed four ways, each
# loaded by metaload in one invocation into a new target: a bigint key, a random uuid key, a
# random varchar key (32 hex characters) and a skewed bigint key (90% of the ids packed into 5%
# of the key range). Prints wall seconds, rows/s against the bigint load, the planning seconds
# (from the run's log) and their share of the wall time, and the read units' imbalance (largest
# unit's rows / mean, from `metaload status`), and checks every target equals its source. For
# each key it also times the practical limit of the same copy, measured just after metaload's:
# psql's binary COPY pipe into an unindexed table followed by ADD PRIMARY KEY, and prints that
# limit's own rows/s against the bigint key's limit, and metaload's rows/s against it.
#
# Usage: benchmarks/keys.sh [--rows N]   (default 10000000)
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres); METALOAD_JAVA_OPTS; PARALLELISM (default: cores).
set -euo pipefail
rows=10000000
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
parallelism=${PARALLELISM:-$(nproc)}
src=metaload_bench_src dst=metaload_bench_dst
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
log() { echo "$(date +%H:%M:%S) $*" >&2; }
# shellcheck source=startup-archive.sh
. "$here/benchmarks/startup-archive.sh"

[ -f "$here/pipelines/target/metaload.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)
for db in $src $dst; do
  psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || psql_q -d postgres -c "CREATE DATABASE $db"
done

columns="customer_id bigint NOT NULL, created_at timestamp NOT NULL, amount numeric(12,2) NOT NULL, status varchar(12) NOT NULL,
  country char(2) NOT NULL, comment text NOT NULL"
values="(x * 7919) % 5000000, timestamp '2020-01-01' + (x % 100000000) * interval '1 second', ((x * 37) % 10000000) / 100.0,
  (array['NEW','PAID','SHIPPED','CLOSED','RETURNED'])[x % 5 + 1], (array['DE','FR','US','JP','BR','IN','GB'])[x % 7 + 1],
  rpad('order ' || x || ' for customer ' || (x * 7919) % 5000000 || ' ', (60 + x % 21)::int, 'abcdefghij')"
dense=$((rows * 9 / 10))
declare -A key_type=([bigint]=bigint [uuid]=uuid [varchar]="varchar(32)" [skewed]=bigint)
declare -A key_value=([bigint]=x [uuid]="md5(x::text)::uuid" [varchar]="md5(x::text)"
  [skewed]="CASE WHEN x <= $dense THEN x ELSE $dense + (x - $dense) * 171 END")
kinds="bigint uuid varchar skewed"

# generate <kind>: keys_<kind> with N rows, reused when it already holds them.
generate() {
  local t=keys_$1 have
  have=$(psql_q -d $src -tAc "SELECT count(*) FROM $t" 2>/dev/null || echo 0)
  [ "$have" = "$rows" ] && { log "reusing $src.$t ($rows rows)"; return; }
  log "generating $rows rows in $src.$t"
  psql_q -d $src -c "DROP TABLE IF EXISTS $t" -c "CREATE TABLE $t (id ${key_type[$1]} PRIMARY KEY, $columns)" \
    -c "INSERT INTO $t SELECT ${key_value[$1]}, $values FROM generate_series(1::bigint, $rows::bigint) AS x" -c "VACUUM ANALYZE $t"
}

cat > "$work/config.yaml" <<YAML
metadata: { url: 'jdbc:h2:file:$work/metadata', user: sa }
connections:
  src: { url: 'jdbc:postgresql://$PGHOST:$PGPORT/$src', user: $PGUSER }
  dst: { url: 'jdbc:postgresql://$PGHOST:$PGPORT/$dst', user: $PGUSER }
YAML
{
  echo "loads:"
  for k in $kinds warm; do
    echo "  - { name: keys_$k, source: { connection: src, table: keys_$k }, splitKey: id, target: { connection: dst, table: keys_${k}_copy } }"
  done
} > "$work/loads.yaml"
for k in $kinds; do generate "$k"; done
psql_q -d $src -c "DROP TABLE IF EXISTS keys_warm" -c "CREATE TABLE keys_warm AS SELECT * FROM keys_bigint WHERE id <= 10000" \
  -c "ALTER TABLE keys_warm ADD PRIMARY KEY (id)"
"$here/bin/metaload" metadata import --config "$work/config.yaml" "$work/loads.yaml" > /dev/null
log "untimed training run for the start-up archive"
train_startup_archive "$work/config.yaml" keys_warm

checksum() { psql_q -d "$1" -tAc "SELECT count(*) || ':' || sum(hashtextextended(t::text, 0)) FROM $2 t"; }
results="$work/results.tsv"
for k in $kinds; do
  psql_q -d $dst -c "DROP TABLE IF EXISTS keys_${k}_copy"
  psql_q -d $dst -c CHECKPOINT
  while [ "$(psql_q -d postgres -tAc "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ]; do
    sleep 1
  done
  log "metaload: keys_$k"
  start=$(date +%s.%N)
  "$here/bin/metaload" run --config "$work/config.yaml" --load "keys_$k" --runner=FlinkRunner --parallelism="$parallelism" \
    > "$work/out.txt" 2> "$work/err.txt" || { echo "metaload failed:" >&2; grep -v WARN "$work/err.txt" | tail -20 >&2; exit 1; }
  end=$(date +%s.%N)
  [ "$(checksum $src keys_$k)" = "$(checksum $dst keys_${k}_copy)" ] || { echo "keys_${k}_copy differs from its source" >&2; exit 1; }
  planning=$(grep -o "planned [0-9]* rows in [0-9]* partition(s) in [0-9.]* s" "$work/err.txt" | awk '{print $(NF-1)}')
  run_id=$(grep -o "^run [0-9]*" "$work/out.txt" | awk '{print $2}')
  imbalance=$("$here/bin/metaload" status --config "$work/config.yaml" --run "$run_id" | grep -o "imbalance [0-9.]*" | awk '{print $2}')
  psql_q -d $dst -c "DROP TABLE IF EXISTS keys_${k}_pipe" -c "CREATE TABLE keys_${k}_pipe (id ${key_type[$k]} NOT NULL, $columns)" \
    -c CHECKPOINT
  log "COPY pipe + PK: keys_$k"
  pipe_start=$(date +%s.%N)
  psql -X -d $src -c "COPY keys_$k TO STDOUT (FORMAT binary)" | psql -X -q -d $dst -c "COPY keys_${k}_pipe FROM STDIN (FORMAT binary)"
  psql_q -d $dst -c "ALTER TABLE keys_${k}_pipe ADD PRIMARY KEY (id)"
  pipe_end=$(date +%s.%N)
  [ "$(checksum $src keys_$k)" = "$(checksum $dst keys_${k}_pipe)" ] || { echo "keys_${k}_pipe differs from its source" >&2; exit 1; }
  psql_q -d $dst -c "DROP TABLE keys_${k}_pipe"
  echo -e "$k\t$(echo "$end - $start" | bc -l)\t$planning\t$imbalance\t$(echo "$pipe_end - $pipe_start" | bc -l)" >> "$results"
done

echo
echo "PostgreSQL -> PostgreSQL, $rows rows per table, Flink runner, parallelism $parallelism"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql_q -d postgres -tAc 'SHOW server_version' | sed 's/ .*//;s/^/PostgreSQL /')"
python3 - "$results" "$rows" <<'PY'
import sys
rows = int(sys.argv[2])
data = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
base = rows / float(data[0][1])
pipe_base = rows / float(data[0][4])
print("| key | wall s | rows/s | vs bigint | planning s | planning share | imbalance | pipe + PK s | pipe + PK vs bigint's | vs pipe + PK |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for kind, wall, planning, imbalance, pipe in data:
    w, p, q = float(wall), float(planning), float(pipe)
    print(f"| {kind} | {w:.1f} | {rows / w:,.0f} | {rows / w / base:.2f}x | {p:.2f} | {100 * p / w:.1f}% | {imbalance} "
          f"| {q:.1f} | {rows / q / pipe_base:.2f}x | {q / w:.2f}x |")
PY
