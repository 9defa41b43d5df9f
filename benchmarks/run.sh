#!/usr/bin/env bash
# Benchmark: loads one generated PostgreSQL table into a second PostgreSQL database with
#   1. the psql COPY pipe (COPY (SELECT ...) TO STDOUT | COPY ... FROM STDIN), the practical limit;
#   2. metaload (full load with validation and publication) on the default runner;
# checks every target equals the source (count and checksum) and prints a table.
#
# Usage: benchmarks/run.sh [rows] [repeats]      (defaults: 10000000 rows, 1 repeat)
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), METALOAD_ARGS (extra Beam options).
set -euo pipefail
rows=${1:-10000000}
repeats=${2:-1}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
src=metaload_bench_src
dst=metaload_bench_dst
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

[ -f "$here/pipelines/target/metaload.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)

for db in $src $dst; do
  psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || psql_q -d postgres -c "CREATE DATABASE $db"
done

echo "generating $rows rows in $src.bench_orders ..." >&2
psql_q -d $src <<SQL
DROP TABLE IF EXISTS bench_orders;
CREATE TABLE bench_orders (
  id          bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  created_at  timestamp NOT NULL,
  amount      numeric(12,2) NOT NULL,
  status      varchar(12) NOT NULL,
  country     char(2) NOT NULL,
  comment     text NOT NULL);
INSERT INTO bench_orders
SELECT x,
       (x * 7919) % 5000000,
       timestamp '2020-01-01' + (x % 100000000) * interval '1 second',
       ((x * 37) % 10000000) / 100.0,
       (array['NEW','PAID','SHIPPED','CLOSED','RETURNED'])[x % 5 + 1],
       (array['DE','FR','US','JP','BR','IN','GB'])[x % 7 + 1],
       rpad('order ' || x || ' for customer ' || (x * 7919) % 5000000 || ' ', (60 + x % 21)::int, 'abcdefghij')
FROM generate_series(1::bigint, $rows::bigint) AS x;
VACUUM ANALYZE bench_orders;
SQL

checksum() { psql_q -d "$1" -tAc "SELECT count(*) || ':' || sum(hashtextextended(t::text, 0)) FROM $2 t"; }
expected=$(checksum $src bench_orders)

create_target() {
  psql_q -d $dst -c "DROP TABLE IF EXISTS $1" \
    -c "CREATE TABLE $1 (id bigint PRIMARY KEY, customer_id bigint NOT NULL, created_at timestamp NOT NULL, amount numeric(12,2) NOT NULL, status varchar(12) NOT NULL, country char(2) NOT NULL, comment text NOT NULL)"
}

# measure <label> <command...>: wall seconds, CPU seconds (user+sys of the whole process tree), peak RSS (MiB)
results="$work/results.tsv"
measure() {
  local label=$1; shift
  local stats="$work/time.txt"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$stats" "$@" > "$work/out.txt" 2> "$work/err.txt" || { echo "$label failed:" >&2; tail -20 "$work/err.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  read -r user sys rss < <(tail -1 "$stats")
  echo -e "$label\t$(echo "$end - $start" | bc -l)\t$(echo "$user + $sys" | bc -l)\t$((rss / 1024))" >> "$results"
}

cat > "$work/config.yaml" <<YAML
metadata:
  url: jdbc:h2:file:$work/metadata;AUTO_SERVER=TRUE
  user: sa
connections:
  src: { url: "jdbc:postgresql://$PGHOST:$PGPORT/$src", user: $PGUSER }
  dst: { url: "jdbc:postgresql://$PGHOST:$PGPORT/$dst", user: $PGUSER }
YAML
cat > "$work/loads.yaml" <<YAML
loads:
  - name: bench
    source: { connection: src, table: bench_orders }
    splitKey: id
    target: { connection: dst, table: bench_metaload }
YAML
"$here/bin/metaload" metadata import --config "$work/config.yaml" "$work/loads.yaml" >&2

for i in $(seq 1 "$repeats"); do
  echo "repeat $i/$repeats: psql COPY pipe ..." >&2
  create_target bench_copy
  measure "psql COPY pipe" bash -c "psql -X -d $src -c 'COPY (SELECT * FROM bench_orders) TO STDOUT' | psql -X -d $dst -c 'COPY bench_copy FROM STDIN'"
  [ "$(checksum $dst bench_copy)" = "$expected" ] || { echo "COPY pipe target differs from source" >&2; exit 1; }

  echo "repeat $i/$repeats: metaload ..." >&2
  create_target bench_metaload
  # shellcheck disable=SC2086
  measure "metaload" "$here/bin/metaload" run --config "$work/config.yaml" --load bench ${METALOAD_ARGS:-}
  [ "$(checksum $dst bench_metaload)" = "$expected" ] || { echo "metaload target differs from source" >&2; exit 1; }
done

echo
echo "rows: $rows; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(psql -X -tAc 'SHOW server_version' -d postgres | sed 's/^/PostgreSQL /')"
python3 - "$results" "$rows" <<'PY'
import sys, statistics, collections
path, rows = sys.argv[1], int(sys.argv[2])
runs = collections.OrderedDict()
for line in open(path):
    label, wall, cpu, rss = line.rstrip("\n").split("\t")
    runs.setdefault(label, []).append((float(wall), float(cpu), int(rss)))
copy_rate = rows / statistics.median(w for w, _, _ in runs["psql COPY pipe"])
print(f"| {'method':<16} | {'rows':>11} | {'wall s':>7} | {'rows/s':>10} | {'CPU s':>7} | {'peak RSS MiB':>12} | {'vs COPY pipe':>12} |")
print(f"|{'-'*18}|{'-'*13}|{'-'*9}|{'-'*12}|{'-'*9}|{'-'*14}|{'-'*14}|")
for label, samples in runs.items():
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    rss = max(s[2] for s in samples)
    rate = rows / wall
    print(f"| {label:<16} | {rows:>11,} | {wall:>7.1f} | {rate:>10,.0f} | {cpu:>7.1f} | {rss:>12,} | {rate / copy_rate:>11.2f}x |")
print(f"(medians of {len(next(iter(runs.values())))} run(s); CPU is user+sys of the measured process tree, which for the COPY pipe excludes the PostgreSQL servers)")
PY
