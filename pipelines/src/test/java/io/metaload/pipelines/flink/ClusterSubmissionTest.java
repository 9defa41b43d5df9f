package io.metaload.pipelines.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSubmissionTest {
  @TempDir Path dir;

  private String classPath(Path... entries) {
    StringBuilder out = new StringBuilder();
    for (Path p : entries) {
      out.append(out.length() == 0 ? "" : File.pathSeparator).append(p);
    }
    return out.toString();
  }

  private Path file(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, name);
    return p;
  }

  @Test
  void anUpToDateJobJarIsShippedAlone() throws Exception {
    Path launcher = file("target/metaload.jar");
    Path lib = file("target/lib/postgresql-42.jar");
    Path jobJar = file("target/metaload-job.jar");
    jobJar.toFile().setLastModified(launcher.toFile().lastModified() + 1000);
    assertThat(
        ClusterSubmission.filesToStage(classPath(launcher, lib)), contains(jobJar.toString()));
  }

  @Test
  void aJobJarOlderThanTheLauncherIsIgnored() throws Exception {
    Path launcher = file("target/metaload.jar");
    Path jobJar = file("target/metaload-job.jar");
    jobJar.toFile().setLastModified(launcher.toFile().lastModified() - 60_000);
    Path lib = file("target/lib/postgresql-42.jar");
    assertThat(
        ClusterSubmission.filesToStage(classPath(launcher, lib)),
        contains(launcher.toString(), lib.toString()));
  }

  @Test
  void withoutAJobJarTheClassPathShipsLessWhatTheClusterLoadsItself() throws Exception {
    Path classes = dir.resolve("target/classes");
    Files.createDirectories(classes);
    Path beamFlink = file("lib/beam-runners-flink-1.19-2.70.0.jar");
    Path flinkCore = file("lib/flink-core-1.19.0.jar");
    Path slf4j = file("lib/slf4j-api-2.0.17.jar");
    Path driver = file("lib/mariadb-java-client-3.5.7.jar");
    assertThat(
        ClusterSubmission.filesToStage(
            classPath(classes, beamFlink, flinkCore, slf4j, driver, dir.resolve("gone.jar"))),
        contains(classes.toString(), beamFlink.toString(), driver.toString()));
  }

  @Test
  void aClusterThatDoesNotAnswerIsExitThreeNamingIt() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("localhost:" + port);
    ClusterSubmission submission = ClusterSubmission.of(options).orElseThrow();

    MetaloadException e =
        org.junit.jupiter.api.Assertions.assertThrows(MetaloadException.class, submission::slots);
    assertThat(e.exitCode(), equalTo(ExitCode.DATABASE_UNREACHABLE));
    assertThat(
        e.getMessage(),
        org.hamcrest.Matchers.startsWith(
            "the Flink cluster at localhost:" + port + " does not answer"));
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MetaloadException.class, () -> submission.cancelOrphans(List.of("orders-run7")));
    assertThat(e.exitCode(), equalTo(ExitCode.DATABASE_UNREACHABLE));
  }

  @Test
  void onlyARemoteFlinkMasterIsACluster() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    assertThat(ClusterSubmission.of(options).isPresent(), equalTo(false));
    options.setFlinkMaster("localhost:8081");
    ClusterSubmission submission = ClusterSubmission.of(options).orElseThrow();
    assertThat(submission.master(), equalTo("localhost:8081"));
    options.setFilesToStage(List.of("given.jar"));
    ClusterSubmission prepared = submission.prepare(options, "orders-run7");
    assertThat(prepared.jobName(), matchesPattern("metaload-orders-run7-[0-9a-f]{8}"));
    assertThat(options.getJobName(), equalTo(prepared.jobName()));
    assertThat(options.getFilesToStage(), contains("given.jar"));
  }
}
