#!/usr/bin/env bash
# metaload benchmark. Loads one generated table into an empty PostgreSQL table with a primary
# key, in one invocation and on the same data, with
#   1. the COPY pipe: the source's own export piped into psql COPY ... FROM STDIN (the practical limit;
#      binary format from PostgreSQL, text from MariaDB),
#      and the same pipe into an unindexed table followed by ALTER TABLE ... ADD PRIMARY KEY,
#   2. a plain Beam pipeline: JdbcIO.readWithPartitions -> JdbcIO.write, same runner and parallelism,
#   3. metaload: a full load with validation and publication,
# checks every target equals the source (count and checksum) and prints a table of wall
# seconds, rows/s, CPU seconds, peak RSS and the ratio to the COPY pipe (medians of the repeats).
#
# Usage: benchmarks/run.sh [options]
#   --rows N          rows in the source table (default 10000000)
#   --repeats R       runs of each method (default 3)
#   --source DB       postgres (default) or mariadb
#   --memory          also run metaload alone at 1M and 10M rows (and 50M with --with-50m) and print peak RSS
#   --with-50m        include 50M rows in --memory
#   --direct          also run metaload on the Direct runner at 1M rows
#   --skip-jdbcio     leave out the plain JdbcIO pipeline
#   --flowgraph       also run metaload with a 5-step flowgraph (rename, cast, filter, computed column, salted hash)
#                     into a table it creates; the filter keeps every row, so the count is checked
#   --cluster         also run metaload on a Flink session cluster of two TaskManagers (runner-configs/flink-cluster.sh,
#                     started untimed on free ports; as many slots in all as the embedded runner's parallelism)
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres); MariaDB on 127.0.0.1:3306 as root;
#   METALOAD_JAVA_OPTS (JVM options for metaload, default -Xmx1g); PARALLELISM (default: cores).
set -euo pipefail
rows=10000000 repeats=3 source=postgres memory=0 with50=0 direct=0 jdbcio=1 cluster=0 flowgraph=0
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift ;;
    --repeats) repeats=$2; shift ;;
    --source) source=$2; shift ;;
    --memory) memory=1 ;;
    --with-50m) with50=1 ;;
    --direct) direct=1 ;;
    --skip-jdbcio) jdbcio=0 ;;
    --cluster) cluster=1 ;;
    --flowgraph) flowgraph=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case $source in postgres|mariadb) ;; *) echo "--source must be postgres or mariadb" >&2; exit 2 ;; esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
