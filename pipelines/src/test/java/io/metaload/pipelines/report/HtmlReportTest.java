package io.metaload.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static ObjectNode history(String message) {
    ObjectNode h = new ObjectMapper().createObjectNode();
    ObjectNode run = h.putObject("run");
    run.put("id", 7).put("load", "orders").put("status", "FAILED").put("message", message);
    h.putArray("batches");
    return h;
  }

  @Test
  void aMessageThatLooksLikeMarkupCannotEndTheDataScript() {
    String html = HtmlReport.render(history("boom </script><script>alert(1)</script> <!-- x"));
    assertThat(html, not(containsString("</script><script>alert(1)")));
    assertThat(html, containsString("boom <\\/script><script>alert(1)<\\/script> <\\!-- x"));
    assertThat(
        "script elements: data, uPlot, report", html.split("</script>", -1).length - 1, equalTo(3));
  }

  @Test
  void theReportNeedsNoNetwork() {
    String html = HtmlReport.render(history(null));
    assertThat(html, not(containsString("src=\"http")));
    assertThat(html, not(containsString("href=\"http")));
    assertThat(html, not(containsString("@import")));
    assertThat("uPlot is inlined", html, containsString("uPlot"));
  }
}
