package io.metaload.pipelines.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A metaload command in its own JVM with this test's classpath: a real process that a test can
 * pause at a named point ({@code PausePoints}) and kill with SIGKILL. Closing it, or the test JVM
 * ending, kills it if it still runs, so a failed test never leaves a paused process holding locks
 * or a source snapshot.
 */
final class MetaloadProcess implements AutoCloseable {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  final Process process;
  final Path log;

  private MetaloadProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static MetaloadProcess start(Path log, Map<String, String> environment, String... args)
      throws IOException {
    return start(log, environment, false, args);
  }

  /**
   * As {@link #start}, on a pseudo-terminal ({@code script}) 160 columns wide, as a user at a shell
   * runs it; the log gets the terminal's transcript.
   */
  static MetaloadProcess startOnTerminal(Path log, Map<String, String> environment, String... args)
      throws IOException {
    return start(log, environment, true, args);
  }

  private static MetaloadProcess start(
      Path log, Map<String, String> environment, boolean terminal, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx1g");
    for (String pkg :
        new String[] {
          "java.lang",
          "java.util",
          "java.nio",
          "sun.nio.ch",
          "java.lang.invoke",
          "java.net",
          "java.io",
          "java.time"
        }) {
      command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Metaload.class.getName());
    command.addAll(List.of(args));
    if (terminal) {
      String line =
          command.stream()
              .map(c -> "'" + c.replace("'", "'\\''") + "'")
              .collect(Collectors.joining(" "));
      command = List.of("script", "-qfec", "stty cols 160 rows 50; exec " + line, "/dev/null");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    RUNNING.add(process);
    return new MetaloadProcess(process, log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    RUNNING.remove(process);
  }

  /**
   * The environment that pauses a process at {@code point} (after {@code skip} arrivals), with its
   * files in {@code dir}.
   */
  static Map<String, String> pauseAt(String point, Path dir, int skip) {
    return Map.of(
        "METALOAD_PAUSE_AT",
        point,
        "METALOAD_PAUSE_DIR",
        dir.toString(),
        "METALOAD_PAUSE_SKIP",
        Integer.toString(skip));
  }

  /**
   * Waits until the process has paused at {@code point}; fails with its output if it ends first.
   */
  void awaitPause(Path dir, String point) throws Exception {
    File reached = dir.resolve(point + ".reached").toFile();
    awaitUntil(reached::exists, "reaching " + point);
  }

  /** Waits until the process has printed {@code text}; fails with its output if it ends first. */
  void awaitOutput(String text) throws Exception {
    awaitUntil(() -> output().contains(text), "printing '" + text + "'");
  }

  /**
   * Waits until the process has printed a match of {@code regex}; fails with its output if it ends
   * first.
   */
  void awaitOutputMatching(String regex) throws Exception {
    Pattern pattern = Pattern.compile(regex);
    awaitUntil(() -> pattern.matcher(output()).find(), "printing a match of /" + regex + "/");
  }

  private interface Condition {
    boolean holds() throws IOException;
  }

  /** Polls {@code condition} for up to three minutes while the process runs. */
  private void awaitUntil(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!condition.holds()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "metaload exited with " + process.exitValue() + " before " + what + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "metaload waited three minutes without " + what + ":\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** Lets a paused process go on. */
  static void proceed(Path dir, String point) throws IOException {
    Files.writeString(dir.resolve(point + ".continue"), "go");
  }

  /** SIGKILL, and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the killed process did not end");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int await() throws InterruptedException {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("metaload did not end within 5 minutes");
    }
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
