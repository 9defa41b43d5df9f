# Sourced by the benchmarks. bin/metaload records a class-data sharing archive on the first
# `run` after a build, and that run pays for writing it. train_startup_archive makes the archive
# with an untimed run of a small load before anything is measured, on the Flink runner, so that
# every timed run starts the same way a user's second and later runs do.
#
# train_startup_archive <config file> <load name>
train_startup_archive() {
  rm -f "$here/pipelines/target/metaload.jsa"
  "$here/bin/metaload" run --config "$1" --load "$2" --runner=FlinkRunner > /dev/null 2> "$work/train.txt" || {
    echo "the start-up training run failed:" >&2; tail -20 "$work/train.txt" >&2; exit 1; }
  [ -f "$here/pipelines/target/metaload.jsa" ] || echo "note: no class-data archive was written; timed runs start without one" >&2
}
