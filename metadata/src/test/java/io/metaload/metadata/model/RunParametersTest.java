package io.metaload.metadata.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunParametersTest {
  private static LoadDefinition rangeLoad(String... boundaries) {
    return LoadDefinition.builder()
        .name("orders")
        .sourceConnection("src")
        .sourceTable("orders")
        .splitKey("id")
        .partitionStrategy(PartitionStrategy.RANGE)
        .partitionValues(List.of(boundaries))
        .targetConnection("dst")
        .targetTable("orders")
        .build();
  }

  @Test
  void substitutesEveryReferenceAndRecordsWhichParametersWereUsed() {
    RunParameters params = RunParameters.parse(List.of("from=100", "to=200", "unused=x"));
    Set<String> used = new HashSet<>();

    LoadDefinition resolved =
        params.apply(rangeLoad("${param.from}", "${param.from}5", "${param.to}"), used);

    assertThat(resolved.partitionValues(), equalTo(List.of("100", "1005", "200")));
    assertThat(used, equalTo(Set.of("from", "to")));
    MetaloadException unknown =
        assertThrows(MetaloadException.class, () -> params.checkAllUsed(used, List.of("orders")));
    assertThat(unknown.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(unknown.getMessage(), containsString("unknown parameter unused"));
  }

  @Test
  void storedParametersReadBackEqual() {
    RunParameters params = RunParameters.parse(List.of("day=2026-11-25", "country=DE"));

    assertThat(RunParameters.fromJson(params.toJson()), equalTo(params));
    assertThat(params.toString(), equalTo("country=DE day=2026-11-25"));
    assertThat(RunParameters.none().toJson(), equalTo(null));
    assertThat(RunParameters.fromJson(null), equalTo(RunParameters.none()));
  }

  @Test
  void aParameterGivenTwiceOrWithABadNameIsRefused() {
    assertThat(
        assertThrows(MetaloadException.class, () -> RunParameters.parse(List.of("a=1", "a=2")))
            .getMessage(),
        containsString("--param a is given twice"));
    assertThat(
        assertThrows(MetaloadException.class, () -> RunParameters.parse(List.of("1a=1")))
            .getMessage(),
        containsString("must be name=value"));
  }
}