parallelism=${PARALLELISM:-$(nproc)}
src=metaload_bench_src
dst=metaload_bench_dst
work=$(mktemp -d)
cleanup() {
  [ -f "$work/cluster/jobmanager.pid" ] && "$here/runner-configs/flink-cluster.sh" stop --dir "$work/cluster" > /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
results="$work/results.tsv"
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# shellcheck source=startup-archive.sh
. "$here/benchmarks/startup-archive.sh"
maria() { mariadb -h 127.0.0.1 -P 3306 -u root "$@"; }
log() { echo "$(date +%H:%M:%S) $*" >&2; }

[ -f "$here/pipelines/target/metaload.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)

for db in $src $dst; do
  psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || psql_q -d postgres -c "CREATE DATABASE $db"
done
[ "$source" = mariadb ] && maria -e "CREATE DATABASE IF NOT EXISTS $src CHARACTER SET utf8mb4"

target_ddl="(id bigint PRIMARY KEY, customer_id bigint NOT NULL, created_at timestamp NOT NULL, amount numeric(12,2) NOT NULL, status varchar(12) NOT NULL, country char(2) NOT NULL, comment text NOT NULL)"

# generate <table> <rows>: the source table, reused when it already holds that many rows.
generate() {
  local table=$1 n=$2 have
  if [ "$source" = postgres ]; then
    have=$(psql_q -d $src -tAc "SELECT count(*) FROM $table" 2>/dev/null || echo 0)
    [ "$have" = "$n" ] && { log "reusing $src.$table ($n rows)"; return; }
    log "generating $n rows in PostgreSQL $src.$table"
    psql_q -d $src -c "DROP TABLE IF EXISTS $table" -c "CREATE TABLE $table $target_ddl" -c "
      INSERT INTO $table SELECT x, (x * 7919) % 5000000, timestamp '2020-01-01' + (x % 100000000) * interval '1 second',
        ((x * 37) % 10000000) / 100.0, (array['NEW','PAID','SHIPPED','CLOSED','RETURNED'])[x % 5 + 1],
        (array['DE','FR','US','JP','BR','IN','GB'])[x % 7 + 1],
        rpad('order ' || x || ' for customer ' || (x * 7919) % 5000000 || ' ', (60 + x % 21)::int, 'abcdefghij')
      FROM generate_series(1::bigint, $n::bigint) AS x" -c "VACUUM ANALYZE $table"
  else
    have=$(maria -N -e "SELECT count(*) FROM $src.$table" 2>/dev/null || echo 0)
    [ "$have" = "$n" ] && { log "reusing MariaDB $src.$table ($n rows)"; return; }
    log "generating $n rows in MariaDB $src.$table"
    maria $src -e "DROP TABLE IF EXISTS $table; CREATE TABLE $table (id bigint PRIMARY KEY, customer_id bigint NOT NULL,
        created_at datetime NOT NULL, amount decimal(12,2) NOT NULL, status varchar(12) NOT NULL, country char(2) NOT NULL,
        comment text NOT NULL);
      INSERT INTO $table SELECT seq, (seq * 7919) % 5000000, TIMESTAMP('2020-01-01') + INTERVAL (seq % 100000000) SECOND,
        ((seq * 37) % 10000000) / 100.0, ELT(seq % 5 + 1, 'NEW','PAID','SHIPPED','CLOSED','RETURNED'),
        ELT(seq % 7 + 1, 'DE','FR','US','JP','BR','IN','GB'),
        RPAD(CONCAT('order ', seq, ' for customer ', (seq * 7919) % 5000000, ' '), 60 + seq % 21, 'abcdefghij')
      FROM seq_1_to_$n; ANALYZE TABLE $table;" > /dev/null
  fi
}

checksum() { psql_q -d $dst -tAc "SELECT count(*) || ':' || sum(hashtextextended(t::text, 0)) FROM $1 t"; }
create_target() { psql_q -d $dst -c "DROP TABLE IF EXISTS $1" -c "CREATE TABLE $1 $target_ddl"; }
create_unindexed() { psql_q -d $dst -c "DROP TABLE IF EXISTS $1" -c "CREATE TABLE $1 $target_ddl" -c "ALTER TABLE $1 DROP CONSTRAINT $1_pkey"; }

# wait_for_autovacuum: until no autovacuum worker runs, so that the vacuum and analyze of the
# table the previous method wrote do not overlap the next method's measurement.
wait_for_autovacuum() {
  while [ "$(psql_q -d postgres -tAc "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ]; do
    sleep 1
  done
}

# measure <label> <rows> <command...>: wall seconds, CPU seconds (user+sys of the process tree), peak RSS (MiB)
measure() {
  local label=$1 n=$2; shift 2
  local start end user sys rss
  psql_q -d $dst -c CHECKPOINT
  wait_for_autovacuum
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" || {
    echo "$label failed:" >&2; grep -v WARN "$work/err.txt" | tail -20 >&2; exit 1; }
  end=$(date +%s.%N)
  read -r user sys rss < <(tail -1 "$work/time.txt")
  echo -e "$label\t$n\t$(echo "$end - $start" | bc -l)\t$(echo "$user + $sys" | bc -l)\t$((rss / 1024))" >> "$results"
}

source_url() {
  [ "$source" = postgres ] && echo "jdbc:postgresql://$PGHOST:$PGPORT/$src" || echo "jdbc:mariadb://127.0.0.1:3306/$src"
}
src_user() { [ "$source" = postgres ] && echo "$PGUSER" || echo root; }

cat > "$work/config.yaml" <<YAML
metadata:
  url: jdbc:h2:file:$work/metadata;AUTO_SERVER=TRUE
  user: sa
connections:
  src: { url: "$(source_url)", user: $(src_user) }
  dst: { url: "jdbc:postgresql://$PGHOST:$PGPORT/$dst", user: $PGUSER }
YAML

# metaload_load <name> <source table> <target table>: defines a load (import is idempotent).
metaload_load() {
  printf 'loads:\n  - { name: %s, source: { connection: src, table: %s }, splitKey: id, target: { connection: dst, table: %s } }\n' \
    "$1" "$2" "$3" > "$work/$1.yaml"
  "$here/bin/metaload" metadata import --config "$work/config.yaml" "$work/$1.yaml" > /dev/null
}

