package io.metaload.metadata.plan;

import io.metaload.metadata.schema.SplitKeyType;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * Where a zone-less timestamp window must start after a daylight-saving fall-back. When clocks go
 * back (03:00 to 02:00), a writer stamping local time stamps the hour [02:00, 03:00) twice; a
 * watermark taken in its first pass lies above values stamped in its second. A window whose start
 * falls inside the repeated hour of the last fall-back before its fence therefore starts at the
 * hour's beginning, so the second pass is read again (and merged, idempotently) instead of skipped.
 */
final class RepeatedHour {
  private RepeatedHour() {}

  /**
   * {@code low}, or the start of the repeated hour it lies in; positions of {@link
   * SplitKeyType#TIMESTAMP}.
   */
  static long start(long low, long high, ZoneId zone) {
    LocalDateTime fence = (LocalDateTime) SplitKeyType.TIMESTAMP.fromPosition(high);
    ZonedDateTime at = ZonedDateTime.ofLocal(fence, zone, null).withLaterOffsetAtOverlap();
    ZoneOffsetTransition last = zone.getRules().previousTransition(at.toInstant().plusNanos(1));
    if (last == null || !last.isOverlap()) {
      return low;
    }
    long repeatedFrom = SplitKeyType.TIMESTAMP.toPosition(last.getDateTimeAfter());
    long repeatedTo = SplitKeyType.TIMESTAMP.toPosition(last.getDateTimeBefore());
    return low > repeatedFrom && low < repeatedTo ? repeatedFrom : low;
  }
}
