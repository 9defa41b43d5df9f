package io.metaload.transforms.write;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The H2 swap is two renames; whatever state a kill leaves between them, publishing again completes
 * it.
 */
class SwapPublisherTest {
  private static final TableRef TARGET = TableRef.parse("ORDERS");
  private static final TableRef STAGING = TableRef.parse("ORDERS_ML_STG_3");
  private static final TableRef RETIRED = TableRef.parse("ORDERS_ML_OLD_3");
  private static final String UID = "5f0c6a39-8d8c-4e4e-9d55-3a4f2d3b8c11";

  private final Dialect h2 = Dialect.forUrl("jdbc:h2:mem:x");
  private final PublicationLog log = PublicationLog.beside(h2, TARGET);
  private Connection c;

  @BeforeEach
  void createTables() throws SQLException {
    c =
        DriverManager.getConnection(
            "jdbc:h2:mem:swap" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    execute(
        "CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY)",
        "INSERT INTO ORDERS VALUES (-1)",
        "CREATE TABLE ORDERS_ML_STG_3 (ID BIGINT PRIMARY KEY)",
        "INSERT INTO ORDERS_ML_STG_3 VALUES (1), (2), (3)");
    log.createIfMissing(c);
  }

  @Test
  void aSwapPublishesStagingAndRecordsIt() throws SQLException {
    publish(PublicationLog.State.NONE);

    assertPublished();
  }

  @Test
  void aSwapKilledBetweenItsTwoRenamesIsCompletedByTheNextAttempt() throws SQLException {
    log.insert(c, TARGET, STAGING, UID, 3, "orders", "token", PublicationLog.State.SWAPPING, 3);
    execute(h2.target().renameTable(TARGET, RETIRED));
    assertThat(log.state(c, TARGET, UID), equalTo(PublicationLog.State.SWAPPING));

    publish(log.state(c, TARGET, UID));

    assertPublished();
  }

  @Test
  void aSwapKilledAfterItsRenamesButBeforeItWasRecordedIsRecognised() throws SQLException {
    log.insert(c, TARGET, STAGING, UID, 3, "orders", "token", PublicationLog.State.SWAPPING, 3);
    execute(h2.target().renameTable(TARGET, RETIRED), h2.target().renameTable(STAGING, TARGET));

    publish(log.state(c, TARGET, UID));

    assertPublished();
  }

  @Test
  void anIntentWhoseSwapNeverStartedSwapsNow() throws SQLException {
    log.insert(c, TARGET, STAGING, UID, 3, "orders", "token", PublicationLog.State.SWAPPING, 3);

    publish(log.state(c, TARGET, UID));

    assertPublished();
  }

  private void publish(PublicationLog.State state) throws SQLException {
    new SwapPublisher(h2, log)
        .publish(c, state, TARGET, STAGING, RETIRED, UID, 3, "orders", "token", 3);
  }

  private void assertPublished() throws SQLException {
    assertThat(count("ORDERS"), equalTo(3L));
    assertThat(h2.catalog().resolve(c, STAGING).isPresent(), equalTo(false));
    assertThat(log.state(c, TARGET, UID), equalTo(PublicationLog.State.PUBLISHED));
    assertThat(log.rowsPublished(c, TARGET, UID), equalTo(3L));
  }

  private long count(String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void execute(String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }
}
