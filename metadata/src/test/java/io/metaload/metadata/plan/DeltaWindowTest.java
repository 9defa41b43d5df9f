package io.metaload.metadata.plan;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.metaload.metadata.schema.SplitKeyType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeltaWindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static DeltaWindow upTo(SplitKeyType type, Object high) {
    return DeltaWindow.of(
        DeltaWindow.Kind.INCREMENTAL,
        "updated_at",
        type,
        0L,
        type.toPosition(high),
        null,
        "test",
        null);
  }

  @Test
  void theUpperBoundOfADateOrTimestampWindowIsAnInstant() {
    assertThat(
        upTo(
                SplitKeyType.TIMESTAMP_TZ,
                OffsetDateTime.of(2026, 5, 1, 12, 0, 0, 500_000_000, ZoneOffset.ofHours(2)))
            .highInstant(BERLIN),
        equalTo(Instant.parse("2026-05-01T10:00:00.5Z")));
    assertThat(
        "a timestamp without time zone is read in the session's zone",
        upTo(SplitKeyType.TIMESTAMP, LocalDateTime.of(2026, 5, 1, 12, 0)).highInstant(BERLIN),
        equalTo(Instant.parse("2026-05-01T10:00:00Z")));
    assertThat(
        upTo(SplitKeyType.DATE, LocalDate.of(2026, 1, 2)).highInstant(BERLIN),
        equalTo(Instant.parse("2026-01-01T23:00:00Z")));
  }

  @Test
  void integerAndEmptyWindowsHaveNoInstant() {
    assertThat(upTo(SplitKeyType.INTEGER, 42L).highInstant(BERLIN), nullValue());
    assertThat(
        DeltaWindow.of(
                DeltaWindow.Kind.INCREMENTAL,
                "id",
                SplitKeyType.TIMESTAMP,
                5L,
                null,
                null,
                "test",
                null)
            .highInstant(BERLIN),
        nullValue());
  }

  @Test
  void aWindowRecordedWithTheSourcesZoneReadsItsUpperBoundInThatZoneNotTheFallback() {
    DeltaWindow w =
        DeltaWindow.of(
            DeltaWindow.Kind.INCREMENTAL,
            "updated_at",
            SplitKeyType.TIMESTAMP,
            0L,
            SplitKeyType.TIMESTAMP.toPosition(LocalDateTime.of(2026, 5, 1, 12, 0)),
            null,
            "test",
            "Asia/Kolkata");
    assertThat(w.highInstant(BERLIN), equalTo(Instant.parse("2026-05-01T06:30:00Z")));
  }
}
