package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.SampleTables;
import io.metaload.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code template --load L} lists the parameters a load takes, typed by the columns they fill, as
 * JSON.
 */
class TemplateCommandTest {
  @TempDir Path dir;

  private final ConnectionSpec db = TestDatabases.h2("template_test");
  private H2Loads loads;

  @BeforeEach
  void defineLoads() throws Exception {
    SampleTables.h2(db, "tmpl_source", 100);
    loads =
        new H2Loads(
            dir,
            db,
            "loads:\n"
                + "  - { name: by_country, source: { connection: db, table: tmpl_source }, splitKey: id,\n"
                + "      partitioning: { strategy: list, column: country, values: ['${param.country}', 'US'] }, target: { connection: db, table: t1 } }\n"
                + "  - { name: daily, source: { connection: db, table: tmpl_source }, splitKey: id,\n"
                + "      delta: { mode: watermark, column: created_at }, target: { connection: db, table: t2, writeMode: merge } }\n");
  }

  @Test
  void aListParameterIsRequiredAndTypedByItsColumn() throws Exception {
    JsonNode p = template("by_country").get("parameters");
    assertThat(p.size(), equalTo(1));
    assertThat(p.get(0).get("name").asText(), equalTo("country"));
    assertThat(p.get(0).get("type").asText(), equalTo("STRING"));
    assertThat(p.get(0).get("required").asBoolean(), equalTo(true));
  }

  @Test
  void aDeltaLoadTakesOptionalBackfillBoundsOfItsDeltaColumnsTypeAndAWatermarkReset()
      throws Exception {
    JsonNode p = template("daily").get("parameters");
    assertThat(p.size(), equalTo(3));
    assertThat(
        p.get(0).get("name").asText()
            + " "
            + p.get(1).get("name").asText()
            + " "
            + p.get(2).get("name").asText(),
        equalTo("from to resetWatermark"));
    assertThat(p.get(0).get("type").asText(), equalTo("TIMESTAMP"));
    assertThat(p.get(0).get("required").asBoolean(), equalTo(false));
    assertThat(
        p.get(2).get("type").asText() + " " + p.get(2).get("default").asText(),
        equalTo("BOOLEAN false"));
    assertThat(p.get(2).get("required").asBoolean(), equalTo(false));
  }

  private JsonNode template(String load) throws Exception {
    CliRun run = CliRun.metaload("template", "--config", loads.config.toString(), "--load", load);
    assertThat(run.err, run.exitCode, equalTo(0));
    return new ObjectMapper().readTree(run.out);
  }
}
