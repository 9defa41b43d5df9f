package io.metaload.transforms.batch;

import io.metaload.metadata.schema.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class RowBatchCoderTest {
  @Test
  void everyTypeAndNullRoundTrips() throws Exception {
    ColumnType[] types = ColumnType.values();
    List<Object[]> rows = new ArrayList<>();
    rows.add(
        new Object[] {
          Long.MIN_VALUE,
          42,
          (short) -7,
          new BigDecimal("-12345678901234567890.123"),
          1.5e300,
          2.5f,
          true,
          "tab\tnewline\nä€",
          LocalDate.of(1, 1, 1),
          LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000),
          OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 1_000, ZoneOffset.UTC),
          java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
          "{\"k\": [1, \"ü\"]}",
          LocalTime.of(23, 59, 59, 999_999_000),
          "{1,NULL,\"a b\"}",
          new byte[] {0, -1, 127}
        });
    rows.add(new Object[types.length]);
    RowBatch batch = new RowBatch(7, "orders", 3, -5, 99, 2, 1_700_000_000_000L, types, rows);
    CoderProperties.coderDecodeEncodeEqual(RowBatchCoder.of(), batch);
    CoderProperties.coderDecodeEncodeEqual(RowBatchCoder.of(), batch.withRows(types, List.of()));
  }
}
