package org.salus.core.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.salus.core.error.SalusException;

/**
 * The federation's signed list of nodes and credential issuers (the signature lives at the edge;
 * this is the content). Immutable: every change yields the next version.
 */
public record TrustList(
    String federationId,
    long version,
    Instant issued,
    Instant expires,
    List<TrustedNodeEntry> nodes,
    List<TrustedIssuer> issuers) {

  public TrustList {
    nodes = List.copyOf(nodes);
    issuers = List.copyOf(issuers);
    if (!expires.isAfter(issued)) {
      throw new IllegalArgumentException("trust list expires before it is issued");
    }
    requireUnique(nodes.stream().map(TrustedNodeEntry::id).toList(), "node");
    requireUnique(issuers.stream().map(TrustedIssuer::id).toList(), "issuer");
  }

  /** An empty first list (version 0) for a new federation. */
  public static TrustList empty(String federationId, Instant now, Duration validity) {
    return new TrustList(federationId, 0, now, now.plus(validity), List.of(), List.of());
  }

  public Optional<TrustedNodeEntry> node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }

  public Optional<TrustedIssuer> issuer(String id) {
    return issuers.stream().filter(i -> i.id().equals(id)).findFirst();
  }

  /** Whether {@code nodeId} is listed and accepts credentials from {@code issuerId}. */
  public boolean accepts(String nodeId, String issuerId) {
    return issuer(issuerId).isPresent()
        && node(nodeId).map(n -> n.acceptedIssuers().contains(issuerId)).orElse(false);
  }

  /** The next version with {@code node} added or replaced. */
  public TrustList withNode(TrustedNodeEntry node, Instant now, Duration validity) {
    List<TrustedNodeEntry> next = new ArrayList<>(nodes);
    next.removeIf(n -> n.id().equals(node.id()));
    next.add(node);
    return new TrustList(federationId, version + 1, now, now.plus(validity), next, issuers);
  }

  /** The next version without the node; refuses an unknown id. */
  public TrustList withoutNode(String nodeId, Instant now, Duration validity) {
    if (node(nodeId).isEmpty()) {
      throw new SalusException("trust.node-unknown", "node '" + nodeId + "' is not in the list");
    }
    List<TrustedNodeEntry> next = new ArrayList<>(nodes);
    next.removeIf(n -> n.id().equals(nodeId));
    return new TrustList(federationId, version + 1, now, now.plus(validity), next, issuers);
  }

  /** The next version with {@code issuer} added or replaced, accepted by {@code acceptingNodes}. */
  public TrustList withIssuer(
      TrustedIssuer issuer, Set<String> acceptingNodes, Instant now, Duration validity) {
    for (String n : acceptingNodes) {
      if (node(n).isEmpty()) {
        throw new SalusException("trust.node-unknown", "node '" + n + "' is not in the list");
      }
    }
    List<TrustedIssuer> nextIssuers = new ArrayList<>(issuers);
    nextIssuers.removeIf(i -> i.id().equals(issuer.id()));
    nextIssuers.add(issuer);
    List<TrustedNodeEntry> nextNodes = new ArrayList<>();
    for (TrustedNodeEntry n : nodes) {
      Set<String> accepted = new HashSet<>(n.acceptedIssuers());
      if (acceptingNodes.contains(n.id())) {
        accepted.add(issuer.id());
      }
      nextNodes.add(n.withAcceptedIssuers(accepted));
    }
    return new TrustList(
        federationId, version + 1, now, now.plus(validity), nextNodes, nextIssuers);
  }

  private static void requireUnique(List<String> ids, String what) {
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (!seen.add(id)) {
        throw new IllegalArgumentException(what + " '" + id + "' appears twice in the trust list");
      }
    }
  }
}
