package io.metaload.pipelines.flink;

import io.metaload.metadata.error.ExitCode;
import io.metaload.metadata.error.MetaloadException;
import java.io.File;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A pipeline bound for a Flink session cluster ({@code --runner=FlinkRunner
 * --flinkMaster=host:port}): names its job so the launcher can find and cancel it, and chooses the
 * files the job ships to the cluster.
 *
 * <p>A built checkout has {@code pipelines/target/metaload-job.jar}, every class the workers need
 * in one file; the job ships that alone, because each staged file costs a round trip to the
 * cluster's blob server (measured here: about 16 s for the 170 jars of the class path, 2.5 s for
 * the one jar). Without it the launcher's class path is shipped, less the {@code flink-*}, {@code
 * slf4j-*} and {@code logback-*} jars: Flink loads those packages from its own class path whatever
 * a job ships. A {@code --filesToStage} given on the command line is kept as it is.
 */
public final class ClusterSubmission {
  /** The shaded jar that {@code mvn package} writes beside {@code metaload.jar}. */
  static final String JOB_JAR = "metaload-job.jar";

  private static final SecureRandom NONCES = new SecureRandom();
  private final String master;
  private final String jobName;

  private ClusterSubmission(String master, String jobName) {
    this.master = master;
    this.jobName = jobName;
  }

  /**
   * The submission of a pipeline with these options, or empty when they name no cluster (embedded
   * Flink, Direct runner).
   */
  public static Optional<ClusterSubmission> of(PipelineOptions options) {
    if (!options.getRunner().getSimpleName().equals("FlinkRunner")) {
      return Optional.empty();
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    if (master == null || master.isBlank() || master.startsWith("[")) {
      return Optional.empty();
    }
    return Optional.of(new ClusterSubmission(master.trim(), null));
  }

  /**
   * Sets the options' job name ({@code metaload-<label>-<random>}) and files to stage; returns the
   * submission with that name.
   */
  public ClusterSubmission prepare(PipelineOptions options, String label) {
    byte[] nonce = new byte[4];
    NONCES.nextBytes(nonce);
    String name = "metaload-" + label + "-" + HexFormat.of().formatHex(nonce);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setJobName(name);
    if (flink.getFilesToStage() == null) {
      flink.setFilesToStage(filesToStage(System.getProperty("java.class.path")));
    }
    return new ClusterSubmission(master, name);
  }

  /**
   * The files a job ships: the job jar beside {@code metaload.jar} if it is up to date, else the
   * class path less what the cluster has.
   */
  static List<String> filesToStage(String classPath) {
    String[] entries = classPath.split(File.pathSeparator);
    for (String entry : entries) {
      File launcherJar = new File(entry);
      if (launcherJar.getName().equals("metaload.jar") && launcherJar.isFile()) {
        File jobJar = new File(launcherJar.getParentFile(), JOB_JAR);
        if (jobJar.isFile() && jobJar.lastModified() >= launcherJar.lastModified()) {
          return List.of(jobJar.getPath());
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String entry : entries) {
      if (entry.isBlank() || !new File(entry).exists()) {
        continue;
      }
      String file = new File(entry).getName();
      boolean clusterHasIt =
          file.endsWith(".jar")
              && (file.startsWith("flink-")
                  || file.startsWith("slf4j-")
                  || file.startsWith("logback-"));
      if (!clusterHasIt) {
        out.add(entry);
      }
    }
    return out;
  }

  /**
   * Cancels the jobs still running on the cluster for these runs ({@code <load>-run<id>} labels)
   * and waits for them to end. The caller holds the runs' locks, so such a job's launcher is gone
   * (killed with SIGKILL); left running it would go on writing into the staging table that this
   * attempt validates and publishes. Returns the jobs cancelled.
   */
  public List<FlinkRest.Job> cancelOrphans(List<String> runLabels) {
    return ask(
        "cancelling jobs",
        rest ->
            rest.cancelAndWait(
                rest.activeJobs(
                    name ->
                        name.startsWith("metaload-")
                            && runLabels.stream().anyMatch(l -> name.contains(l + "-"))),
                CancelOnShutdown.CANCEL_WAIT));
  }

  /**
   * The cluster's task slots, all TaskManagers together; an unreachable cluster is exit 3, worth a
   * retry.
   */
  public int slots() {
    int slots = ask("asking for its slots", FlinkRest::slotsTotal);
    if (slots < 1) {
      throw new MetaloadException(
          ExitCode.DATABASE_UNREACHABLE,
          "the Flink cluster at " + master + " has no TaskManager registered");
    }
    return slots;
  }

  /** One exchange with the cluster's REST API; a cluster that does not answer is exit 3. */
  private <T> T ask(String what, RestCall<T> call) {
    try {
      return call.on(new FlinkRest(master));
    } catch (IOException e) {
      throw new MetaloadException(
          ExitCode.DATABASE_UNREACHABLE,
          "the Flink cluster at "
              + master
              + " does not answer: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetaloadException(
          ExitCode.LOAD_FAILED,
          "interrupted while " + what + " on the Flink cluster at " + master,
          e);
    }
  }

  private interface RestCall<T> {
    T on(FlinkRest rest) throws IOException, InterruptedException;
  }

  /** {@code host:port} of the JobManager. */
  public String master() {
    return master;
  }

  /** The job's name on the cluster; null before {@link #prepare}. */
  public String jobName() {
    return jobName;
  }
}
