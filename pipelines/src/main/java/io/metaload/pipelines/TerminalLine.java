package io.metaload.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * The line of standard error that a progress bar redraws in place (with a carriage return, no
 * newline): anything else written to standard error through {@link #endingBarLine} first ends that
 * line, so a log line never lands on the bar's; the bar is drawn again below it.
 */
public final class TerminalLine {
  private static final Object LOCK = new Object();
  private static boolean barLineOpen;

  private TerminalLine() {}

  /**
   * A stream writing to whatever {@code target} gives at each write, after ending an open bar line.
   */
  public static OutputStream endingBarLine(Supplier<? extends OutputStream> target) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        synchronized (LOCK) {
          OutputStream out = target.get();
          if (barLineOpen) {
            out.write('\n');
            barLineOpen = false;
          }
          out.write(b, off, len);
        }
      }

      @Override
      public void flush() throws IOException {
        target.get().flush();
      }
    };
  }

  /**
   * A progress bar consumer that draws on {@code out} and leaves its line open until the bar or a
   * log line ends it.
   */
  static ProgressBarConsumer barOn(PrintStream out) {
    ConsoleProgressBarConsumer console = new ConsoleProgressBarConsumer(out);
    return new ProgressBarConsumer() {
      @Override
      public int getMaxRenderedLength() {
        return console.getMaxRenderedLength();
      }

      @Override
      public void accept(String rendered) {
        synchronized (LOCK) {
          console.accept(rendered);
          barLineOpen = true;
        }
      }

      @Override
      public void close() {
        synchronized (LOCK) {
          console.close();
          barLineOpen = false;
        }
      }
    };
  }
}
