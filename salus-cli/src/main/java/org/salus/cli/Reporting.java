package org.salus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * Mixed into every command that reports: {@code --json} prints one JSON document on stdout and
 * nothing else there; otherwise the command prints readable text. Progress bars appear only for
 * people: when stderr is a terminal and {@code --json} is off.
 */
final class Reporting {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Option(names = "--json", description = "Print one JSON document on stdout, for machines.")
  boolean json;

  /** Whether a progress bar may be drawn: a person is watching and no JSON is asked for. */
  boolean showProgress() {
    return !json && Boolean.getBoolean("salus.tty");
  }

  /** {@code result} as the JSON tree {@code --json} prints. */
  static com.fasterxml.jackson.databind.JsonNode tree(Object result) {
    return JSON.valueToTree(result);
  }

  /** Prints {@code result} as JSON or, for people, the given text. */
  void print(PrintWriter out, Object result, String text) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(result));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("result is not serialisable as JSON", e);
      }
    } else {
      out.print(text);
      if (!text.endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
  }
}
