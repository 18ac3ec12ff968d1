package org.salus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeOptions;
import org.salus.synthea.SyntheaGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salus demo}: everything from nothing. Generates a synthetic population, creates three
 * hospital nodes, loads a third of the patients into each and prints what each node holds.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Generate patients, create three nodes, load a third into each, run the demo studies.")
final class DemoCommand implements Callable<Integer> {

  /** The three demo hospitals, in three countries. */
  static final List<String> NODES = List.of("oslo-university", "karolinska", "clinic-barcelona");

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(
      names = "--patients",
      defaultValue = "150",
      description = "Patients in all (default: ${DEFAULT-VALUE}).")
  int patients;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", description = "Folder for the demo (default: a new temporary folder).")
  Optional<Path> out;

  record NodeResult(
      String node,
      String dir,
      int patientFiles,
      long resources,
      double seconds,
      NodeStatsCommand.Result stats) {}

  record Result(
      String folder,
      int patients,
      long seed,
      List<NodeResult> nodes,
      String hub,
      List<StudyRun> studies) {}

  /** One demo study as the hub ran it: each node's decision, the result and its report. */
  record StudyRun(
      String id,
      com.fasterxml.jackson.databind.JsonNode nodes,
      com.fasterxml.jackson.databind.JsonNode result,
      String report) {}

  /** The demo's study documents, under {@code demo/} on the class path, run in this order. */
  static final List<String> STUDIES =
      List.of(
          "1-diabetes-prevalence-by-sex.json",
          "2-mean-hba1c.json",
          "3-diabetes-logistic-regression.json",
          "4-respiratory-infection-free-survival.json");

  /** Years of records each demo patient has, up to {@link SyntheaGenerator#REFERENCE_DATE}. */
  static final int YEARS_OF_HISTORY = 5;

  /**
   * Resource types the demo leaves out of Synthea's bundles: billing (claims, explanations of
   * benefit), clinical notes and provenance, which no demo study reads. They were about two thirds
   * of the bytes.
   */
  static final List<String> LEFT_OUT =
      List.of(
          "Claim", "ExplanationOfBenefit", "DiagnosticReport", "DocumentReference", "Provenance");

