package io.metaload.transforms.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.metaload.metadata.schema.ColumnType;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/**
 * A row as a JSON object for {@code load_reject}: numbers as numbers, binary as base64, hidden
 * columns as {@code "***"}.
 */
public final class RowJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RowJson() {}

  /**
   * @param hidden per column, true to show {@code "***"} instead of the value; null hides nothing
   */
  public static String render(List<String> names, Object[] row, boolean[] hidden) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < names.size() && i < row.length; i++) {
      String name = names.get(i);
      Object v = row[i];
      if (v == null) {
        o.putNull(name);
      } else if (hidden != null && hidden[i]) {
        o.put(name, "***");
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
        o.put(name, ((Number) v).longValue());
      } else if (v instanceof BigDecimal) {
        o.put(name, (BigDecimal) v);
      } else if (ColumnType.isNonFinite(v)) {
        o.put(name, v.toString());
      } else if (v instanceof Double || v instanceof Float) {
        o.put(name, ((Number) v).doubleValue());
      } else if (v instanceof Boolean) {
        o.put(name, (Boolean) v);
      } else if (v instanceof byte[]) {
        o.put(name, Base64.getEncoder().encodeToString((byte[]) v));
      } else {
        o.put(name, v.toString());
      }
    }
    return o.toString();
  }
}
