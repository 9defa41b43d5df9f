package io.metaload.transforms.write;

import io.metaload.metadata.schema.Column;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A key's values from the first columns of a result set's current row, each read as its type. */
final class KeyValues {
  private KeyValues() {}

  static List<Object> read(ResultSet rs, List<Column> key) throws SQLException {
    List<Object> values = new ArrayList<>(key.size());
    for (int i = 0; i < key.size(); i++) {
      values.add(key.get(i).type().read(rs, i + 1));
    }
    return values;
  }
}