# copy_pipe <source table> <target table>: the shell pipeline, as one string for bash -c.
copy_pipe() {
  if [ "$source" = postgres ]; then
    echo "psql -X -d $src -c 'COPY (SELECT * FROM $1) TO STDOUT (FORMAT binary)' | psql -X -d $dst -c 'COPY $2 FROM STDIN (FORMAT binary)'"
  else
    echo "mariadb -h 127.0.0.1 -u root --batch --raw --skip-column-names --quick $src -e 'SELECT * FROM $1' | psql -X -d $dst -c 'COPY $2 FROM STDIN'"
  fi
}

table=bench_orders
[ "$rows" != 10000000 ] && table=bench_orders_$rows
generate $table "$rows"
metaload_load bench $table bench_metaload
if [ $flowgraph = 1 ]; then
  export METALOAD_BENCH_SALT=benchmark-salt
  cat > "$work/bench_fg.yaml" <<YAML
flowgraphs:
  - name: bench_five_steps
    steps:
      - rename: { customer_id: customer }
      - cast: { amount: 'decimal(14,2)' }
      - filter: "amount >= 0"
      - compute: { column: amount_gross, type: 'decimal(14,2)', expression: "amount * toDecimal('1.19')" }
      - hash: { columns: [comment], salt: '\${env:METALOAD_BENCH_SALT}' }
loads:
  - { name: bench_fg, source: { connection: src, table: $table }, splitKey: id, flowgraph: bench_five_steps,
      target: { connection: dst, table: bench_flowgraph } }
YAML
  "$here/bin/metaload" metadata import --config "$work/config.yaml" "$work/bench_fg.yaml" > /dev/null
fi
generate bench_orders_10000 10000
metaload_load warm bench_orders_10000 bench_warm
log "untimed training run for the start-up archive"
train_startup_archive "$work/config.yaml" warm
expected=""
if [ $cluster = 1 ]; then
  free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  cluster_port=$(free_port)
  log "starting a Flink session cluster (2 TaskManagers x $(( (parallelism + 1) / 2 )) slots) on port $cluster_port"
  (cd "$here" && mvn -q -B -o -DskipTests package -pl runner-configs/flink-cluster > /dev/null 2>&1 || true)
  "$here/runner-configs/flink-cluster.sh" start --dir "$work/cluster" --port "$cluster_port" --rpc-port "$(free_port)" \
    --taskmanagers 2 --slots $(( (parallelism + 1) / 2 )) >&2
fi

for i in $(seq 1 "$repeats"); do
  log "repeat $i/$repeats: COPY pipe"
  create_target bench_copy
  measure "COPY pipe" "$rows" bash -o pipefail -c "$(copy_pipe $table bench_copy)"
  sum=$(checksum bench_copy)
  [ -z "$expected" ] && expected=$sum
  [ "${sum%%:*}" = "$rows" ] && [ "$sum" = "$expected" ] || { echo "COPY pipe target differs: $sum vs $expected" >&2; exit 1; }

  log "repeat $i/$repeats: COPY pipe into an unindexed table, then ADD PRIMARY KEY"
  create_unindexed bench_copy_pk
  measure "COPY pipe + PK" "$rows" bash -o pipefail -c "$(copy_pipe $table bench_copy_pk) && psql -X -q -d $dst -c 'ALTER TABLE bench_copy_pk ADD PRIMARY KEY (id)'"
  [ "$(checksum bench_copy_pk)" = "$expected" ] || { echo "COPY pipe + PK target differs from source" >&2; exit 1; }

  if [ $jdbcio = 1 ]; then
    log "repeat $i/$repeats: plain JdbcIO pipeline"
    create_target bench_jdbcio
    measure "plain JdbcIO" "$rows" java -Xmx4g $opens -cp "$here/pipelines/target/metaload.jar:$here/pipelines/target/lib/*" \
      io.metaload.pipelines.bench.PlainJdbcIoCopy --runner=FlinkRunner --flinkMaster=[local] --objectReuse=true \
      --parallelism=$parallelism --sourceUrl="$(source_url)" --user="$(src_user)" --targetUrl="jdbc:postgresql://$PGHOST:$PGPORT/$dst" \
      --sourceTable=$table --targetTable=bench_jdbcio
    [ "$(checksum bench_jdbcio)" = "$expected" ] || { echo "JdbcIO target differs from source" >&2; exit 1; }
  fi

  log "repeat $i/$repeats: metaload"
  create_target bench_metaload
  measure "metaload" "$rows" "$here/bin/metaload" run --config "$work/config.yaml" --load bench --runner=FlinkRunner --parallelism=$parallelism
  [ "$(checksum bench_metaload)" = "$expected" ] || { echo "metaload target differs from source" >&2; exit 1; }

  if [ $flowgraph = 1 ]; then
    log "repeat $i/$repeats: metaload with a 5-step flowgraph"
    psql_q -d $dst -c "DROP TABLE IF EXISTS bench_flowgraph"
    measure "metaload 5 steps" "$rows" "$here/bin/metaload" run --config "$work/config.yaml" --load bench_fg --runner=FlinkRunner \
      --parallelism=$parallelism
    [ "$(psql_q -d $dst -tAc 'SELECT count(*) FROM bench_flowgraph')" = "$rows" ] || { echo "flowgraph target lacks rows" >&2; exit 1; }
  fi

  if [ $cluster = 1 ]; then
    log "repeat $i/$repeats: metaload on the Flink session cluster"
    create_target bench_metaload
    measure "metaload cluster" "$rows" "$here/bin/metaload" run --config "$work/config.yaml" --load bench --runner=FlinkRunner \
      --flinkMaster=localhost:$cluster_port --objectReuse=true
    [ "$(checksum bench_metaload)" = "$expected" ] || { echo "metaload (cluster) target differs from source" >&2; exit 1; }
  fi
