package io.metaload.metadata.plan;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class WatermarkFenceTest {
  @Test
  void aFenceIsRoundedDownToTheColumnsFractionalDigits() {
    assertThat(WatermarkFence.floor(1_700_000_000_987_654L, 0), equalTo(1_700_000_000_000_000L));
    assertThat(WatermarkFence.floor(1_700_000_000_987_654L, 3), equalTo(1_700_000_000_987_000L));
    assertThat(WatermarkFence.floor(1_700_000_000_987_654L, 6), equalTo(1_700_000_000_987_654L));
    assertThat("before 1970 too", WatermarkFence.floor(-1_500_001L, 0), equalTo(-2_000_000L));
  }
}
