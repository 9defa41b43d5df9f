package io.metaload.metadata.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's rejects as one JSON text, kept in the target's ledger row of the batch so that they
 * commit with the batch's rows: a resume that finds the batch in the ledger but not in the protocol
 * recovers its rejects from there.
 */
public final class RejectsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RejectsJson() {}

  public static String write(List<RejectRecord> rejects) {
    ArrayNode a = JSON.createArrayNode();
    for (RejectRecord r : rejects) {
      a.addObject()
          .put("i", r.rowIndex())
          .put("step", r.step())
          .put("reason", r.reason())
          .put("row", r.rowJson());
    }
    return a.toString();
  }

  /** The rejects of one batch; null or empty text is none. */
  public static List<RejectRecord> read(
      String json, long runId, String loadName, int partitionId, String batchId) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      List<RejectRecord> out = new ArrayList<>();
      for (JsonNode r : JSON.readTree(json)) {
        out.add(
            RejectRecord.of(
                runId,
                loadName,
                partitionId,
                batchId,
                r.get("i").asInt(),
                r.get("step").asText(),
                r.get("reason").asText(),
                r.get("row").asText()));
      }
      return out;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException(
          "the rejects of batch " + batchId + " in the ledger are not readable: " + e.getMessage(),
          e);
    }
  }
}
