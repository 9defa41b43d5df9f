package io.metaload.pipelines;

import io.metaload.metadata.config.MetaloadConfig;
import io.metaload.metadata.plan.SourceSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.annotation.Nullable;

/**
 * The source snapshots a command exports, to plan new runs and resume others in: the heartbeat
 * keeps each one's session alive until the command closes them all.
 */
final class SourceSnapshots {
  private final MetaloadConfig config;
  private final List<SourceSnapshot> exported = new CopyOnWriteArrayList<>();

  SourceSnapshots(MetaloadConfig config) {
    this.config = config;
  }

  /** A snapshot of the source {@code connection}; null when the source cannot export one. */
  @Nullable
  SourceSnapshot export(String connection) {
    SourceSnapshot snapshot = SourceSnapshot.export(config.connection(connection)).orElse(null);
    if (snapshot != null) {
      exported.add(snapshot);
    }
    return snapshot;
  }

  /** The snapshots exported so far, for the heartbeat: the list grows with each export. */
  List<SourceSnapshot> exported() {
    return exported;
  }

  void closeAll() {
    exported.forEach(SourceSnapshot::close);
  }
}