done

if [ $direct = 1 ]; then
  generate bench_orders_1000000 1000000
  metaload_load bench_direct bench_orders_1000000 bench_direct
  log "metaload on the Direct runner, 1M rows"
  create_target bench_direct
  measure "metaload Direct" 1000000 "$here/bin/metaload" run --config "$work/config.yaml" --load bench_direct --runner=DirectRunner
fi

if [ $memory = 1 ]; then
  sizes="1000000 10000000"
  [ $with50 = 1 ] && sizes="$sizes 50000000"
  for n in $sizes; do
    t=bench_orders; [ "$n" != 10000000 ] && t=bench_orders_$n
    generate $t "$n"
    metaload_load mem_$n $t bench_mem
    log "metaload memory run at $n rows"
    create_target bench_mem
    measure "memory $n" "$n" "$here/bin/metaload" run --config "$work/config.yaml" --load mem_$n --runner=FlinkRunner --parallelism=$parallelism
  done
fi

echo
echo "source: $source, $rows rows; target: PostgreSQL table with a primary key; parallelism $parallelism"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql -X -tAc 'SHOW server_version' -d postgres | sed 's/ .*//;s/^/PostgreSQL /'), JVM options ${METALOAD_JAVA_OPTS:--Xmx1g}"
python3 - "$results" <<'PY'
import sys, statistics, collections
runs = collections.OrderedDict()
for line in open(sys.argv[1]):
    label, n, wall, cpu, rss = line.rstrip("\n").split("\t")
    runs.setdefault(label, []).append((int(n), float(wall), float(cpu), int(rss)))
copy = runs.get("COPY pipe")
copy_rate = copy[0][0] / statistics.median(s[1] for s in copy) if copy else None
copy_pk = runs.get("COPY pipe + PK")
copy_pk_rate = copy_pk[0][0] / statistics.median(s[1] for s in copy_pk) if copy_pk else None
print(f"| {'method':<16} | {'rows':>11} | {'runs':>4} | {'wall s':>7} | {'rows/s':>10} | {'CPU s':>7} | {'peak RSS MiB':>12} | {'vs COPY pipe':>12} | {'vs pipe + PK':>12} |")
print(f"|{'-'*18}|{'-'*13}|{'-'*6}|{'-'*9}|{'-'*12}|{'-'*9}|{'-'*14}|{'-'*14}|{'-'*14}|")
for label, samples in runs.items():
    n = samples[0][0]
    wall = statistics.median(s[1] for s in samples)
    cpu = statistics.median(s[2] for s in samples)
    rss = max(s[3] for s in samples)
    rate = n / wall
    ratio = f"{rate / copy_rate:.2f}x" if copy_rate and not label.startswith("memory") else "-"
    ratio_pk = f"{rate / copy_pk_rate:.2f}x" if copy_pk_rate and not label.startswith("memory") else "-"
    print(f"| {label:<16} | {n:>11,} | {len(samples):>4} | {wall:>7.1f} | {rate:>10,.0f} | {cpu:>7.1f} | {rss:>12,} | {ratio:>12} | {ratio_pk:>12} |")
print("wall and rows/s are medians; CPU is user+sys of the measured process tree (the database servers' CPU is not included);")
print("metaload's wall time includes JVM start, planning (exact counts), validation and the swap.")
if "metaload cluster" in runs:
    print("metaload cluster: CPU and RSS are the launcher's; the TaskManagers' JVMs are separate processes and not counted.")
PY
