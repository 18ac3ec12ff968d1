package org.salus.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.KeyChain;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;
import org.salus.core.ledger.proof.VerifiedEntry;
import org.salus.server.trust.FederationDirectory;
import org.salus.store.ledger.Inconsistency;
import org.salus.store.ledger.VerifyReport;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code salus ledger}: the node's tamper-evident log, its checkpoints and proofs. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "The node's Merkle log: its key, checkpoints, verification and proofs.",
    subcommands = {
      LedgerCommand.Key.class,
      LedgerCommand.RotateKey.class,
      LedgerCommand.Checkpoint.class,
      LedgerCommand.Verify.class,
      LedgerCommand.Proof.class,
      LedgerCommand.VerifyProof.class
    })
final class LedgerCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code salus ledger key}: the verifier key of the node's log, for auditors and witnesses. */
  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description = {
        "Print the verifier key (C2SP vkey) that signs the log's new checkpoints. With --json,",
        "also its key history: every key since the node's own, with the first checkpoint size",
        "it signs."
      })
  static final class Key implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "The node's folder.")
    Path dir;

    /** A key and the first checkpoint size it signs. */
    record Period(long fromSize, String vkey) {}

    /** {@code vkey} signs new checkpoints; {@code history} lists every key from the first. */
    record Result(String origin, String vkey, List<Period> history) {}

    @Override
    public Integer call() {
      try (Node node = NodeDirectory.open(dir);
          NodeLedger ledger = openLedger(node, dir)) {
        VerifierKey key = ledger.logKey();
        List<Period> history = new ArrayList<>();
        history.add(new Period(0, ledger.firstKey().encode()));
        ledger
            .rotations()
            .forEach(r -> history.add(new Period(r.handoverSize() + 1, r.newKey().encode())));
        reporting.print(
            spec.commandLine().getOut(),
            new Result(key.name(), key.encode(), history),
            key.encode());
      }
      return 0;
    }
  }

  /** {@code salus ledger rotate-key}: a new checkpoint key, handed over in the log itself. */
  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      description = {
        "Rotate the log's checkpoint key (run with the node stopped): draw a new Ed25519 key,",
        "append a KeyRotation entry naming it, sign the handover checkpoint (up to and",
        "including that entry) with the old key, then sign every later checkpoint with the new",
        "one. The node's own key (keys.json, the trust list's) stays the first key of the",
        "history, and its witness key. A joined node's witnesses follow the rotation: when the",
        "node starts again it sends them the rotation proof before its new-key checkpoints."
      })
  static final class RotateKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "The node's folder.")
    Path dir;

    @Option(
        names = "--allow-unwitnessed",
        hidden = true,
        description =
            "Accepted for scripts written before witnesses followed rotations; no effect: a"
                + " joined node's witnesses learn the new key from its rotation proof.")
    boolean allowUnwitnessed;

    record Result(
        String origin, long rotationEntry, long handoverSize, String oldKey, String newKey) {}

    @Override
    public Integer call() {
      if (NodeRunLock.running(dir)) {
        throw new SalusException(
            "ledger.rotate.running",
            "the node in "
                + dir
                + " is running: it signs with the key it started with, so stop it (salus node"
                + " start ends with Ctrl-C), rotate, and start it again");
      }
      try (Node node = NodeDirectory.open(dir);
          NodeLedger ledger = openLedger(node, dir)) {
        VerifierKey old = ledger.logKey();
        NodeLedger.Rotation r =
            ledger.rotateKey(Instant.now(), new SecureRandom(), "node:" + old.name());
        Result result =
            new Result(old.name(), r.index(), r.handoverSize(), old.encode(), r.newKey().encode());
        reporting.print(
            spec.commandLine().getOut(),
            result,
            "Rotated the key of "
                + old.name()
                + ": entry "
                + r.index()
                + ", handover checkpoint "
                + r.handoverSize()
                + " signed by the old key\nnew key: "
                + r.newKey().encode());
      }
      return 0;
    }
  }

  /** {@code salus ledger checkpoint}: sign a checkpoint now. */
  @Command(
      name = "checkpoint",
      mixinStandardHelpOptions = true,
      description = "Sign and store a checkpoint of every committed entry; print it.")
  static final class Checkpoint implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "The node's folder.")
    Path dir;

    record Result(String origin, long size, String note) {}

    @Override
    public Integer call() {
      try (Node node = NodeDirectory.open(dir);
          NodeLedger ledger = openLedger(node, dir)) {
        SignedCheckpoint cp = ledger.checkpoint(Instant.now());
        String note = cp.encode();
        reporting.print(
            spec.commandLine().getOut(),
            new Result(cp.checkpoint().origin(), cp.checkpoint().size(), note),
            note);
      }
      return 0;
    }
  }

  /** {@code salus ledger verify}: recompute the tree, check every checkpoint and cosignature. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Recompute the node's Merkle tree from its entries and check every checkpoint and",
        "cosignature. Exits 1 and names the first inconsistency when there is one."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "The node's folder.")
    Path dir;

    @Option(
        names = "--witness",
        paramLabel = "VKEY",
        description =
            "A witness's cosignature verifier key (repeatable). Without it, a joined node counts"
                + " the other nodes of D/federation/trust-list.jws as its witnesses.")
    List<String> witnesses = new ArrayList<>();

    /**
     * {@code firstInconsistency} is null (JSON null) when there is none; {@code logKeys} are the
     * log's checkpoint keys as its rotation entries hand over, each with the first size it signs.
     */
    record Result(
        boolean ok,
        long entries,
        int checkpoints,
        int cosignatures,
        int unknownWitnessCosignatures,
        String firstInconsistency,
        List<String> forksWitnessed,
        List<Key.Period> logKeys) {}

    @Override
    public Integer call() throws IOException {
      List<VerifierKey> keys = witnesses.stream().map(VerifierKey::parse).toList();
      Path fed = dir.resolve(NodeFederation.DIR);
      Path list = fed.resolve(FederationDirectory.TRUST_LIST);
      Path operator = fed.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY);
      Path id = fed.resolve(NodeFederation.NODE_ID);
      if (keys.isEmpty()
          && Files.isRegularFile(list)
          && Files.isRegularFile(operator)
          && Files.isRegularFile(id)) {
        keys = LedgerTrust.witnessesOf(list, operator, Files.readString(id).strip());
      }
      VerifyReport report;
      try (Node node = NodeDirectory.open(dir);
          NodeLedger ledger = openLedger(node, dir)) {
        report = ledger.verify(keys);
      }
      Result result =
          new Result(
              report.ok(),
              report.entries(),
              report.checkpoints(),
              report.cosignatures(),
              report.unknownWitnessCosignatures(),
              report.firstInconsistency().map(Inconsistency::describe).orElse(null),
              report.forksWitnessed(),
              report.logKeys().stream()
                  .map(p -> new Key.Period(p.fromSize(), p.key().encode()))
                  .toList());
      reporting.print(spec.commandLine().getOut(), result, text(result));
      return report.ok() ? 0 : ErrorHandler.REFUSED;
    }

    private static String text(Result r) {
      StringBuilder b = new StringBuilder();
      b.append(r.ok() ? "OK: " : "FAILED: ")
          .append(r.entries())
          .append(" entries, ")
          .append(r.checkpoints())
          .append(" checkpoints, ")
          .append(r.cosignatures())
          .append(" cosignatures checked\n");
      if (r.logKeys().size() > 1) {
        r.logKeys()
            .forEach(
                p ->
                    b.append("log key from size ")
                        .append(p.fromSize())
                        .append(": ")
                        .append(p.vkey())
                        .append('\n'));
      }
      if (r.firstInconsistency() != null) {
        b.append("first inconsistency: ").append(r.firstInconsistency()).append('\n');
      }
      r.forksWitnessed().forEach(f -> b.append("fork witnessed: ").append(f).append('\n'));
      return b.toString();
    }
  }

  /** {@code salus ledger proof}: a C2SP tlog-proof file for one entry. */
  @Command(
      name = "proof",
      mixinStandardHelpOptions = true,
      description = "Write a C2SP tlog-proof of one entry against the latest checkpoint.")
  static final class Proof implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(names = "--dir", required = true, description = "The node's folder.")
    Path dir;

    @Option(names = "--entry", required = true, description = "The entry's index (from 0).")
    long entry;

    @Option(names = "--out", required = true, description = "The proof file to write.")
    Path out;

    /** {@code keyRotations}: the proofs of the log's key rotations a verifier needs, in order. */
    record Result(long entry, long treeSize, String out, List<String> keyRotations) {}

    @Override
    public Integer call() throws IOException {
      ProofFile proof;
      List<ProofFile> rotations;
      try (Node node = NodeDirectory.open(dir);
          NodeLedger ledger = openLedger(node, dir)) {
        proof = ledger.proof(entry);
        rotations = ledger.rotationProofs(proof.checkpoint().checkpoint().size());
      }
      Files.writeString(out, proof.encode(), StandardCharsets.UTF_8);
      List<String> written = new ArrayList<>();
      for (int i = 0; i < rotations.size(); i++) {
        Path f = out.resolveSibling(out.getFileName() + ".key-rotation-" + (i + 1));
        Files.writeString(f, rotations.get(i).encode(), StandardCharsets.UTF_8);
        written.add(f.toString());
      }
      long size = proof.checkpoint().checkpoint().size();
      reporting.print(
          spec.commandLine().getOut(),
          new Result(entry, size, out.toString(), written),
          "Wrote the proof of entry "
              + entry
              + " in a tree of "
              + size
              + " to "
              + out
              + (written.isEmpty()
                  ? ""
                  : "\nand the log's key rotations, to verify it with: --key-rotation "
                      + String.join(" --key-rotation ", written)));
      return 0;
    }
  }

  /** {@code salus ledger verify-proof}: checks a proof file offline. */
  @Command(
      name = "verify-proof",
      mixinStandardHelpOptions = true,
      description = {
        "Check a tlog-proof file offline: the entry's inclusion, the log's signature on the",
        "checkpoint, and at least --quorum cosignatures of the given witnesses. With",
        "--trust-list (verified with --operator-key) the log key is the listed key of the node",
        "whose origin the checkpoint names, and the other listed nodes are the witnesses.",
        "A log that rotated its key signs later checkpoints with the new key: give the proofs",
        "of its rotations (salus ledger proof writes them) with --key-rotation, oldest first."
      })
  static final class VerifyProof implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Parameters(index = "0", paramLabel = "FILE", description = "The proof file.")
    Path file;

    @Option(
        names = "--log-key",
        paramLabel = "VKEY",
        description = "The log's verifier key (salus ledger key prints it).")
    Optional<String> logKey = Optional.empty();

    @Option(
        names = "--trust-list",
        paramLabel = "FILE",
        description = "A signed trust list (JWS): log and witness keys are taken from it.")
    Optional<Path> trustList = Optional.empty();

    @Option(
        names = "--operator-key",
        paramLabel = "FILE",
        description = "The federation operator's public key (JWK) that signs the trust list.")
    Optional<Path> operatorKey = Optional.empty();

    @Option(names = "--witness", paramLabel = "VKEY", description = "A witness key (repeatable).")
    List<String> witnesses = new ArrayList<>();

    @Option(
        names = "--key-rotation",
        paramLabel = "FILE",
        description =
            "A proof of one of the log's KeyRotation entries against its handover checkpoint"
                + " (repeatable, oldest first).")
    List<Path> keyRotations = new ArrayList<>();

    @Option(
        names = "--quorum",
        defaultValue = "0",
        description = "Witness cosignatures required (default: ${DEFAULT-VALUE}).")
    int quorum;

    record Result(boolean ok, long entry, long treeSize, String origin, List<String> witnesses) {}

    @Override
    public Integer call() throws IOException {
      ProofFile proof = ProofFile.parse(Files.readString(file, StandardCharsets.UTF_8));
      List<VerifierKey> given = witnesses.stream().map(VerifierKey::parse).toList();
      TrustPolicy policy;
      if (trustList.isPresent() == logKey.isPresent()) {
        throw new SalusException(
            "option.invalid", "give either --log-key or --trust-list (with --operator-key)");
      }
      if (logKey.isPresent()) {
        policy = new TrustPolicy(VerifierKey.parse(logKey.get()), given, quorum);
      } else {
        policy =
            LedgerTrust.policy(
                trustList.get(),
                operatorKey.orElseThrow(
                    () ->
                        new SalusException(
                            "option.invalid", "--trust-list needs --operator-key to verify it")),
                proof.checkpoint().checkpoint().origin(),
                given,
                quorum);
      }
      List<ProofFile> rotations = new ArrayList<>();
      for (Path f : keyRotations) {
        rotations.add(ProofFile.parse(Files.readString(f, StandardCharsets.UTF_8)));
      }
      KeyChain chain = KeyChain.verify(policy.log(), rotations);
      VerifiedEntry v = chain.verify(proof, policy.witnesses(), policy.quorum());
      Result r =
          new Result(
              true, v.index(), v.checkpoint().size(), v.checkpoint().origin(), v.witnesses());
      reporting.print(
          spec.commandLine().getOut(),
          r,
          "OK: entry "
              + r.entry()
              + " is in the log "
              + r.origin()
              + " of size "
              + r.treeSize()
              + (r.witnesses().isEmpty() ? "" : ", cosigned by " + r.witnesses()));
      return 0;
    }
  }

  /**
   * The node's ledger: a node that joined a federation signs under its federation node id ({@code
   * D/federation/node-id}), the name its witnesses know it by; otherwise under its own id.
   */
  static NodeLedger openLedger(Node node, Path dir) {
    Path joined = dir.resolve(NodeFederation.DIR).resolve(NodeFederation.NODE_ID);
    if (!Files.isRegularFile(joined)) {
      return NodeLedger.open(node);
    }
    try {
      return NodeLedger.open(node, Files.readString(joined).strip());
    } catch (IOException e) {
      throw new SalusException("node.io", "cannot read " + joined + ": " + e.getMessage());
    }
  }
}
