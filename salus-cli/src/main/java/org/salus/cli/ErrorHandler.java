package org.salus.cli;

import org.salus.core.error.SalusException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns failures into what a person or script sees: a line on stderr naming what
 * went wrong and where, and an exit code. 1 for a refused input or operation, 2 for usage
 * (picocli), 3 for I/O and environment failures, 70 for bugs.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  static final int REFUSED = 1;
  static final int ENVIRONMENT = 3;
  static final int INTERNAL = 70;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    var err = commandLine.getErr();
    if (e instanceof SalusException s) {
      err.println("salus: " + s.describe());
      return REFUSED;
    }
    if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
      err.println("salus: io: " + e.getMessage());
      return ENVIRONMENT;
    }
    if (e instanceof IllegalArgumentException) {
      err.println("salus: invalid argument: " + e.getMessage());
      return REFUSED;
    }
    err.println("salus: internal error (" + e.getClass().getSimpleName() + "); please report it");
    e.printStackTrace(err);
    return INTERNAL;
  }
}
