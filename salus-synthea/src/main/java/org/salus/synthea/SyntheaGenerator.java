package org.salus.synthea;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Makes a synthetic population with Synthea, run in a child JVM on its own class path.
 *
 * <p>Determinism: Synthea draws everything from the seed, but dates are relative to its reference
 * date and it simulates up to its end date, which both default to today. We pin both to {@link
 * #REFERENCE_DATE}, so the same seed gives the same population on any day. Output files are renamed
 * {@code patient-0001.json}, ... in the order of the patients' resource ids, so file names carry no
 * names and do not depend on thread timing.
 */
public final class SyntheaGenerator {

  /**
   * The reference date for ages and the end date Synthea simulates up to. Fixed so a seed names one
   * population.
   */
  public static final String REFERENCE_DATE = "20250101";

  private final Path syntheaLib;
  private final Path javaExecutable;

  /**
   * @param syntheaLib folder with Synthea's jar and its dependencies
   * @param javaExecutable the {@code java} to start Synthea with
   */
  public SyntheaGenerator(Path syntheaLib, Path javaExecutable) {
    this.syntheaLib = syntheaLib;
    this.javaExecutable = javaExecutable;
  }

  /**
   * Finds Synthea's class path: {@code -Dsalus.synthea.lib}, else {@code
   * salus-synthea/target/synthea-lib} under {@code -Dsalus.home}; the current JVM's java.
   */
  public static SyntheaGenerator locate() {
    String lib = System.getProperty("salus.synthea.lib");
    Path libPath;
    if (lib != null) {
      libPath = Path.of(lib);
    } else {
      String home = System.getProperty("salus.home", ".");
      libPath = Path.of(home, "salus-synthea", "target", "synthea-lib");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new SyntheaGenerator(libPath, java);
  }

  /**
   * The bundles of a population cached under {@code cacheRoot/seed-S-n-N}: generated once (five
   * years of history) and reused while the folder exists, so tests in several modules share one
   * Synthea run. Generation goes to a sibling {@code .partial} folder first, so an interrupted run
   * never leaves a half population behind.
   */
  public List<Path> cached(Path cacheRoot, int patients, long seed)
      throws IOException, InterruptedException {
    Path dir = cacheRoot.resolve("seed-" + seed + "-n-" + patients);
    if (!Files.isDirectory(dir)) {
      Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
      deleteTree(partial);
      generate(patients, seed, 5, partial, done -> {});
      Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches("patient-\\d+\\.json"))
          .sorted()
          .toList();
    }
  }

  /**
   * What to generate: {@code patients} living persons aged {@code minAge}..{@code maxAge} on the
   * reference date, with {@code yearsOfHistory} years of records, leaving the FHIR resource types
   * in {@code excludedResources} out of the bundles (Synthea always keeps Patient and Encounter).
   */
  public record Request(
      int patients,
      long seed,
      int yearsOfHistory,
      int minAge,
      int maxAge,
      List<String> excludedResources) {

    public Request {
      if (patients < 1 || patients > 100_000) {
        throw new IllegalArgumentException("patients must be 1..100000, got " + patients);
      }
      if (yearsOfHistory < 1 || yearsOfHistory > 100) {
        throw new IllegalArgumentException(
            "years of history must be 1..100, got " + yearsOfHistory);
      }
      if (minAge < 0 || maxAge > 140 || minAge > maxAge) {
        throw new IllegalArgumentException(
            "ages must be a range within 0..140, got " + minAge + "-" + maxAge);
      }
      excludedResources = List.copyOf(excludedResources);
      for (String type : excludedResources) {
        if (!type.matches("[A-Z][A-Za-z]+")) {
          throw new IllegalArgumentException("not a FHIR resource type name: " + type);
        }
      }
    }

    /** Adults aged 18 to 90, every resource type Synthea writes. */
    public static Request adults(int patients, long seed, int yearsOfHistory) {
      return new Request(patients, seed, yearsOfHistory, 18, 90, List.of());
    }
  }

  /**
   * Generates {@code patients} living adults with {@code yearsOfHistory} years of records into
   * {@code out}, one FHIR R4 transaction bundle per patient.
   *
   * @param progress told the number of patients finished so far
   * @return the bundle files, in order
   */
  public List<Path> generate(
      int patients, long seed, int yearsOfHistory, Path out, IntConsumer progress)
      throws IOException, InterruptedException {
    return generate(Request.adults(patients, seed, yearsOfHistory), out, progress);
  }

  /**
   * Generates the population {@code request} describes into {@code out}, one FHIR R4 transaction
   * bundle per patient.
   *
   * @param progress told the number of patients finished so far
   * @return the bundle files, in order
   */
  public List<Path> generate(Request request, Path out, IntConsumer progress)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(syntheaLib)) {
      throw new IOException(
          "Synthea is not built: "
              + syntheaLib
              + " is missing (run ./mvnw -pl salus-synthea package, or use ./salus)");
    }
    Files.createDirectories(out);
    if (!isEmptyOrAbsent(out.resolve("patient-0001.json"))) {
      throw new IOException(out + " already holds a population; choose an empty folder");
    }
    Path work = Files.createTempDirectory(out, ".synthea-");
    try {
      runSynthea(request, work, progress);
      return collect(work.resolve("fhir"), out);
    } finally {
      deleteTree(work);
    }
  }

  private void runSynthea(Request request, Path work, IntConsumer progress)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable.toString());
    command.add("-Xmx2g");
    command.add("-cp");
    command.add(syntheaLib.toAbsolutePath() + "/*");
    command.add("App");
    command.addAll(
        List.of(
            "-p",
            Integer.toString(request.patients()),
            "-s",
            Long.toString(request.seed()),
            "-cs",
            Long.toString(request.seed()),
            "-r",
            REFERENCE_DATE,
            "-e",
            REFERENCE_DATE,
            "-a",
            request.minAge() + "-" + request.maxAge(),
            "--exporter.baseDirectory=" + work.toAbsolutePath(),
            "--exporter.fhir.export=true",
            "--exporter.fhir.transaction_bundle=true",
            "--exporter.hospital.fhir.export=false",
            "--exporter.practitioner.fhir.export=false",
            "--exporter.years_of_history=" + request.yearsOfHistory(),
            "--generate.only_alive_patients=true",
            "--generate.log_patients.detail=simple"));
    if (!request.excludedResources().isEmpty()) {
      command.add(
          "--exporter.fhir.excluded_resources=" + String.join(",", request.excludedResources()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    int done = 0;
    List<String> tail = new ArrayList<>();
    try (var lines = process.inputReader().lines()) {
      for (String line : (Iterable<String>) lines::iterator) {
        // Synthea prints one line per finished patient: "N -- Name (age) place (id)".
        if (line.matches("^\\d+ -- .*")) {
          progress.accept(++done);
        } else {
          tail.add(line);
          if (tail.size() > 20) {
            tail.remove(0);
          }
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(
          "Synthea exited with " + exit + "; its last lines:\n" + String.join("\n", tail));
    }
  }

  private static List<Path> collect(Path fhir, Path out) throws IOException {
    List<Path> bundles;
    try (Stream<Path> files = Files.list(fhir)) {
      bundles =
          files
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .sorted(Comparator.comparing(SyntheaGenerator::patientId))
              .toList();
    }
    List<Path> result = new ArrayList<>();
    int n = 0;
    for (Path bundle : bundles) {
      Path target = out.resolve(String.format(Locale.ROOT, "patient-%04d.json", ++n));
      Files.move(bundle, target, StandardCopyOption.REPLACE_EXISTING);
      result.add(target);
    }
    return result;
  }

  /** Synthea names files {@code Given_Family_<uuid>.json}; the uuid is the stable part. */
  private static String patientId(Path file) {
    String name = file.getFileName().toString();
    int underscore = name.lastIndexOf('_');
    return underscore < 0 ? name : name.substring(underscore + 1);
  }

  private static boolean isEmptyOrAbsent(Path p) {
    return !Files.exists(p);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
