package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Optional;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AdvertiseKeys;
import org.salus.core.secagg.EncryptedShares;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.secagg.UnmaskResponse;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOneTrip;
import org.salus.core.study.run.SecureOpening;
import org.salus.core.study.run.SecurePreparation;
import org.salus.core.study.run.SecureRound;
import org.salus.core.study.run.SecureStep;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StudyNode;
import org.salus.server.http.PeerClient;
import org.salus.store.study.SecureWire;
import org.salus.store.study.StudyWire;

/**
 * The hub's view of one node over HTTPS (mutual TLS, connections kept alive): the {@link StudyNode}
 * contract as {@code POST /studies/{id}/join|step|leave}, and the phases of a secure round as
 * {@code POST /studies/{id}/secagg/open|share-keys|masked-input|unmask}. A node that cannot be
 * reached, or answers with a problem, becomes a {@code Declined} join or a {@code Failed} step
 * naming the node and what went wrong, so the study goes on with the others.
 */
final class RemoteStudyNode implements StudyNode {

  /** Stable code: the node did not answer. */
  static final String UNREACHABLE = "study.node.unreachable";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final URI base;
  private final PeerClient client;
  private final String studyId;
  private final int participants;
  private Optional<JsonNode> receiptPart = Optional.empty();
  private boolean zeroNoise;

  RemoteStudyNode(String id, URI base, PeerClient client, String studyId, int participants) {
    this.id = id;
    this.base = base;
    this.client = client;
    this.studyId = studyId;
    this.participants = participants;
  }

  @Override
  public String name() {
    return id;
  }

  @Override
  public Joining join(Study study) {
    try {
      HttpResponse<String> r =
          post("join", JSON.createObjectNode().put("participants", participants).toString());
      if (r.statusCode() != 200) {
        Problem p = Problem.of(r);
        return new Joining.Declined(p.code(), p.detail());
      }
      return StudyWire.decodeJoining(r.body());
    } catch (SalusException e) {
      return new Joining.Declined(e.code(), e.getMessage());
    }
  }

  @Override
  public NodeReply step(StepRequest request) {
    try {
      HttpResponse<String> r = post("step", StudyWire.encode(request));
      if (r.statusCode() != 200) {
        Problem p = Problem.of(r);
        return new NodeReply.Failed(p.code(), p.detail());
      }
      return StudyWire.decodeReply(r.body());
    } catch (SalusException e) {
      return new NodeReply.Failed(e.code(), e.getMessage());
    }
  }

  @Override
  public SecureOpening secureOpen(SecureRound round) {
    try {
      HttpResponse<String> r = post("secagg/open", SecureWire.encode(round));
      if (r.statusCode() != 200) {
        Problem p = Problem.of(r);
        return new SecureOpening.Declined(new NodeReply.Failed(p.code(), p.detail()));
      }
      return SecureWire.decodeOpening(r.body());
    } catch (SalusException e) {
      return new SecureOpening.Declined(new NodeReply.Failed(e.code(), e.getMessage()));
    }
  }

  @Override
  public EncryptedShares secureShareKeys(String roundId, KeyDirectory directory) {
    return SecureWire.decodeShares(phase("share-keys", SecureWire.encode(roundId, directory)));
  }

  @Override
  public MaskedInput secureMaskedInput(String roundId, ShareDelivery delivery) {
    return SecureWire.decodeMasked(phase("masked-input", SecureWire.encode(roundId, delivery)));
  }

  @Override
  public UnmaskResponse secureUnmask(String roundId, UnmaskRequest request) {
    return SecureWire.decodeUnmaskResponse(phase("unmask", SecureWire.encode(roundId, request)));
  }

  @Override
  public List<AdvertiseKeys> securePrepare(SecurePreparation preparation) {
    return SecureWire.decodeKeys(phase("prepare", SecureWire.encode(preparation)));
  }

  @Override
  public List<EncryptedShares> securePrepareShares(
      List<String> roundIds, List<KeyDirectory> directories) {
    return SecureWire.decodeShareList(
        phase("prepare-shares", SecureWire.encodeDirectories(roundIds, directories)));
  }

  @Override
  public SecureOneTrip secureOneTrip(SecureStep step) {
    return SecureWire.decodeOneTrip(phase("one-trip", SecureWire.encode(step)));
  }

  /** One later phase of a secure round: the answer's body, or the node's problem as an error. */
  private String phase(String name, String body) {
    HttpResponse<String> r = post("secagg/" + name, body);
    if (r.statusCode() != 200) {
      Problem p = Problem.of(r);
      throw new SalusException(p.code(), p.detail());
    }
    return r.body();
  }

  /** The node's receipt part, sent when it left a study with ρ. */
  Optional<JsonNode> receiptPart() {
    return receiptPart;
  }

  /** Whether the node said it released without noise (its zero-noise test mode). */
  boolean zeroNoise() {
    return zeroNoise;
  }

  @Override
  public void close() {
    try {
      HttpResponse<String> r = post("leave", "{}");
      if (r.statusCode() == 200) {
        JsonNode body = JSON.readTree(r.body());
        receiptPart = Optional.ofNullable(body.get("receiptPart"));
        zeroNoise = body.path("zeroNoise").asBoolean(false);
      }
    } catch (SalusException | IOException e) {
      // the node drops the session when it restarts; nothing is lost for the result
    }
  }

  private HttpResponse<String> post(String what, String body) {
    URI url = base.resolve("/studies/" + studyId + "/" + what);
    try {
      return client.post(url, "application/json", body, Optional.empty());
    } catch (ConnectException e) {
      throw new SalusException(
          UNREACHABLE, "node " + id + " refused the connection at " + base + "; is it running?");
    } catch (HttpTimeoutException e) {
      throw new SalusException(UNREACHABLE, "node " + id + " did not answer in time");
    } catch (IOException e) {
      throw new SalusException(
          UNREACHABLE, "node " + id + " could not be reached: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SalusException(UNREACHABLE, "interrupted while asking node " + id);
    }
  }

  /** A problem answer's code and detail. */
  record Problem(String code, String detail) {
    static Problem of(HttpResponse<String> r) {
      try {
        JsonNode p = JSON.readTree(r.body());
        return new Problem(
            p.path("code").asText("http." + r.statusCode()),
            p.path("detail").asText("the node answered HTTP " + r.statusCode()));
      } catch (IOException | RuntimeException e) {
        return new Problem("http." + r.statusCode(), "the node answered HTTP " + r.statusCode());
      }
    }
  }
}
