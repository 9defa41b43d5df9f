package io.metaload.pipelines.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.ReentryGuard;
import ch.qos.logback.core.util.ReentryGuardFactory;
import io.metaload.pipelines.TerminalLine;
import java.util.List;
import org.slf4j.Logger;

/**
 * Sets up logging in code (no XML to parse at start-up): metaload's own loggers at INFO, the
 * runners' (Flink's, Beam's runners') at ERROR unless {@code --runner-log} says otherwise, every
 * other library at WARN, to standard error (ending a progress bar's line first, see {@link
 * TerminalLine}), as text ({@code 12:00:01.234 INFO io.metaload.pipelines.LoadRunner - ...}) or,
 * with {@code --log-format json}, as one JSON object per line for log shippers (logback's {@link
 * JsonEncoder}: timestamp, level, threadName, loggerName, formattedMessage, throwable). The format
 * is read from the system property {@value #FORMAT_PROPERTY}, which {@link Metaload#main} sets from
 * the command line before anything logs.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String FORMAT_PROPERTY = "metaload.logFormat";
  static final String RUNNER_LOG_PROPERTY = "metaload.runnerLog";

  /**
   * The runners' own loggers, whose start-up notices are not the user's concern unless asked for.
   */
  static final List<String> RUNNER_LOGGERS = List.of("org.apache.flink", "org.apache.beam.runners");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    boolean json = "json".equals(System.getProperty(FORMAT_PROPERTY));
    Encoder<ILoggingEvent> encoder;
    if (json) {
      JsonEncoder e = new JsonEncoder();
      e.setWithSequenceNumber(false);
      e.setWithNanoseconds(false);
      e.setWithContext(false);
      e.setWithMDC(false);
      e.setWithMessage(false);
      e.setWithArguments(false);
      e.setWithFormattedMessage(true);
      encoder = e;
    } else {
      PatternLayoutEncoder e = new PatternLayoutEncoder();
      e.setPattern("%d{HH:mm:ss.SSS} %level %logger - %msg%n");
      encoder = e;
    }
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> stderr =
        new OutputStreamAppender<>() {
          // As logback's ConsoleAppender: a log call made while writing (System.err redirected into
          // a logger) is dropped instead of recursing.
          @Override
          protected ReentryGuard buildReentryGuard() {
            return ReentryGuardFactory.makeGuard(ReentryGuardFactory.GuardType.THREAD_LOCAL);
          }
        };
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setOutputStream(TerminalLine.endingBarLine(() -> System.err));
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    context.getLogger("io.metaload").setLevel(Level.INFO);
    Level runner = Level.toLevel(System.getProperty(RUNNER_LOG_PROPERTY, "error"), Level.ERROR);
    for (String logger : RUNNER_LOGGERS) {
      context.getLogger(logger).setLevel(runner);
    }
    context.getLogger("org.apache.flink.metrics.MetricGroup").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
