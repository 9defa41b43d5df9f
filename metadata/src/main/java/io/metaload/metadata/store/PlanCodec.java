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
 * abandoned.
 */
final class PlanCodec {
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
      return (LoadPlan) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new MetaloadException(ExitCode.LOAD_FAILED,
          "the stored plan of run " + runId + " cannot be read by this metaload version (" + e.getMessage() + "); abandon the run", e)
          .withRun(runId);
    }
  }
}
