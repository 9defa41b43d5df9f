package io.metaload.pipelines.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The few calls of a Flink JobManager's REST API that the launcher needs: find jobs by name, cancel
 * them, read their state.
 */
public final class FlinkRest {
  /** States after which a job does nothing more. */
  static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * A client of the JobManager at {@code master} ({@code host:port}, as given to {@code
   * --flinkMaster}).
   */
  public FlinkRest(String master) {
    this.base =
        master.startsWith("http://") || master.startsWith("https://") ? master : "http://" + master;
  }

  /** One job as the cluster lists it. */
  @AutoValue
  public abstract static class Job {
    public abstract String id();

    public abstract String name();

    /** Flink's job state: RUNNING, FINISHED, CANCELED, ... */
    public abstract String state();

    public boolean ended() {
      return TERMINAL.contains(state());
    }

    static Job of(String id, String name, String state) {
      return new AutoValue_FlinkRest_Job(id, name, state);
    }

    @Override
    public final String toString() {
      return name() + " (" + id() + ", " + state() + ")";
    }
  }

  /** The task slots of all registered TaskManagers. */
  public int slotsTotal() throws IOException, InterruptedException {
    return get("/overview").path("slots-total").asInt();
  }

  /** Every job the cluster knows, running or ended. */
  public List<Job> jobs() throws IOException, InterruptedException {
    JsonNode root = get("/jobs/overview");
    List<Job> out = new ArrayList<>();
    for (JsonNode j : root.path("jobs")) {
      out.add(Job.of(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
    }
    return out;
  }

  /** The jobs that have not ended and whose name passes {@code test}. */
  public List<Job> activeJobs(Predicate<String> test) throws IOException, InterruptedException {
    List<Job> out = new ArrayList<>();
    for (Job j : jobs()) {
      if (!j.ended() && test.test(j.name())) {
        out.add(j);
      }
    }
    return out;
  }

  /** Asks the cluster to cancel a job; it ends asynchronously. */
  public void cancel(String jobId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
            .timeout(Duration.ofSeconds(10))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "cancelling job "
              + jobId
              + " at "
              + base
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  /** A job's state, e.g. RUNNING or CANCELED. */
  public String state(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /**
   * Cancels every active job named {@code name} and waits up to {@code wait} for each to end;
   * returns the jobs it cancelled.
   */
  public List<Job> cancelJobsNamed(String name, Duration wait)
      throws IOException, InterruptedException {
    return cancelAndWait(activeJobs(name::equals), wait);
  }

  /** Cancels these jobs and waits up to {@code wait} for each to end; returns them. */
  public List<Job> cancelAndWait(List<Job> jobs, Duration wait)
      throws IOException, InterruptedException {
    for (Job j : jobs) {
      cancel(j.id());
    }
    long deadline = System.nanoTime() + wait.toNanos();
    for (Job j : jobs) {
      while (!TERMINAL.contains(state(j.id()))) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "job " + j + " did not end within " + wait.toSeconds() + " s of being cancelled");
        }
        Thread.sleep(200);
      }
    }
    return jobs;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "GET " + base + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
