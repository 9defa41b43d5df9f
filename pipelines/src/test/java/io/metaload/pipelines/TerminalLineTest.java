package io.metaload.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.junit.jupiter.api.Test;

class TerminalLineTest {
  private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
  private final PrintStream stderr = new PrintStream(terminal, true, StandardCharsets.UTF_8);
  private final OutputStream log = TerminalLine.endingBarLine(() -> stderr);

  @Test
  void aLogLineWrittenWhileTheBarIsDrawnStartsOnALineOfItsOwn() throws Exception {
    ProgressBarConsumer bar = TerminalLine.barOn(stderr);
    bar.accept("run 1 orders 40% 4000/10000 rows");
    log.write("12:00:01.000 INFO metaload - batch committed\n".getBytes(StandardCharsets.UTF_8));
    bar.accept("run 1 orders 50% 5000/10000 rows");

    String[] lines = terminal.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines[0].strip(), equalTo("run 1 orders 40% 4000/10000 rows"));
    assertThat(lines[1], equalTo("12:00:01.000 INFO metaload - batch committed"));
    assertThat(lines[2].strip(), equalTo("run 1 orders 50% 5000/10000 rows"));
    bar.close();
  }

  @Test
  void onceTheBarIsClosedLogLinesAreWrittenUnchanged() throws Exception {
    ProgressBarConsumer bar = TerminalLine.barOn(stderr);
    bar.accept("run 1 orders 100%");
    bar.close();
    int closed = terminal.size();
    log.write("a\n".getBytes(StandardCharsets.UTF_8));
    log.write("b\n".getBytes(StandardCharsets.UTF_8));

    assertThat(terminal.toString(StandardCharsets.UTF_8).substring(closed), equalTo("a\nb\n"));
  }
}
