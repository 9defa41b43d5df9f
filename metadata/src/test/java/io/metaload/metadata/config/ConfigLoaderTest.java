package io.metaload.metadata.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private final ConfigLoader loader =
      new ConfigLoader(Map.of("DB_PASSWORD", "s3cret", "DB_HOST", "db1")::get);

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void resolvesEnvironmentReferencesAndNeverPrintsThePassword() throws IOException {
    MetaloadConfig config =
        loader.load(
            write(
                "metadata:\n  url: jdbc:h2:mem:m\n  user: sa\n"
                    + "connections:\n  crm:\n    url: jdbc:postgresql://${env:DB_HOST}:5432/crm\n    user: reader\n    password: ${env:DB_PASSWORD}\n"));
    ConnectionSpec crm = config.connection("crm");
    assertThat(crm.url(), equalTo("jdbc:postgresql://db1:5432/crm"));
    assertThat(crm.password(), equalTo("s3cret"));
    assertThat(crm.toString(), not(containsString("s3cret")));
    assertThat(crm.describe(), not(containsString("s3cret")));
  }

  @Test
  void aConnectionIsOfKindJdbcUnlessItNamesAnotherWellFormedKind() throws IOException {
    String base =
        "metadata:\n  url: jdbc:h2:mem:m\nconnections:\n  dst:\n    url: jdbc:postgresql://db:5432/dw\n";
    assertThat(loader.load(write(base)).connection("dst").kind(), equalTo("jdbc"));
    assertThat(
        loader.load(write(base + "    kind: lake\n")).connection("dst").kind(), equalTo("lake"));
    Path bad = write(base + "    kind: Lake House\n");
    MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(bad));
    assertThat(
        e.getMessage(),
        containsString(
            "connection 'dst' field 'kind' must be a target kind's name (e.g. jdbc), was 'Lake House'"));
  }

  @Test
  void aConnectionsOptionsReachItsKindWithReferencesResolvedAndNeverSerialized() throws Exception {
    String base =
        "metadata:\n  url: jdbc:h2:mem:m\nconnections:\n  lake:\n    url: file:/data/lake\n"
            + "    kind: lake\n";
    ConnectionSpec lake =
        loader
            .load(
                write(
                    base
                        + "    options: { warehouse: /data/wh, target-file-mb: 256, "
                        + "secret.key: '${env:DB_PASSWORD}' }\n"))
            .connection("lake");
    assertThat(lake.option("warehouse"), equalTo(Optional.of("/data/wh")));
    assertThat(lake.option("target-file-mb"), equalTo(Optional.of("256")));
    assertThat(lake.option("secret.key"), equalTo(Optional.of("s3cret")));
    assertThat(lake.option("absent"), equalTo(Optional.empty()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(lake);
    }
    assertThat(
        "the referenced value is not serialized",
        bytes.toString(StandardCharsets.ISO_8859_1),
        not(containsString("s3cret")));
    assertThat(loader.load(write(base)).connection("lake").options(), equalTo(Map.of()));

    for (String[] bad :
        new String[][] {
          {"options: [a, b]", "field 'options' must be a mapping of names to values"},
          {"options: { 'a b': 1 }", "option 'a b' is no name"},
          {"options: { a: { b: 1 } }", "option 'a' must be a text or a number"},
          {"options: { a: '${env:UNSET_VAR}' }", "option 'a': "}
        }) {
      Path file = write(base + "    " + bad[0] + "\n");
      MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(file));
      assertThat(e.getMessage(), containsString("connection 'lake' " + bad[1]));
    }
  }

  @Test
  void aConnectionsReaderBudgetAndQueryTimeoutAreCheckedWithTheirDefaults() throws IOException {
    String base =
        "metadata:\n  url: jdbc:h2:mem:m\nconnections:\n  crm:\n    url: jdbc:postgresql://db:5432/crm\n";
    assertThat(
        loader.load(write(base + "    maxConnections: 3\n")).connection("crm").maxConnections(),
        equalTo(3));
    assertThat(loader.load(write(base)).connection("crm").maxConnections(), equalTo(0));
    for (String bad : new String[] {"0", "2.5", "many", "-1"}) {
      Path file = write(base + "    maxConnections: " + bad + "\n");
      MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(file));
      assertThat(
          e.getMessage(),
          containsString(
              "connection 'crm' field 'maxConnections' must be a whole number from 1 to 10000"));
    }
    assertThat(loader.load(write(base)).connection("crm").queryTimeoutSeconds(), equalTo(3600));
    assertThat(
        loader
            .load(write(base + "    queryTimeout: 90s\n"))
            .connection("crm")
            .queryTimeoutSeconds(),
        equalTo(90));
    MetaloadException notADuration =
        assertThrows(
            MetaloadException.class, () -> loader.load(write(base + "    queryTimeout: soon\n")));
    assertThat(
        notADuration.getMessage(),
        containsString("connection 'crm' field 'queryTimeout': 'soon' is not a duration"));
    MetaloadException tooLong =
        assertThrows(
            MetaloadException.class, () -> loader.load(write(base + "    queryTimeout: 8d\n")));
    assertThat(
        tooLong.getMessage(),
        containsString("connection 'crm' field 'queryTimeout' must be from 1s to 7d, was '8d'"));
  }

  @Test
  void refusesClearTextPasswords() throws IOException {
    Path file = write("metadata:\n  url: jdbc:h2:mem:m\n  user: sa\n  password: hunter2\n");
    MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(file));
    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(e.getMessage(), containsString("must be an ${env:NAME} or ${file:PATH} reference"));
    assertThat(e.getMessage(), not(containsString("hunter2")));
  }

  @Test
  void namesTheUnsetEnvironmentVariable() throws IOException {
    Path file = write("metadata:\n  url: jdbc:h2:mem:m\n  password: ${env:NOT_SET_ANYWHERE}\n");
    MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(file));
    assertThat(e.getMessage(), containsString("NOT_SET_ANYWHERE"));
  }

  @Test
  void invalidYamlIsABadConfigNamingTheFile() throws IOException {
    Path file = write("metadata: [unclosed\n");
    MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(file));
    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(e.getMessage(), containsString(file.toString()));
    assertThat(e.getMessage(), containsString("not valid YAML"));
  }

  @Test
  void unknownFieldsAndUnknownConnectionsAreNamed() throws IOException {
    MetaloadException typo =
        assertThrows(
            MetaloadException.class,
            () -> loader.load(write("metadata:\n  url: jdbc:h2:mem:m\n  usr: sa\n")));
    assertThat(typo.getMessage(), containsString("unknown field 'usr'"));

    MetaloadConfig config = loader.load(write("metadata:\n  url: jdbc:h2:mem:m\n"));
    MetaloadException missing =
        assertThrows(MetaloadException.class, () -> config.connection("crm"));
    assertThat(missing.getMessage(), containsString("no connection named 'crm'"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://db:5432/crm?user=reader&password=hunter2",
        "jdbc:mariadb://reader:hunter2@db:3306/crm",
        "jdbc:h2:mem:m;USER=sa;PASSWORD=hunter2",
        "jdbc:postgresql://db/crm?sslpassword=hunter2",
        "jdbc:mariadb://db/crm?trustStorePassword=hunter2",
        "jdbc:mariadb://reader:hun@ter2@db:3306/crm"
      })
  void refusesAPasswordInsideTheUrlWithoutPrintingIt(String url) throws IOException {
    Path file =
        write("metadata:\n  url: jdbc:h2:mem:m\nconnections:\n  crm:\n    url: \"" + url + "\"\n");
    MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(file));
    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(e.getMessage(), containsString("field 'url' carries a password"));
    assertThat(e.getMessage(), not(containsString("hunter2")));
    assertThat(e.getMessage(), not(containsString("ter2")));
  }

  @Test
  void refusesAPasswordReferencePlacedInTheUrl() throws IOException {
    Path file = write("metadata:\n  url: \"jdbc:postgresql://db/m?password=${env:DB_PASSWORD}\"\n");
    MetaloadException e = assertThrows(MetaloadException.class, () -> loader.load(file));
    assertThat(e.getMessage(), containsString("carries a password"));
    assertThat(e.getMessage(), not(containsString("s3cret")));
  }

  @Test
  void aPasswordThatIsNotAStringIsABadConfigNotAnEmptyPassword() throws IOException {
    MetaloadException mapping =
        assertThrows(
            MetaloadException.class,
            () ->
                loader.load(
                    write("metadata:\n  url: jdbc:h2:mem:m\n  password: {env: DB_PASSWORD}\n")));
    assertThat(mapping.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(
        mapping.getMessage(),
        containsString("field 'password' must be a string such as \"${env:NAME}\", not a mapping"));
    MetaloadException list =
        assertThrows(
            MetaloadException.class,
            () -> loader.load(write("metadata:\n  url: jdbc:h2:mem:m\n  password: [a, b]\n")));
    assertThat(list.getMessage(), containsString("not a list"));
    MetaloadException number =
        assertThrows(
            MetaloadException.class,
            () -> loader.load(write("metadata:\n  url: jdbc:h2:mem:m\n  password: 86753091\n")));
    assertThat(number.getMessage(), containsString("not a number"));
    assertThat(number.getMessage(), not(containsString("86753091")));
  }

  @Test
  void maskedUrlsKeepEverythingButThePassword() {
    assertThat(
        JdbcUrls.mask("jdbc:postgresql://db/crm?user=u&password=p1&ssl=true"),
        equalTo("jdbc:postgresql://db/crm?user=u&password=***&ssl=true"));
    assertThat(
        JdbcUrls.mask("jdbc:mariadb://u:p1@db:3306/crm"),
        equalTo("jdbc:mariadb://u:***@db:3306/crm"));
    assertThat(
        JdbcUrls.mask("jdbc:h2:mem:m;PASSWORD=p1;MODE=PostgreSQL"),
        equalTo("jdbc:h2:mem:m;PASSWORD=***;MODE=PostgreSQL"));
    assertThat(JdbcUrls.hasPassword("jdbc:postgresql://db:5432/crm?user=reader"), equalTo(false));
    assertThat(
        ConnectionSpec.of("x", "jdbc:mariadb://u:p1@db/crm", "u", "").describe(),
        not(containsString("p1")));
  }

  @Test
  void thePublishLockTimeoutDefaultsAndIsChecked() throws IOException {
    assertThat(
        loader.load(write("metadata:\n  url: jdbc:h2:mem:m\n")).publishLockTimeoutMillis(),
        equalTo(30_000L));
    assertThat(
        loader
            .load(write("metadata:\n  url: jdbc:h2:mem:m\npublish: { lockTimeoutMillis: 500 }\n"))
            .publishLockTimeoutMillis(),
        equalTo(500L));
    MetaloadException zero =
        assertThrows(
            MetaloadException.class,
            () ->
                loader.load(
                    write("metadata:\n  url: jdbc:h2:mem:m\npublish: { lockTimeoutMillis: 0 }\n")));
    assertThat(
        zero.getMessage(),
        containsString("publish.lockTimeoutMillis must be between 1 and 86400000, was 0"));
    MetaloadException typo =
        assertThrows(
            MetaloadException.class,
            () ->
                loader.load(
                    write("metadata:\n  url: jdbc:h2:mem:m\npublish: { lockTimeout: 5 }\n")));
    assertThat(typo.getMessage(), containsString("unknown field 'lockTimeout'"));
  }
}
