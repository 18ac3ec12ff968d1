package org.salus.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.EmergencyAccess;
import org.salus.core.consent.Interval;
import org.salus.core.consent.SecurityLabel;
import org.salus.server.login.Principal;
import org.salus.store.consent.BreakGlassStore;
import org.salus.store.consent.BreakGlassStore.EndedBy;
import org.salus.store.consent.BreakGlassStore.Session;

/**
 * The node's emergency (break-glass) accesses: one per clinician credential and patient, from the
 * first ETREAT request until the clinician ends it or its time limit passes. A request inside the
 * window reuses the open access instead of opening another. Every access is recorded in the node's
 * store ({@link BreakGlassStore}, the stated reason encrypted) when it opens, so it outlives a
 * restart: {@link #recover} resumes the open ones and hands back those whose limit passed while the
 * node was down. The open ones are also held here, for the check every request makes. Each opening
 * and each end is a ledger event ({@link AccessLedger}), written by the caller; the reasons never
 * go to the ledger or a log.
 */
final class BreakGlassSessions implements AutoCloseable {

  /** An open access and the patient's person key (the ledger subject). */
  record Open(EmergencyAccess access, String personKey) {}

  private final BreakGlassStore store;
  private final Map<String, Open> open = new LinkedHashMap<>();

  BreakGlassSessions(BreakGlassStore store) {
    this.store = store;
  }

  /**
   * Reads the accesses the store holds open: those still inside their window at {@code now} are
   * resumed; those whose limit passed while the node was down are returned, for the caller to
   * record their end (at the limit) in the ledger and then {@link #ended} them.
   */
  List<Open> recover(Instant now) {
    List<Open> lapsed = new ArrayList<>();
    for (Session s : store.open()) {
      Open o = new Open(access(s), s.personKey());
      if (now.isBefore(s.expires())) {
        open.put(key(s.issuer(), s.subject(), s.personKey()), o);
      } else {
        lapsed.add(o);
      }
    }
    return lapsed;
  }

  /** The caller's open access to the patient, if its window still holds {@code now}. */
  Optional<EmergencyAccess> current(Principal clinician, String personKey, Instant now) {
    return Optional.ofNullable(open.get(key(clinician, personKey)))
        .map(Open::access)
        .filter(a -> a.window().contains(now));
  }

  /** Records a newly opened access (in the store first, so that a restart finds it). */
  void opened(Principal clinician, String personKey, EmergencyAccess access) {
    store.opened(
        Session.opened(
            access.id(),
            clinician.issuer(),
            clinician.subject(),
            access.requesterReference(),
            personKey,
            access.classes().stream().map(DataClass::code).sorted().toList(),
            access.excludedLabels().stream().map(SecurityLabel::code).sorted().toList(),
            access.window().start().orElseThrow(),
            access.window().end().orElseThrow(),
            access.reason()));
    open.put(key(clinician, personKey), new Open(access, personKey));
  }

  /** Removes and returns the caller's open access to the patient, if there is one. */
  Optional<Open> end(Principal clinician, String personKey) {
    return Optional.ofNullable(open.remove(key(clinician, personKey)));
  }

  /** Removes and returns every open access whose window has ended by {@code now}. */
  List<Open> expire(Instant now) {
    List<Open> ended = new ArrayList<>();
    for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
      Open o = it.next();
      if (o.access().window().end().map(end -> !now.isBefore(end)).orElse(false)) {
        ended.add(o);
        it.remove();
      }
    }
    return ended;
  }

  /** Records in the store that an access ended (after its end is in the ledger). */
  void ended(Open o, Instant at, EndedBy how) {
    store.ended(o.access().id(), at, how);
  }

  /** The store, for the steward's review queue and reviews. */
  BreakGlassStore store() {
    return store;
  }

  /** The access a stored session describes, as it was opened. */
  private static EmergencyAccess access(Session s) {
    return EmergencyAccess.resumed(
        s.id(),
        s.personKey(),
        s.requesterReference(),
        s.classes().stream().map(c -> known(DataClass.fromCode(c), c)).collect(Collectors.toSet()),
        s.hiddenLabels().stream()
            .map(l -> known(SecurityLabel.fromCode(l), l))
            .collect(Collectors.toSet()),
        Interval.between(s.started(), s.expires()),
        s.reason());
  }

  private static <T> T known(Optional<T> value, String code) {
    return value.orElseThrow(
        () ->
            new ConsentException(
                "records.break-glass.corrupt",
                "a stored emergency access names an unknown class or label: " + code));
  }

  private static String key(Principal clinician, String personKey) {
    return key(clinician.issuer(), clinician.subject(), personKey);
  }

  private static String key(String issuer, String subject, String personKey) {
    return issuer + "/" + subject + "\n" + personKey;
  }

  @Override
  public void close() {
    store.close();
  }
}
