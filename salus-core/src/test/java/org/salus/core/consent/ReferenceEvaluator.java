package org.salus.core.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A slow, literal reading of the combining rule, independent of {@link PolicyDecisionPoint}'s
 * recursion: list every provision with its ancestors, keep the applicable ones (all ancestors
 * match), keep the typed ones with no applicable typed descendant, deny if any denies.
 */
final class ReferenceEvaluator {

  private ReferenceEvaluator() {}

  private record Node(Provision provision, List<Provision> chain) {}

  /** True for permit. Emergency access is not modelled: requests carry none. */
  static boolean permits(Optional<ConsentVersion> consent, NodeDefaults defaults, AccessRequest r) {
    List<Node> nodes = new ArrayList<>();
    consent.ifPresent(v -> collect(v.root(), List.of(), nodes));
    List<Node> applicableTyped = new ArrayList<>();
    for (Node n : nodes) {
      if (n.chain.stream().allMatch(p -> p.appliesTo(r)) && n.provision.type().isPresent()) {
        applicableTyped.add(n);
      }
    }
    List<Node> deciding = new ArrayList<>();
    for (Node n : applicableTyped) {
      boolean hasDescendant = false;
      for (Node m : applicableTyped) {
        if (m.chain.size() > n.chain.size() && isPrefix(n.chain, m.chain)) {
          hasDescendant = true;
        }
      }
      if (!hasDescendant) {
        deciding.add(n);
      }
    }
    if (deciding.isEmpty()) {
      return defaults.ruleFor(r.context().purpose()) == DefaultRule.OPT_OUT;
    }
    return deciding.stream().noneMatch(n -> n.provision.type().get() == ProvisionType.DENY);
  }

  @SuppressWarnings("ReferenceEquality") // positions in the tree, not equal values
  private static boolean isPrefix(List<Provision> prefix, List<Provision> chain) {
    for (int i = 0; i < prefix.size(); i++) {
      if (prefix.get(i) != chain.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static void collect(Provision p, List<Provision> ancestors, List<Node> out) {
    List<Provision> chain = new ArrayList<>(ancestors);
    chain.add(p);
    out.add(new Node(p, List.copyOf(chain)));
    for (Provision c : p.provisions()) {
      collect(c, chain, out);
    }
  }
}
