package org.salus.core.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The patient's choices, edited as values and committed as a new consent version. Each choice is a
 * top-level provision with a stable id, so setting a choice again replaces it:
 *
 * <ul>
 *   <li>{@code purpose-HRESCH}: permit or deny a purpose; study choices are nested inside it as
 *       exceptions ({@code study-S1}), so "no research except study S1" works;
 *   <li>{@code category-MENTAL_HEALTH}: deny records carrying the category's labels, for some or
 *       all purposes; never overridden by a broader permit;
 *   <li>{@code institution-commercial}: deny requesters from a kind of institution;
 *   <li>{@code grant-<id>}: a {@link Grant} to a clinician.
 * </ul>
 *
 * {@link #revokeAll()} makes the base rule deny and removes every choice and grant.
 */
public final class ConsentChoices {

  private static final String ROOT_ID = "root";

  private final ConsentHistory history;
  private final Provision root;

  private ConsentChoices(ConsentHistory history, Provision root) {
    this.history = history;
    this.root = root;
  }

  /** Starts from the patient's current consent, or from no choices. */
  public static ConsentChoices of(ConsentHistory history) {
    return new ConsentChoices(
        history,
        history
            .current()
            .map(ConsentVersion::root)
            .orElseGet(() -> Provision.scope().id(ROOT_ID).build()));
  }

  /** The root provision these choices would record. */
  public Provision root() {
    return root;
  }

  /** Records the choices as a new version at the instant; applies to the next request. */
  public ConsentHistory commit(Instant at) {
    return history.append(root, at);
  }

  public ConsentChoices setPurpose(Purpose purpose, ProvisionType type) {
    String id = purposeId(purpose);
    List<Provision> studies = find(root, id).map(Provision::provisions).orElse(List.of());
    Provision p = typed(type).id(id).purposes(purpose).provisions(studies).build();
    return with(id, Optional.of(p));
  }

  /** Back to the node default for the purpose (study choices under it stay). */
  public ConsentChoices clearPurpose(Purpose purpose) {
    String id = purposeId(purpose);
    Optional<Provision> existing = find(root, id);
    if (existing.isEmpty() || existing.get().provisions().isEmpty()) {
      return with(id, Optional.empty());
    }
    return with(
        id,
        Optional.of(
            Provision.scope()
                .id(id)
                .purposes(purpose)
                .provisions(existing.get().provisions())
                .build()));
  }

  /** Permits or denies one study, as an exception to the choice for its purpose. */
  public ConsentChoices setStudy(String studyId, Purpose purpose, ProvisionType type) {
    String parentId = purposeId(purpose);
    Provision parent =
        find(root, parentId)
            .orElseGet(() -> Provision.scope().id(parentId).purposes(purpose).build());
    Provision study = typed(type).id("study-" + studyId).studies(studyId).build();
    Provision updated =
        parent.toBuilder()
            .provisions(replace(parent.provisions(), study.id().orElseThrow(), Optional.of(study)))
            .build();
    return with(parentId, Optional.of(updated));
  }

  /** Denies records of a sensitive category for the purposes (all purposes if none given). */
  public ConsentChoices denyCategory(SensitiveCategory category, Set<Purpose> purposes) {
    Provision p =
        Provision.deny()
            .id(categoryId(category))
            .securityLabels(category.labels())
            .purposes(purposes)
            .build();
    return with(categoryId(category), Optional.of(p));
  }

  public ConsentChoices allowCategory(SensitiveCategory category) {
    return with(categoryId(category), Optional.empty());
  }

  /** Denies requesters acting for this kind of institution, for the purposes (all if none). */
  public ConsentChoices denyInstitutionKind(InstitutionKind kind, Set<Purpose> purposes) {
    Provision p =
        Provision.deny().id(institutionId(kind)).institutionKinds(kind).purposes(purposes).build();
    return with(institutionId(kind), Optional.of(p));
  }

  public ConsentChoices allowInstitutionKind(InstitutionKind kind) {
    return with(institutionId(kind), Optional.empty());
  }

  public ConsentChoices grant(Grant grant) {
    return with(grant.provisionId(), Optional.of(grant.toProvision()));
  }

  public ConsentChoices revokeGrant(String grantId) {
    return with("grant-" + grantId, Optional.empty());
  }

  /** Withdraws everything: base rule deny, no exceptions, no grants. Emergency access remains. */
  public ConsentChoices revokeAll() {
    return new ConsentChoices(history, Provision.deny().id(ROOT_ID).build());
  }

  private ConsentChoices with(String id, Optional<Provision> replacement) {
    return new ConsentChoices(
        history, root.toBuilder().provisions(replace(root.provisions(), id, replacement)).build());
  }

  private static List<Provision> replace(
      List<Provision> children, String id, Optional<Provision> replacement) {
    List<Provision> out = new ArrayList<>(children.size() + 1);
    boolean replaced = false;
    for (Provision c : children) {
      if (c.id().equals(Optional.of(id))) {
        replacement.ifPresent(out::add);
        replaced = true;
      } else {
        out.add(c);
      }
    }
    if (!replaced) {
      replacement.ifPresent(out::add);
    }
    return out;
  }

  private static Optional<Provision> find(Provision parent, String id) {
    return parent.provisions().stream().filter(c -> c.id().equals(Optional.of(id))).findFirst();
  }

  private static Provision.Builder typed(ProvisionType type) {
    return switch (type) {
      case PERMIT -> Provision.permit();
      case DENY -> Provision.deny();
    };
  }

  private static String purposeId(Purpose purpose) {
    return "purpose-" + purpose.code();
  }

  private static String categoryId(SensitiveCategory category) {
    return "category-" + category.name();
  }

  private static String institutionId(InstitutionKind kind) {
    return "institution-" + kind.code();
  }
}
