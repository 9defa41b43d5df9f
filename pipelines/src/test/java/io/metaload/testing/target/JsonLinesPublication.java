package io.metaload.testing.target;

import io.metaload.metadata.contract.ContractDefinition;
import io.metaload.metadata.contract.StagingChecks;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.target.PublicationEntry;
import io.metaload.transforms.target.PublicationFence;
import io.metaload.transforms.target.PublishedCount;
import io.metaload.transforms.target.RunPublication;
import io.metaload.transforms.target.Target.PublicationState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Publishes a run's staged batches as one file {@code <uid>.jsonl} of the table, committed by the
 * marker {@code _published_<uid>} (holding the rows), renamed into place while the fence is held.
 */
final class JsonLinesPublication implements RunPublication {
  private final Path root;
  private final RunContext run;

  JsonLinesPublication(Path root, RunContext run) {
    this.root = root;
    this.run = run;
  }

  @Override
  public PublicationState state() {
    return Files.exists(JsonLinesFiles.published(root, run))
        ? PublicationState.PUBLISHED
        : PublicationState.NONE;
  }

  @Override
  public long rowsPublished() {
    try {
      return Long.parseLong(Files.readString(JsonLinesFiles.published(root, run)).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long stagedRows() {
    return stagedLines().size();
  }

  private List<String> stagedLines() {
    List<String> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(JsonLinesFiles.staging(root, run))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        rows.addAll(lines.subList(1, lines.size()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  @Override
  public List<StagingChecks.Result> checkContract(ContractDefinition contract) {
    throw new UnsupportedOperationException("the jsonl target checks no contracts");
  }

  @Override
  public void completeStaging() {}

  @Override
  public List<PublishedCount> publish(PublicationEntry entry, PublicationFence fence) {
    try {
      return fence.holding(
          () -> {
            if (state() == PublicationState.PUBLISHED) {
              return List.of();
            }
            try {
              Path table = JsonLinesFiles.table(root, run);
              JsonLinesFiles.writeAtomically(table.resolve(run.runUid() + ".jsonl"), stagedLines());
              JsonLinesFiles.writeAtomically(
                  JsonLinesFiles.published(root, run), List.of(Long.toString(entry.rows())));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return List.of(PublishedCount.of("rows_in_published_file", entry.rows()));
          });
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<String> publishedWatermark() {
    return Optional.empty();
  }

  @Override
  public void cleanUp() {
    JsonLinesFiles.deleteTree(JsonLinesFiles.staging(root, run));
    JsonLinesFiles.deleteTree(JsonLinesFiles.prepared(root, run));
  }

  @Override
  public void close() {}
}
