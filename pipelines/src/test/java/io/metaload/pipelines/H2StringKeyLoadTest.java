package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * H2 to H2 with a string split key: list partitions are each cut into key sub-ranges of one batch,
 * and a strategy that needs key arithmetic is refused naming the load and field.
 */
class H2StringKeyLoadTest {
  private final ConnectionSpec source = TestDatabases.h2("h2_string_key_source");
  private final ConnectionSpec target = TestDatabases.h2("h2_string_key_target");

  @Test
  void listPartitionsOfAStringKeyedTableAreReadInSubRangesOfOneBatch() {
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS codes",
        "CREATE TABLE codes (code VARCHAR(20) PRIMARY KEY, region VARCHAR(2) NOT NULL, n INT NOT NULL)",
        "INSERT INTO codes SELECT 'C' || LPAD(CAST(x * 7919 % 10007 AS VARCHAR), 5, '0') || CASE WHEN MOD(x, 3) = 0 THEN ' x' ELSE '' END, "
            + "CASE WHEN MOD(x, 2) = 0 THEN 'EU' ELSE 'US' END, x FROM SYSTEM_RANGE(1, 3000)");
    TestDatabases.execute(target, "DROP TABLE IF EXISTS codes_copy");
    LoadFixture fixture = new LoadFixture("h2strings", source, target);
    fixture.define(
        LoadFixture.load("codes", "codes", "codes_copy")
            .splitKey("code")
            .batchSize(100)
            .partitionStrategy(PartitionStrategy.LIST)
            .partitionColumn("region")
            .partitionValues(List.of("EU", "US"))
            .build());

    RunReport report = fixture.run("DirectRunner", "codes").get(0);

    assertThat(report.rows(), equalTo(3000L));
    assertThat(report.batches(), equalTo(30L));
    TableComparison.assertSameRows(source, "codes", target, "codes_copy", "code, region, n", "n");
  }

  @Test
  void aRangeStrategyOnAStringKeyIsRefused() {
    TestDatabases.execute(
        source,
        "DROP TABLE IF EXISTS names",
        "CREATE TABLE names (name VARCHAR(20) PRIMARY KEY)",
        "INSERT INTO names VALUES ('a'), ('b')");
    LoadFixture fixture = new LoadFixture("h2strings_range", source, target);
    fixture.define(
        LoadFixture.load("names", "names", "names_copy")
            .splitKey("name")
            .partitionStrategy(PartitionStrategy.RANGE)
            .partitionValues(List.of("m"))
            .build());

    MetaloadException e =
        assertThrows(MetaloadException.class, () -> fixture.run("DirectRunner", "names"));

    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(
        e.getMessage(),
        containsString(
            "load 'names': field 'partitioning.strategy': 'range' needs an integer, date or timestamp"));
  }
}
