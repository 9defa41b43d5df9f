package io.metaload.testing.target;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.config.RetryPolicy;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PublishedWatermark;
import io.metaload.metadata.plan.TargetCatalog;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.target.PublicationSettings;
import io.metaload.transforms.target.RunPublication;
import io.metaload.transforms.target.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * A directory of JSON-lines files as a target (see {@link JsonLinesFiles} for its layout). Every
 * load plans the table as new and a publication replaces the table's rows; deltas are not served.
 */
final class JsonLinesTarget implements Target {
  private final Path root;

  JsonLinesTarget(Path root) {
    this.root = root;
  }

  @Override
  public TargetCatalog catalog() {
    return new TargetCatalog() {
      @Override
      public Optional<Existing> find(TableRef named) {
        return Optional.empty();
      }

      @Override
      public Optional<String> swapRefusal(TableRef table) {
        return Optional.empty();
      }

      @Override
      public TableRef newTable(TableRef named) {
        return named;
      }

      @Override
      public String newColumnName(String name) {
        return name;
      }

      @Override
      public Optional<PublishedWatermark.Latest> latestPublication(TableRef named, String load) {
        return Optional.empty();
      }
    };
  }

  @Override
  public PublicationState publicationState(TableRef table, String runUid) {
    return Files.exists(root.resolve(table.table()).resolve("_published_" + runUid))
        ? PublicationState.PUBLISHED
        : PublicationState.NONE;
  }

  @Override
  public void prepare(RunContext run) {
    try {
      Files.createDirectories(JsonLinesFiles.table(root, run));
      JsonLinesFiles.deleteTree(JsonLinesFiles.staging(root, run));
      Files.createDirectories(JsonLinesFiles.staging(root, run));
      Path preparing = root.resolve(run.ledger().table() + ".tmp");
      Files.createDirectories(preparing);
      Files.move(preparing, JsonLinesFiles.prepared(root, run), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean isPrepared(RunContext run) {
    return Files.isDirectory(JsonLinesFiles.prepared(root, run));
  }

  @Override
  public List<BatchRecord> committedBatches(RunContext run, int attempt) {
    List<BatchRecord> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (ObjectNode b : JsonLinesFiles.ledger(JsonLinesFiles.staging(root, run))) {
      out.add(
          BatchRecord.of(
              run.runId(),
              run.loadName(),
              b.get("batch").asText(),
              b.get("partition").asInt(),
              b.get("first").asLong(),
              b.get("last").asLong(),
              b.get("read").asLong(),
              b.get("written").asLong(),
              0,
              now,
              now,
              attempt,
              0));
    }
    return out;
  }

  @Override
  public Optional<Map<Integer, long[]>> committedByPartition(RunContext run) {
    if (!isPrepared(run)) {
      return Optional.empty();
    }
    Map<Integer, long[]> out = new HashMap<>();
    for (ObjectNode b : JsonLinesFiles.ledger(JsonLinesFiles.staging(root, run))) {
      long[] counts = out.computeIfAbsent(b.get("partition").asInt(), p -> new long[3]);
      counts[0]++;
      counts[1] += b.get("written").asLong();
      counts[2] += b.get("read").asLong();
    }
    return Optional.of(out);
  }

  @Override
  public PTransform<PCollection<RowBatch>, PCollection<BatchRecord>> write(
      RunContext run, int attempt, RetryPolicy retry) {
    List<String> names = new ArrayList<>();
    run.plan().targetSchema().columns().forEach(c -> names.add(c.name()));
    return new JsonLinesWrite(JsonLinesFiles.staging(root, run).toString(), names, attempt);
  }

  @Override
  public Optional<String> whyNoCopyPassThrough(LoadPlan plan, Dialect source) {
    return Optional.of("the jsonl target takes rows, not COPY tuples");
  }

  @Override
  public RunPublication publication(RunContext run, PublicationSettings settings) {
    return new JsonLinesPublication(root, run);
  }

  @Override
  public void discardStaged(RunContext run) {
    JsonLinesFiles.deleteTree(JsonLinesFiles.prepared(root, run));
  }

  @Override
  public void drop(List<TableRef> leftovers, long runId) {
    leftovers.forEach(t -> JsonLinesFiles.deleteTree(root.resolve(t.table())));
  }
}
