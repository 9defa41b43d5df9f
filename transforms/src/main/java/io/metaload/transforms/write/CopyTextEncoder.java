package io.metaload.transforms.write;

import io.metaload.metadata.schema.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * Renders rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for NULL, and backslash
 * escapes for backslash, tab, newline and carriage return.
 */
final class CopyTextEncoder {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CopyTextEncoder() {}

  static void appendRow(StringBuilder out, ColumnType[] types, Object[] row) {
    for (int c = 0; c < types.length; c++) {
      if (c > 0) {
        out.append('\t');
      }
      Object v = row[c];
      if (v == null) {
        out.append("\\N");
        continue;
      }
      switch (types[c]) {
        case STRING:
        case JSON:
        case TEXT_FORM:
          appendEscaped(out, (String) v);
          break;
        case DECIMAL:
          // NaN and the infinities travel as their Double; PostgreSQL reads them as spelled.
          out.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
          break;
        case BOOLEAN:
          out.append((Boolean) v ? 't' : 'f');
          break;
        case DATE:
        case TIMESTAMP:
        case TIMESTAMP_TZ:
          appendTemporal(out, v);
          break;
        case BYTES:
          out.append("\\\\x");
          for (byte b : (byte[]) v) {
            out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
          }
          break;
        default:
          out.append(v);
      }
    }
    out.append('\n');
  }

  /**
   * PostgreSQL's {@code infinity} for the types' MAX and MIN (what the driver reads it as), else
   * ISO text.
   */
  private static void appendTemporal(StringBuilder out, Object v) {
    if (v.equals(LocalDate.MAX) || v.equals(LocalDateTime.MAX) || v.equals(OffsetDateTime.MAX)) {
      out.append("infinity");
    } else if (v.equals(LocalDate.MIN)
        || v.equals(LocalDateTime.MIN)
        || v.equals(OffsetDateTime.MIN)) {
      out.append("-infinity");
    } else {
      out.append(v);
    }
  }

  private static void appendEscaped(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\':
          out.append("\\\\");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        default:
          out.append(ch);
      }
    }
  }
}
