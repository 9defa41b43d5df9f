package io.metaload.metadata.store;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.plan.LoadPlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * Stores a run's plan with the run, so a resumed run reads exactly the partitions and key
 * ranges the first attempt planned. Java serialization ties the stored plan to the metaload
 * version that wrote it; a plan that no longer decodes is reported, and the run can be
 * abandoned. Decoding goes through an allow-list filter: only metaload's own plan classes and
 * the JDK value and collection types they hold are instantiated, with bounded depth and size,
 * so bytes placed in the metadata store cannot make the launcher build arbitrary objects.
 */
final class PlanCodec {
  static final java.io.ObjectInputFilter FILTER = java.io.ObjectInputFilter.Config.createFilter(
      "maxdepth=20;maxrefs=100000;maxbytes=67108864;maxarray=1000000;"
          + "io.metaload.metadata.**;java.lang.Object;java.lang.Enum;java.lang.Number;java.lang.Long;java.lang.Integer;java.lang.String;"
          + "java.lang.Boolean;java.util.ImmutableCollections$*;java.util.CollSer;java.util.ArrayList;java.util.Collections$*;"
          + "java.math.BigDecimal;java.math.BigInteger;!*");

  private PlanCodec() {}

  static byte[] encode(LoadPlan plan) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(plan);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize the plan of load " + plan.definition().name(), e);
    }
    return bytes.toByteArray();
  }

  static LoadPlan decode(byte[] bytes, long runId) {
    if (bytes == null) {
      throw new MetaloadException(ExitCode.LOAD_FAILED, "run " + runId + " has no stored plan and cannot be resumed; abandon it").withRun(runId);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(FILTER);
      return (LoadPlan) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new MetaloadException(ExitCode.LOAD_FAILED,
          "the stored plan of run " + runId + " cannot be read by this metaload version (" + e.getMessage() + "); abandon the run", e)
          .withRun(runId);
    }
  }
}
