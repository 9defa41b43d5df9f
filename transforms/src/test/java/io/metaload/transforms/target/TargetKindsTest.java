package io.metaload.transforms.target;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import org.junit.jupiter.api.Test;

class TargetKindsTest {
  private final ConnectionSpec h2 = ConnectionSpec.of("dst", "jdbc:h2:mem:kinds", "sa", "");

  @Test
  void aConnectionWithoutKindReachesTheJdbcTarget() {
    assertThat(h2.kind(), equalTo("jdbc"));
    assertThat(TargetKinds.target(h2).getClass().getSimpleName(), equalTo("JdbcTarget"));
  }

  @Test
  void aKindNoTargetServesIsBadConfigurationNamingTheKnownKinds() {
    MetaloadException e =
        assertThrows(MetaloadException.class, () -> TargetKinds.target(h2.withKind("lake")));
    assertThat(e.exitCode(), equalTo(ExitCode.BAD_USAGE));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("connection 'dst' is of kind 'lake'"),
            containsString("known: jdbc"),
            containsString("META-INF/services/" + TargetKind.class.getName())));
  }
}
