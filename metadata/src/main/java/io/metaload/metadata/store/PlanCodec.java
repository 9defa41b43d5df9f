package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.plan.LoadPlan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

/**
 * Stores a run's plan with the run, so a resumed run reads exactly the partitions and key ranges
 * the first attempt planned. Plans are written as JSON ({@link PlanJson}). Plans that earlier
 * versions stored with Java serialization (they start with the stream magic {@code 0xACED}) are
 * still read, through an allow-list filter: only metaload's own plan classes and the JDK value and
 * collection types they hold are instantiated, with bounded depth and size, so bytes placed in the
 * metadata store cannot make the launcher build arbitrary objects. A plan that does not decode is
 * reported, and the run can be abandoned.
 */
final class PlanCodec {
  static final ObjectInputFilter FILTER =
      ObjectInputFilter.Config.createFilter(
          "maxdepth=20;maxrefs=100000;maxbytes=67108864;maxarray=1000000;"
              + "io.metaload.metadata.**;java.lang.Object;java.lang.Enum;java.lang.Number;java.lang.Long;java.lang.Integer;java.lang.String;"
              + "java.lang.Boolean;java.util.ImmutableCollections$*;java.util.CollSer;java.util.ArrayList;java.util.Collections$*;"
              + "java.math.BigDecimal;java.math.BigInteger;!*");

  private PlanCodec() {}

  static byte[] encode(LoadPlan plan) {
    return PlanJson.write(plan);
  }

  static LoadPlan decode(byte[] bytes, long runId) {
    if (bytes == null) {
      throw new MetaloadException(
              ExitCode.LOAD_FAILED,
              "run " + runId + " has no stored plan and cannot be resumed; abandon it")
          .withRun(runId);
    }
    boolean javaSerialized =
        bytes.length > 1 && (bytes[0] & 0xFF) == 0xAC && (bytes[1] & 0xFF) == 0xED;
    if (!javaSerialized) {
      try {
        return PlanJson.read(bytes);
      } catch (IOException | IllegalArgumentException | MetaloadException e) {
        throw new MetaloadException(
                ExitCode.LOAD_FAILED,
                "the stored plan of run "
                    + runId
                    + " cannot be read by this metaload version ("
                    + e.getMessage()
                    + "); abandon the run",
                e)
            .withRun(runId);
      }
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(FILTER);
      return (LoadPlan) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new MetaloadException(
              ExitCode.LOAD_FAILED,
              "the stored plan of run "
                  + runId
                  + " cannot be read by this metaload version ("
                  + e.getMessage()
                  + "); abandon the run",
              e)
          .withRun(runId);
    }
  }
}
