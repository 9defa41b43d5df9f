package io.metaload.metadata.plan;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

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
    PartitionPlan p = PartitionPlan.of(0, "all", null, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 5_000);
    List<ReadUnit> units = UnitSplitter.split(1, "l", p, 5_000, 64, 1_000);
    assertThat(units.size(), equalTo(5));
    assertThat(units.get(4).keyTo(), equalTo(Long.MAX_VALUE - 1));
    units.forEach(u -> assertThat(u.keyTo(), greaterThanOrEqualTo(u.keyFrom())));
  }

  @Test
  void anEmptyPartitionIsOneEmptyUnit() {
    List<ReadUnit> units = UnitSplitter.split(1, "l", PartitionPlan.of(3, "none", "EU", 5, 5, 0), 0, 8, 1000);
    assertThat(units.size(), equalTo(1));
    assertThat(units.get(0).keyFrom(), equalTo(units.get(0).keyTo()));
  }
}
