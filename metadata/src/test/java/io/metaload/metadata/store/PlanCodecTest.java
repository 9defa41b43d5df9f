package io.metaload.metadata.store;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.model.LoadDefinition;
import io.metaload.metadata.model.PartitionStrategy;
import io.metaload.metadata.plan.LoadPlan;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCodecTest {
  @Test
  void aStoredPlanIsJsonAndDecodesToTheSamePlan() {
    LoadPlan plan = samplePlan();

    byte[] stored = PlanCodec.encode(plan);

    assertThat(new String(stored, StandardCharsets.UTF_8), containsString("\"format\":1"));
    assertThat(PlanCodec.decode(stored, 7), equalTo(plan));
  }

  @Test
  void aStringKeyedPlanKeepsItsOrderKeyAndBoundariesExactly() {
    Column code = Column.of("code", ColumnType.STRING, 20, 0, false, false, "varchar");
    Column id = Column.of("id", ColumnType.BIGINT, 19, 0, false, false, "int8");
    TableSchema schema = TableSchema.of(List.of(code, id), List.of("id"));
    List<List<String>> boundaries =
        List.of(List.of("", "7"), List.of("a ", "3"), List.of("Ä'\\\"😀", "12"));
    LoadPlan plan =
        LoadPlan.builder()
            .definition(
                LoadDefinition.builder()
                    .name("codes")
                    .sourceConnection("src")
                    .sourceTable("codes")
                    .splitKey("code")
                    .targetConnection("dst")
                    .targetTable("codes")
                    .build())
            .source(TableRef.parse("codes"))
            .sourceSchema(schema)
            .splitKey(code)
            .splitKeyType(SplitKeyType.ORDINAL)
            .uniqueSplitKey(false)
            .orderKey(List.of("code", "id"))
            .partitionColumn(null)
            .partitions(List.of(PartitionPlan.ordinal(0, "all rows", null, 40, boundaries)))
            .target(TableRef.parse("codes"))
            .targetSchema(schema)
            .targetExists(true)
            .build();

    byte[] stored = PlanCodec.encode(plan);
    LoadPlan decoded = PlanCodec.decode(stored, 7);

    assertThat(new String(stored, StandardCharsets.UTF_8), containsString("\"format\":2"));
    assertThat(decoded, equalTo(plan));
    assertThat(decoded.partitions().get(0).keyTo(), equalTo(4L));
  }

  @Test
  void aPlanAnEarlierVersionStoredWithJavaSerializationStillDecodes() throws Exception {
    LoadPlan plan = samplePlan();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(plan);
    }

    assertThat(PlanCodec.decode(bytes.toByteArray(), 7), equalTo(plan));
  }

  @Test
  void aPlanOfANewerFormatIsRefusedWithTheRunToAbandon() {
    byte[] newer =
        new String(PlanCodec.encode(samplePlan()), StandardCharsets.UTF_8)
            .replace("\"format\":1", "\"format\":9")
            .getBytes(StandardCharsets.UTF_8);

    MetaloadException e = assertThrows(MetaloadException.class, () -> PlanCodec.decode(newer, 7));

    assertThat(e.getMessage(), containsString("plan format 9 is newer"));
    assertThat(e.getMessage(), containsString("abandon the run"));
  }

  private static LoadPlan samplePlan() {
    Column id = Column.of("id", ColumnType.BIGINT, 19, 0, false, false, "int8");
    Column country = Column.of("country", ColumnType.STRING, 2, 0, false, true, "bpchar");
    Column mood =
        Column.of("mood", ColumnType.STRING, Integer.MAX_VALUE, 0, true, false, "ml_mood")
            .asPgEnum();
    TableSchema schema = TableSchema.of(List.of(id, country, mood), List.of("id"));
    LoadPlan plan =
        LoadPlan.builder()
            .definition(
                LoadDefinition.builder()
                    .name("orders")
                    .sourceConnection("src")
                    .sourceTable("public.orders")
                    .splitKey("id")
                    .partitionStrategy(PartitionStrategy.LIST)
                    .partitionColumn("country")
                    .partitionValues(List.of("DE", "FR"))
                    .targetConnection("dst")
                    .targetTable("orders")
                    .build())
            .source(TableRef.parse("public.orders"))
            .sourceSchema(schema)
            .splitKey(id)
            .splitKeyType(SplitKeyType.INTEGER)
            .uniqueSplitKey(true)
            .partitionColumn(country)
            .partitions(
                List.of(
                    PartitionPlan.of(0, "country = 'DE'", "DE", 1, 101, 100),
                    PartitionPlan.of(1, "country = 'FR'", "FR", 5, 9, 3)))
            .target(TableRef.parse("orders"))
            .targetSchema(schema)
            .targetExists(false)
            .build();
    return plan;
  }

  @Test
  void bytesOfAnyOtherClassAreRefusedBeforeTheyAreBuilt() throws Exception {
    HashMap<String, Object> gadget = new HashMap<>();
    gadget.put("payload", new java.net.URL("http://example.invalid/"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(gadget);
    }

    MetaloadException e =
        assertThrows(MetaloadException.class, () -> PlanCodec.decode(bytes.toByteArray(), 7));

    assertThat(e.exitCode(), equalTo(ExitCode.LOAD_FAILED));
    assertThat(e.getMessage(), containsString("the stored plan of run 7 cannot be read"));
    assertThat(e.getMessage(), containsString("REJECTED"));
  }
}