  /** Each demo hospital's jurisdiction: where its consent defaults apply. */
  private static final List<String> JURISDICTIONS = List.of("NO", "SE", "ES");

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (patients < NODES.size()) {
      throw new IllegalArgumentException(
          "--patients must be at least " + NODES.size() + " (one per node), got " + patients);
    }
    Path root =
        out.isPresent()
            ? Files.createDirectories(out.get())
            : Files.createTempDirectory("salus-demo-");
    List<Path> files;
    try (Progress progress = Progress.start(reporting, "Synthea", patients)) {
      files =
          SyntheaGenerator.locate()
              .generate(
                  new SyntheaGenerator.Request(patients, seed, YEARS_OF_HISTORY, 18, 90, LEFT_OUT),
                  root.resolve("population"),
                  progress::stepTo);
    }
    List<NodeResult> results = loadNodes(root, files);
    List<Path> dirs = results.stream().map(n -> Path.of(n.dir())).toList();
    for (int i = 0; i < dirs.size(); i++) {
      allowResearchUnlessRefused(dirs.get(i), JURISDICTIONS.get(i));
    }
    List<StudyRun> studies = overTheHub(root, dirs);
    Result result =
        new Result(
            root.toString(),
            files.size(),
            seed,
            results,
            "https://localhost:" + hubPort + " in " + NODES.get(0),
            studies);
    reporting.print(spec.commandLine().getOut(), result, text(result));
    return 0;
  }

  private int hubPort;
  private final List<ReservedPort> reserved = new ArrayList<>();

  /**
   * Admits the three nodes to a federation on this machine, starts them over mutual TLS with the
   * hub inside the first, and has a researcher submit every demo study to the hub; each node
   * approves research and public-health studies by its policy file and records that in its ledger.
   */
  private List<StudyRun> overTheHub(Path root, List<Path> dirs)
      throws IOException, InterruptedException {
    List<LocalFederation.Member> members = new ArrayList<>();
    for (int i = 0; i < dirs.size(); i++) {
      ReservedPort port = ReservedPort.take();
      reserved.add(port);
      members.add(
          new LocalFederation.Member(NODES.get(i), dirs.get(i), port.port(), JURISDICTIONS.get(i)));
    }
    hubPort = members.get(0).port();
    try (StatusListServer register = StatusListServer.start()) {
      LocalFederation fed =
          LocalFederation.create(root.resolve("federation"), "salus-demo", members, register.url());
      register.publish(fed.statusList());
      return overTheHub(fed, members);
    }
  }

  private List<StudyRun> overTheHub(LocalFederation fed, List<LocalFederation.Member> members)
      throws IOException, InterruptedException {
    List<Path> dirs = members.stream().map(LocalFederation.Member::dir).toList();
    for (Path dir : dirs) {
      Files.writeString(
          dir.resolve(NodeStudies.POLICY_FILE),
          "{\"allowedPurposes\": [\"HRESCH\", \"PUBHLTH\"],\n"
              + " \"autoApprove\": [{\"purposes\": [\"HRESCH\", \"PUBHLTH\"]}],\n"
              + " \"minCellSize\": 5}\n");
    }
    Path researcher =
        fed.credential("researcher", "demo-researcher", 1, "institution=Salus demo institute");
    List<RunningNode> running = new ArrayList<>();
    java.io.PrintWriter err = spec.commandLine().getErr();
    try {
      for (int i = 0; i < members.size(); i++) {
        LocalFederation.Member m = members.get(i);
        reserved.get(i).close();
        RunningNode n =
            RunningNode.start(
                m.dir(),
                new org.salus.server.http.ServerSettings("localhost", m.port()),
                i == 0
                    ? Optional.of(
                        new RunningNode.HubSettings(
                            java.time.Duration.ofMinutes(1), java.time.Duration.ofMillis(50)))
                    : Optional.empty(),
                java.time.Duration.ofHours(1),
                line -> {
                  if (!reporting.json) {
                    err.println("salus: " + m.id() + ": " + line);
                    err.flush();
                  }
                });
        running.add(n);
      }
      // Each node fetches the register's status list as it starts; wait until all hold it.
      org.salus.server.credential.StatusRef any =
          new org.salus.server.credential.StatusRef(fed.statusUrl(), 0);
      java.time.Instant until = java.time.Instant.now().plusSeconds(30);
      while (running.stream().anyMatch(n -> n.node().statusLists().status(any).isEmpty())
          && java.time.Instant.now().isBefore(until)) {
        Thread.sleep(50);
      }
      FederationClient.Session session =
          FederationClient.of(
                  dirs.get(0), researcher, fed.holderKey(), java.util.Set.of("institution"))
              .login("https://localhost:" + hubPort);
      List<StudyRun> out = new ArrayList<>();
      for (String name : STUDIES) {
        String document = demoDocument(name);
        com.fasterxml.jackson.databind.JsonNode submitted =
            session.json(session.post("hub/studies", "application/json", document));
        String id = submitted.path("id").asText();
        com.fasterxml.jackson.databind.JsonNode status =
            StudyHubCommands.await(session, id, java.time.Duration.ofMinutes(10));
        com.fasterxml.jackson.databind.JsonNode results =
            session.json(session.get("hub/studies/" + id + "/results"));
        out.add(
            new StudyRun(
                id, status.path("nodes"), results.path("result"), results.path("report").asText()));
      }
      return out;
    } finally {
      for (RunningNode n : running.reversed()) {
        n.close();
      }
    }
  }

  /** Every third file, starting at {@code i}. */
  private static List<Path> share(List<Path> files, int i) {
    List<Path> share = new ArrayList<>();
    for (int j = i; j < files.size(); j += NODES.size()) {
      share.add(files.get(j));
    }
    return share;
  }

  /**
   * Creates the three nodes and loads each one's share, the three at once: each node has its own
   * database, and one load alone keeps about one core busy.
   */
  private List<NodeResult> loadNodes(Path root, List<Path> files)
      throws IOException, InterruptedException {
    long[] done = new long[NODES.size()];
    List<java.util.concurrent.Future<NodeResult>> loads = new ArrayList<>();
    try (Progress progress = Progress.start(reporting, "Ingest", files.size());
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newFixedThreadPool(NODES.size())) {
      for (int i = 0; i < NODES.size(); i++) {
        int n = i;
        java.util.function.LongConsumer step =
            count -> {
              synchronized (done) {
                done[n] = count;
                progress.stepTo(java.util.Arrays.stream(done).sum());
              }
            };
        loads.add(pool.submit(() -> runNode(root, NODES.get(n), share(files, n), step)));
      }
      List<NodeResult> results = new ArrayList<>();
      for (java.util.concurrent.Future<NodeResult> load : loads) {
        try {
          results.add(load.get());
        } catch (java.util.concurrent.ExecutionException e) {
          loads.forEach(l -> l.cancel(true));
          switch (e.getCause()) {
            case IOException io -> throw io;
            case RuntimeException r -> throw r;
            case Error err -> throw err;
            default -> throw new IllegalStateException(e.getCause());
          }
        }
      }
      return results;
    }
  }

  private NodeResult runNode(
      Path root, String name, List<Path> share, java.util.function.LongConsumer progress)
      throws IOException {
    Path dir = root.resolve("nodes").resolve(name);
    if (Files.exists(dir)) {
      throw new IllegalArgumentException(
          "a demo already ran in " + root + "; choose an empty --out folder");
    }
    try (Node node = NodeDirectory.init(dir, NodeOptions.defaults(name))) {
      Ingestion.Summary s = new Ingestion(node, Optional.empty(), false).load(share, progress);
      return new NodeResult(
          name,
          dir.toString(),
          share.size(),
          s.resourceCount(),
          s.seconds(),
          NodeStatsCommand.Result.of(node.store().stats()));
    }
  }

  /**
   * The demo hospitals allow research and public-health use unless a patient refuses (opt-out
   * defaults); a fresh node is opt-in, which would leave every demo cohort empty.
   */
  private static void allowResearchUnlessRefused(Path dir, String jurisdiction) {
    try (NodeConsents node = NodeConsents.open(dir)) {
      node.consents()
          .saveDefaults(
              org.salus.core.consent.NodeDefaults.of(
                  jurisdiction,
                  java.util.Map.of(
                      org.salus.core.consent.Purpose.HRESCH,
                      org.salus.core.consent.DefaultRule.OPT_OUT,
                      org.salus.core.consent.Purpose.PUBHLTH,
                      org.salus.core.consent.DefaultRule.OPT_OUT)),
              java.time.Instant.now());
    }
  }

  private static String demoDocument(String name) throws IOException {
    try (java.io.InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the demo study " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static String text(Result r) {
    StringBuilder b = new StringBuilder();
    b.append("Salus demo in ")
        .append(r.folder())
        .append("\n")
        .append(r.patients())
        .append(" synthetic patients (Synthea, seed ")
        .append(r.seed())
        .append("), three nodes, a third of the patients in each.\n\n");
    for (NodeResult n : r.nodes()) {
      b.append(
          String.format(
              java.util.Locale.ROOT,
              "Loaded %d patient file(s), %,d resources, in %.1f s%n",
              n.patientFiles(),
              n.resources(),
              n.seconds()));
      b.append(NodeStatsCommand.text(n.node(), n.stats())).append('\n');
    }
    b.append("The three nodes joined a federation (")
        .append(Path.of(r.folder()).resolve("federation"))
        .append(") and started over mutual TLS,\nwith the study hub at ")
        .append(r.hub())
        .append(
            ".\nA researcher submitted the studies to the hub; each node approved them by its"
                + " policy file\n(research and public health) and recorded that in its ledger.\n"
                + "Patients count unless they refused; minimum cell size 5: a node whose step would"
                + " show 1–4\npersons withholds the whole step.\n");
    for (StudyRun s : r.studies()) {
      b.append('\n').append(s.report());
    }
    b.append("\nLook around: ./salus node stats --dir ")
        .append(r.nodes().get(0).dir())
        .append("\n");
    b.append("Run a study yourself (in one process): ./salus study run SPEC.json");
    for (NodeResult n : r.nodes()) {
      b.append(" --node ").append(n.dir());
    }
    b.append("\n");
    return b.toString();
  }
}
