package io.metaload.pipelines.bench;

import io.metaload.metadata.dialect.Dialect;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * The benchmark's baseline: the pipeline a Beam user writes by hand to copy the benchmark table,
 * {@code JdbcIO.readWithPartitions} into {@code JdbcIO.write}, one element per row. Not part of
 * metaload's loading path.
 */
public final class PlainJdbcIoCopy {
  private PlainJdbcIoCopy() {}

  /** Options of the baseline pipeline. */
  public interface Options extends PipelineOptions {
    @Description("JDBC URL of the source database")
    @Validation.Required
    String getSourceUrl();

    void setSourceUrl(String url);

    @Description("JDBC URL of the target database")
    @Validation.Required
    String getTargetUrl();

    void setTargetUrl(String url);

    @Description("Database user for both ends")
    @Default.String("postgres")
    String getUser();

    void setUser(String user);

    @Description("Source table")
    @Default.String("bench_orders")
    String getSourceTable();

    void setSourceTable(String table);

    @Description("Target table (must exist)")
    @Default.String("bench_jdbcio")
    String getTargetTable();

    void setTargetTable(String table);

    @Description("Partitions for readWithPartitions")
    @Default.Integer(16)
    int getPartitions();

    void setPartitions(int partitions);
  }

  /** One row of the benchmark table. */
  @DefaultSchema(JavaFieldSchema.class)
  public static final class Order implements Serializable {
    public long id;
    public long customerId;
    public String createdAt;
    public BigDecimal amount;
    public String status;
    public String country;
    public String comment;
  }

  static final class OrderMapper implements JdbcIO.RowMapper<Order> {
    @Override
    public Order mapRow(ResultSet rs) throws SQLException {
      Order o = new Order();
      o.id = rs.getLong(1);
      o.customerId = rs.getLong(2);
      o.createdAt = rs.getString(3);
      o.amount = rs.getBigDecimal(4);
      o.status = rs.getString(5);
      o.country = rs.getString(6);
      o.comment = rs.getString(7);
      return o;
    }
  }

  static final class OrderSetter implements JdbcIO.PreparedStatementSetter<Order> {
    @Override
    public void setParameters(Order o, PreparedStatement ps) throws SQLException {
      ps.setLong(1, o.id);
      ps.setLong(2, o.customerId);
      ps.setString(3, o.createdAt);
      ps.setBigDecimal(4, o.amount);
      ps.setString(5, o.status);
      ps.setString(6, o.country);
      ps.setString(7, o.comment);
    }
  }

  private static String driverFor(String url) {
    return Dialect.forUrl(url).driverClass();
  }

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    Pipeline p = Pipeline.create(options);
    p.apply(
            "Read",
            JdbcIO.<Order>readWithPartitions()
                .withDataSourceConfiguration(
                    JdbcIO.DataSourceConfiguration.create(
                            driverFor(options.getSourceUrl()), options.getSourceUrl())
                        .withUsername(options.getUser()))
                .withTable(
                    "(SELECT id, customer_id, created_at, amount, status, country, comment FROM "
                        + options.getSourceTable()
                        + ") AS t")
                .withPartitionColumn("id")
                .withNumPartitions(options.getPartitions())
                .withRowMapper(new OrderMapper()))
        .apply(
            "Write",
            JdbcIO.<Order>write()
                .withDataSourceConfiguration(
                    JdbcIO.DataSourceConfiguration.create(
                            driverFor(options.getTargetUrl()), options.getTargetUrl())
                        .withUsername(options.getUser()))
                .withStatement(
                    "INSERT INTO "
                        + options.getTargetTable()
                        + " VALUES (?, ?, ?::timestamp, ?, ?, ?, ?)")
                .withBatchSize(1000)
                .withPreparedStatementSetter(new OrderSetter()));
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      System.exit(1);
    }
  }
}
