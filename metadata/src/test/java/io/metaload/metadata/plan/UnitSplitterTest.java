package io.metaload.metadata.plan;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitSplitterTest {
  @Test
  void unitsTileThePartitionRangeWithoutGapsOrOverlap() {
    PartitionPlan p = PartitionPlan.of(0, "all rows", null, -17, 1_000_003, 1_000_000);
    List<ReadUnit> units = UnitSplitter.split(1, "orders", p, 1_000_000, 8, 10_000);
    assertThat(units.size(), equalTo(8));
    assertThat(units.get(0).keyFrom(), equalTo(-17L));
    assertThat(units.get(units.size() - 1).keyTo(), equalTo(1_000_003L));
    for (int i = 1; i < units.size(); i++) {
      assertThat(units.get(i).keyFrom(), equalTo(units.get(i - 1).keyTo()));
    }
  }

  @Test
  void largePartitionsGetMoreUnitsThanSmallOnes() {
    PartitionPlan big = PartitionPlan.of(0, "big", null, 0, 900_000, 900_000);
    PartitionPlan small = PartitionPlan.of(1, "small", null, 900_000, 1_000_000, 100_000);
    assertThat(UnitSplitter.split(1, "l", big, 1_000_000, 10, 1000).size(), equalTo(9));
    assertThat(UnitSplitter.split(1, "l", small, 1_000_000, 10, 1000).size(), equalTo(1));
  }

  @Test
  void noUnitIsSmallerThanABatchAndExtremeRangesDoNotOverflow() {
    PartitionPlan p =
        PartitionPlan.of(0, "all", null, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 5_000);
    List<ReadUnit> units = UnitSplitter.split(1, "l", p, 5_000, 64, 1_000);
    assertThat(units.size(), equalTo(5));
    assertThat(units.get(4).keyTo(), equalTo(Long.MAX_VALUE - 1));
    units.forEach(u -> assertThat(u.keyTo(), greaterThanOrEqualTo(u.keyFrom())));
  }

  @Test
  void anEmptyPartitionIsOneEmptyUnit() {
    List<ReadUnit> units =
        UnitSplitter.split(1, "l", PartitionPlan.of(3, "none", "EU", 5, 5, 0), 0, 8, 1000);
    assertThat(units.size(), equalTo(1));
    assertThat(units.get(0).keyFrom(), equalTo(units.get(0).keyTo()));
  }

  /**
   * 180,000 ids packed into [1, 180,001), 20,000 spread over [180,001, 3,580,001): 90% of the rows
   * in 5% of the range.
   */
  @Test
  void quantilesCutASkewedKeyIntoUnitsOfEvenRowsWhereEvenWidthsWouldNot() {
    List<Long> keys = new ArrayList<>();
    for (long id = 1; id <= 180_000; id++) {
      keys.add(id);
    }
    for (long i = 0; i < 20_000; i++) {
      keys.add(180_001 + i * 170);
    }
    long step = (keys.size() + 255) / 256;
    List<Long> quantiles = new ArrayList<>();
    for (int rn = (int) step; rn < keys.size(); rn += step) {
      quantiles.add(keys.get(rn));
    }
    PartitionPlan even =
        PartitionPlan.of(0, "all", null, 1, keys.get(keys.size() - 1) + 1, keys.size());
    PartitionPlan balanced = even.withQuantiles(quantiles);

    assertThat(
        imbalance(keys, UnitSplitter.split(1, "l", even, keys.size(), 8, 1_000)),
        greaterThanOrEqualTo(5.0));
    List<ReadUnit> units = UnitSplitter.split(1, "l", balanced, keys.size(), 8, 1_000);
    assertThat(units.size(), equalTo(8));
    assertThat(imbalance(keys, units), org.hamcrest.Matchers.lessThanOrEqualTo(1.05));
    assertThat(units.get(0).keyFrom(), equalTo(1L));
    assertThat(units.get(7).keyTo(), equalTo(keys.get(keys.size() - 1) + 1));
    for (int i = 1; i < units.size(); i++) {
      assertThat(units.get(i).keyFrom(), equalTo(units.get(i - 1).keyTo()));
    }
  }

  @Test
  void aHotValueThatSpansSeveralSlicesStaysInOneUnitAndTheRestStillTiles() {
    PartitionPlan p =
        PartitionPlan.of(
            0, "all", null, 0, 1_000, 100_000, List.of(10L, 10L, 10L, 500L, 600L, 700L, 800L));
    List<ReadUnit> units = UnitSplitter.split(1, "l", p, 100_000, 8, 1_000);
    assertThat(units.get(0).keyFrom(), equalTo(0L));
    assertThat(units.get(units.size() - 1).keyTo(), equalTo(1_000L));
    for (int i = 1; i < units.size(); i++) {
      assertThat(units.get(i).keyFrom(), equalTo(units.get(i - 1).keyTo()));
      assertThat(units.get(i).keyTo() > units.get(i).keyFrom(), equalTo(true));
    }
  }

  private static double imbalance(List<Long> keys, List<ReadUnit> units) {
    long[] rows = new long[units.size()];
    for (long k : keys) {
      for (int u = 0; u < units.size(); u++) {
        if (k >= units.get(u).keyFrom() && k < units.get(u).keyTo()) {
          rows[u]++;
          break;
        }
      }
    }
    long max = Arrays.stream(rows).max().orElse(0);
    return max / ((double) keys.size() / units.size());
  }
}
