package io.metaload.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A password written into a JDBC URL is refused before anything connects, and it appears in no
 * output or log of the process and in no table of the metadata store.
 */
class UrlSecretsIT {
  private static final String SECRET = "Sup3rS3cret-in-the-URL";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://127.0.0.1:5432/metaload_src?user=postgres&password=" + SECRET,
        "jdbc:mariadb://root:" + SECRET + "@127.0.0.1:3306/metaload_src",
        "jdbc:postgresql://127.0.0.1:5432/metaload_src?sslmode=disable&sslpassword=" + SECRET
      })
  void aPasswordInsideAUrlNeverAppearsInAnyOutputTableOrLog(String url) throws Exception {
    ConnectionSpec metadata = TestDatabases.freshPostgres("metaload_meta_secrets");
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "metadata: { url: '" + metadata.url() + "', user: postgres }",
            "connections:",
            "  src: { url: '" + url + "', user: postgres }",
            "  dst: { url: 'jdbc:postgresql://127.0.0.1:5432/metaload_dst', user: postgres }",
            ""));
    Path loads = dir.resolve("loads.yaml");
    Files.writeString(
        loads,
        "loads:\n  - { name: secret, source: { connection: src, table: t }, splitKey: id, target: { connection: dst, table: t } }\n");

    for (String[] command :
        new String[][] {
          {"metadata", "import", "--config", config.toString(), loads.toString()},
          {"run", "--config", config.toString(), "--load", "secret", "--runner=DirectRunner"},
          {"validate", "--config", config.toString()}
        }) {
      MetaloadProcess process =
          MetaloadProcess.start(dir.resolve(command[0] + ".log"), Map.of(), command);
      int exit = process.await();
      String output = process.output();

      assertThat(output, exit, equalTo(2));
      assertThat(output, containsString("field 'url' carries a password"));
      assertThat(output, not(containsString(SECRET)));
    }
    assertThat(
        "tables in the metadata store",
        KillableLoad.strings(
            metadata,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"),
        equalTo(List.of("0")));
  }
}
