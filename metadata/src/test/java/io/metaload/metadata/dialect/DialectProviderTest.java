package io.metaload.metadata.dialect;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.testing.dialect.ElsewhereDialectProvider;
import org.junit.jupiter.api.Test;

class DialectProviderTest {
  @Test
  void eachBuiltInDatabaseIsFoundByItsUrlPrefix() {
    assertThat(
        Dialect.forUrl("jdbc:postgresql://127.0.0.1:5432/db"), instanceOf(PostgresDialect.class));
    assertThat(
        Dialect.forUrl("jdbc:mariadb://127.0.0.1:3306/db"), instanceOf(MariaDbDialect.class));
    assertThat(Dialect.forUrl("jdbc:h2:mem:x"), instanceOf(H2Dialect.class));
  }

  @Test
  void aDialectRegisteredOutsideMetaloadIsFoundWithoutEditingIt() {
    Dialect d = Dialect.forUrl("jdbc:elsewhere://host/db");
    assertThat(d, instanceOf(ElsewhereDialectProvider.ElsewhereDialect.class));
    assertThat(
        "a capability the dialect overrides is the one generic SQL gets",
        d.firstRows(5),
        equalTo(" FETCH FIRST 5 ROWS ONLY"));
  }

  @Test
  void anUnknownUrlIsBadConfigurationNamingTheKnownPrefixesAndNoSecret() {
    MetaloadException e =
        assertThrows(
            MetaloadException.class,
            () -> Dialect.forUrl("jdbc:sqlserver://db:1433;password=hunter2"));
    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("jdbc:postgresql"),
            containsString("jdbc:mariadb"),
            containsString("jdbc:h2"),
            containsString("jdbc:elsewhere"),
            containsString(DialectProvider.class.getName()),
            not(containsString("hunter2"))));
  }
}
