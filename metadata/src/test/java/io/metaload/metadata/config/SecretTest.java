package io.metaload.metadata.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
  @TempDir Path dir;

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }

  @Test
  void aSerializedConnectionCarriesTheReferenceNotThePassword() throws Exception {
    Secret secret =
        Secret.parse(
            "${env:LAUNCHER_ONLY_PASSWORD}",
            Map.of("LAUNCHER_ONLY_PASSWORD", "correct-horse-battery")::get);
    ConnectionSpec spec = ConnectionSpec.of("crm", "jdbc:postgresql://db/crm", "reader", secret);
    assertThat(spec.password(), equalTo("correct-horse-battery"));

    byte[] bytes = serialize(spec);
    assertThat(
        new String(bytes, StandardCharsets.ISO_8859_1),
        not(containsString("correct-horse-battery")));
    assertThat(
        new String(bytes, StandardCharsets.ISO_8859_1), containsString("LAUNCHER_ONLY_PASSWORD"));

    ConnectionSpec onWorker = (ConnectionSpec) deserialize(bytes);
    assertThat(onWorker, equalTo(spec));
    MetaloadException e = assertThrows(MetaloadException.class, onWorker::password);
    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(
        e.getMessage(),
        containsString(
            "environment variable LAUNCHER_ONLY_PASSWORD is not set in this process ("
                + Workers.identity()
                + ")"));
  }

  @Test
  void aFileReferenceIsReadWhereTheCopyIsUsedWithoutItsLineBreak() throws Exception {
    Path file = dir.resolve("pg_password");
    Files.writeString(file, "first\n");
    Secret secret = Secret.parse("${file:" + file + "}", name -> null);
    assertThat(secret.value(), equalTo("first"));

    Files.writeString(file, "rotated\r\n");
    Secret copy = (Secret) deserialize(serialize(secret));
    assertThat(copy.value(), equalTo("rotated"));
    assertThat(copy.toString(), equalTo("${file:" + file + "}"));
  }

  @Test
  void anUnreadableFileIsAConfigErrorNamingIt() {
    Path missing = dir.resolve("nowhere");
    MetaloadException e =
        assertThrows(
            MetaloadException.class, () -> Secret.parse("${file:" + missing + "}", name -> null));
    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(e.getMessage(), containsString("the password file " + missing + " cannot be read"));
  }

  @Test
  void anEnvironmentReferenceResolvesOnTheWorkerFromItsOwnEnvironment() throws Exception {
    Secret secret = Secret.parse("${env:PATH}", Map.of("PATH", "launcher-value")::get);
    assertThat(secret.value(), equalTo("launcher-value"));
    Secret copy = (Secret) deserialize(serialize(secret));
    assertThat(copy.value(), equalTo(System.getenv("PATH")));
  }

  @Test
  void textThatIsNotAReferenceIsRefused() {
    assertThat(Secret.isReference("hunter2"), equalTo(false));
    assertThat(Secret.isReference(" ${file:/run/secrets/x} "), equalTo(true));
    MetaloadException e =
        assertThrows(MetaloadException.class, () -> Secret.parse("${env:9LIVES}", name -> "x"));
    assertThat(e.getMessage(), containsString("'9LIVES' is not an environment variable name"));
    assertThat(Secret.literal("hunter2").toString(), equalTo("***"));
  }
}
