package io.metaload.testing.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.metadata.store.RunContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a {@code jsonl} target keeps things under its root directory: a run's staging directory
 * (named as the run's staging table), one file per committed batch whose first line is the batch's
 * ledger entry, the prepared marker (named as the run's ledger), and per table the published files
 * {@code <uid>.jsonl} beside their commit markers {@code _published_<uid>}. Every file appears by
 * an atomic rename, so a reader never sees half of one.
 */
final class JsonLinesFiles {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonLinesFiles() {}

  static Path root(ConnectionSpec connection) {
    if (!connection.url().startsWith("file:")) {
      throw new IllegalArgumentException("a jsonl target's url is file:<directory>");
    }
    return Path.of(connection.url().substring("file:".length()));
  }

  static Path staging(Path root, RunContext run) {
    return root.resolve(run.staging().table());
  }

  static Path prepared(Path root, RunContext run) {
    return root.resolve(run.ledger().table());
  }

  static Path table(Path root, RunContext run) {
    return root.resolve(run.plan().target().table());
  }

  static Path published(Path root, RunContext run) {
    return table(root, run).resolve("_published_" + run.runUid());
  }

  static String header(BatchRecord b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("batch", b.batchId())
        .put("partition", b.partitionId())
        .put("first", b.keyFirst())
        .put("last", b.keyLast())
        .put("read", b.rowsRead())
        .put("written", b.rowsWritten());
    return o.toString();
  }

  /** The ledger: the header of every batch file in staging. */
  static List<ObjectNode> ledger(Path staging) {
    List<ObjectNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(staging)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        String first = Files.readAllLines(f, StandardCharsets.UTF_8).get(0);
        out.add((ObjectNode) JSON.readTree(first));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static void writeAtomically(Path file, List<String> lines) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
