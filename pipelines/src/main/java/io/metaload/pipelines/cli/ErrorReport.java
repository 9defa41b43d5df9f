package io.metaload.pipelines.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.error.MetaloadException;

/**
 * The one-line JSON object printed last on stderr when a command fails, for orchestrators: {@code
 * {"exitCode":4,"run":12,"load":"orders","partition":0,"batch":null,"error":"...","message":"..."}}.
 */
final class ErrorReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorReport() {}

  static String json(MetaloadException e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("exitCode", e.exitCode().code());
    putContext(n, e);
    n.put("error", rootCause(e).getClass().getName());
    n.put("message", e.getMessage());
    if (!e.failures().isEmpty()) {
      var list = n.putArray("failures");
      for (MetaloadException f : e.failures()) {
        ObjectNode one = list.addObject();
        one.put("exitCode", f.exitCode().code());
        putContext(one, f);
        one.put("message", f.getMessage());
      }
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void putContext(ObjectNode n, MetaloadException e) {
    for (String key : new String[] {"run", "load", "partition", "batch"}) {
      Object v = e.context().get(key);
      if (v == null) {
        n.putNull(key);
      } else if (v instanceof Number) {
        n.put(key, ((Number) v).longValue());
      } else {
        n.put(key, v.toString());
      }
    }
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
