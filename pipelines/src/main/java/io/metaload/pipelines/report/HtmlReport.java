package io.metaload.pipelines.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Writes a run's history ({@link RunHistory}) as one self-contained HTML file: the data as JSON,
 * the plotting library (uPlot, from its WebJar) and the drawing script are all inlined, so the file
 * opens anywhere without a network.
 *
 * <pre>{@code
 * try (MetadataStore store = MetadataStore.open(config.metadata())) {
 *   HtmlReport.write(RunHistory.load(store, 42), Path.of("run-42.html"));
 * }
 * }</pre>
 */
public final class HtmlReport {
  private static final String UPLOT = "META-INF/resources/webjars/uplot/";

  private HtmlReport() {}

  /** Renders {@code history} into {@code file}, replacing it. */
  public static void write(ObjectNode history, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, render(history), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The report's HTML. */
  public static String render(ObjectNode history) {
    String uplot = UPLOT + uplotVersion() + "/dist/";
    ObjectNode run = (ObjectNode) history.get("run");
    return resource("io/metaload/pipelines/report/report.html")
        .replace("{{TITLE}}", "metaload run " + run.get("id").asText())
        .replace("{{UPLOT_CSS}}", resource(uplot + "uPlot.min.css"))
        .replace("{{DATA}}", scriptSafe(json(history)))
        .replace("{{UPLOT_JS}}", resource(uplot + "uPlot.iife.min.js"))
        .replace("{{REPORT_JS}}", resource("io/metaload/pipelines/report/report.js"));
  }

  /** JSON inside a script element must not contain {@code </} (it would end the element). */
  private static String scriptSafe(String json) {
    return json.replace("</", "<\\/").replace("<!--", "<\\!--");
  }

  private static String json(ObjectNode history) {
    try {
      return new ObjectMapper().writeValueAsString(history);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = stream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  private static String resource(String name) {
    try (InputStream in = stream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream stream(String name) {
    InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name + " on the class path");
    }
    return in;
  }
}
