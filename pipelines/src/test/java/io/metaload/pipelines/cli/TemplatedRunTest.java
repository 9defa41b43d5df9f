package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --param name=value} fills {@code ${param.name}} in definitions, is checked before
 * anything runs, and is kept with the run.
 */
class TemplatedRunTest {
  @TempDir Path dir;

  private final ConnectionSpec db = TestDatabases.h2("templated_test");
  private H2Loads loads;

  @BeforeEach
  void defineLoads() throws IOException {
    SampleTables.h2(db, "tpl_source", 2_000);
    TestDatabases.execute(
        db, "DROP TABLE IF EXISTS tpl_by_country", "DROP TABLE IF EXISTS tpl_by_range");
    loads =
        new H2Loads(
            dir,
            db,
            "loads:\n"
                + "  - { name: by_country, source: { connection: db, table: tpl_source }, splitKey: id, batchSize: 300,\n"
                + "      partitioning: { strategy: list, column: country, values: ['${param.country}'] },\n"
                + "      target: { connection: db, table: tpl_by_country } }\n"
                + "  - { name: by_range, source: { connection: db, table: tpl_source }, splitKey: id, batchSize: 300,\n"
                + "      partitioning: { strategy: range, boundaries: ['${param.split}'] },\n"
                + "      target: { connection: db, table: tpl_by_range } }\n");
  }

  @Test
  void aParameterChoosesThePartitionValueAndIsStoredWithTheRun() {
    CliRun run = run("--load", "by_country", "--param", "country=DE");

    assertThat(run.err, run.exitCode, equalTo(0));
    assertThat(TestDatabases.count(db, "tpl_by_country"), equalTo(countWhere("country = 'DE'")));
    CliRun status = loads.status(1);
    assertThat(status.out, containsString("parameters: country=DE"));
    assertThat(status.out, containsString("COUNTRY = 'DE'"));
  }

  @Test
  void aReferenceWithoutItsParameterIsRefusedNamingLoadAndField() {
    CliRun run = run("--load", "by_country");

    assertThat(run.err, run.exitCode, equalTo(2));
    assertThat(
        run.err,
        containsString(
            "load 'by_country': field 'partitioning.values' references ${param.country}, which no --param gives"));
    assertThat(TestDatabases.tableExists(db, "tpl_by_country"), equalTo(false));
  }

  @Test
  void aParameterNoLoadUsesIsRefusedBeforeAnythingRuns() {
    CliRun run = run("--load", "by_country", "--param", "country=DE", "--param", "contry=FR");

    assertThat(run.err, run.exitCode, equalTo(2));
    assertThat(run.err, containsString("unknown parameter contry"));
    assertThat(TestDatabases.tableExists(db, "tpl_by_country"), equalTo(false));
  }

  @Test
  void aValueIsTypeCheckedWhereItIsUsed() {
    CliRun malformed = run("--load", "by_range", "--param", "split=ten");

    assertThat(malformed.err, malformed.exitCode, equalTo(2));
    assertThat(malformed.err, containsString("partitioning.boundaries"));
    assertThat(malformed.err, containsString("ten"));

    CliRun ok = run("--load", "by_range", "--param", "split=1000");
    assertThat(ok.err, ok.exitCode, equalTo(0));
    assertThat(TestDatabases.count(db, "tpl_by_range"), equalTo(2_000L));
  }

  @Test
  void aMalformedParameterIsAUsageError() {
    CliRun run = run("--load", "by_country", "--param", "country");

    assertThat(run.err, run.exitCode, equalTo(2));
    assertThat(run.err, containsString("--param 'country' must be name=value"));
  }

  @Test
  void anUnfinishedRunResumesOnlyWithTheParametersItStartedWith() {
    TestDatabases.execute(
        db,
        "CREATE TABLE tpl_by_country (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, created_at TIMESTAMP(6) NOT NULL, "
            + "amount NUMERIC(12,2) NOT NULL, status VARCHAR(16) NOT NULL, country CHAR(2) NOT NULL, note VARCHAR(100) NOT NULL, "
            + "paid BOOLEAN NOT NULL, ship_date DATE)");
    CliRun failed = run("--load", "by_country", "--param", "country=DE");
    assertThat(failed.err, failed.exitCode, equalTo(6));

    CliRun other = run("--load", "by_country", "--param", "country=FR", "--auto-resume");
    assertThat(other.err, other.exitCode, equalTo(2));
    assertThat(
        other.err, containsString("was started with parameters [country=DE], not [country=FR]"));

    String staging =
        KillableLoad.strings(
                db,
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'TPL_BY_COUNTRY_ML_STG_%'")
            .get(0);
    TestDatabases.execute(
        db,
        "ALTER TABLE tpl_by_country ALTER COLUMN note SET NULL",
        "ALTER TABLE \"" + staging + "\" ALTER COLUMN note SET NULL");
    CliRun same = run("--load", "by_country", "--param", "country=DE", "--auto-resume");
    assertThat(same.err, same.exitCode, equalTo(0));
    assertThat(TestDatabases.count(db, "tpl_by_country"), equalTo(countWhere("country = 'DE'")));
  }

  private CliRun run(String... args) {
    return loads.run(args);
  }

  private long countWhere(String predicate) {
    return Long.parseLong(
        KillableLoad.strings(db, "SELECT COUNT(*) FROM tpl_source WHERE " + predicate).get(0));
  }
}
