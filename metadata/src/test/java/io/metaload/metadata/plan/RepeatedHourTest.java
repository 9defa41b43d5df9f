package io.metaload.metadata.plan;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.schema.SplitKeyType;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RepeatedHourTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static long at(String local) {
    return SplitKeyType.TIMESTAMP.toPosition(LocalDateTime.parse(local));
  }

  @Test
  void aWindowStartingInsideTheHourAFallBackRepeatsStartsAtThatHoursBeginning() {
    // Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET; a watermark 02:59 from the first pass, a
    // fence 02:10 in the second
    assertThat(
        RepeatedHour.start(at("2026-10-25T02:59:00"), at("2026-10-25T02:10:00"), BERLIN),
        equalTo(at("2026-10-25T02:00:00")));
    assertThat(
        "after the second pass too",
        RepeatedHour.start(at("2026-10-25T02:30:00"), at("2026-10-25T04:00:00"), BERLIN),
        equalTo(at("2026-10-25T02:00:00")));
  }

  @Test
  void aWindowStartingOutsideTheRepeatedHourOrInAZoneWithoutOneIsUnchanged() {
    assertThat(
        RepeatedHour.start(at("2026-10-25T01:59:00"), at("2026-10-25T02:10:00"), BERLIN),
        equalTo(at("2026-10-25T01:59:00")));
    assertThat(
        RepeatedHour.start(at("2026-10-25T03:00:00"), at("2026-10-25T04:00:00"), BERLIN),
        equalTo(at("2026-10-25T03:00:00")));
    assertThat(
        "a spring-forward gap repeats nothing",
        RepeatedHour.start(at("2026-03-29T01:30:00"), at("2026-03-29T04:00:00"), BERLIN),
        equalTo(at("2026-03-29T01:30:00")));
    assertThat(
        RepeatedHour.start(
            at("2026-10-25T02:30:00"), at("2026-10-25T04:00:00"), ZoneId.of("Asia/Kolkata")),
        equalTo(at("2026-10-25T02:30:00")));
    assertThat(
        RepeatedHour.start(
            at("2026-11-01T01:30:00"), at("2026-11-01T03:00:00"), ZoneId.of("America/New_York")),
        equalTo(at("2026-11-01T01:00:00")));
  }
}
