package org.salus.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.salus.core.consent.EmergencyAccess;
import org.salus.server.login.Principal;

/**
 * The node's open emergency (break-glass) accesses: one per clinician credential and patient, from
 * the first ETREAT request until the clinician ends it or its time limit passes. A request inside
 * the window reuses the open access instead of opening another; each opening and each end is a
 * ledger event ({@link AccessLedger}). The stated reasons are kept here, in memory only, for the
 * steward's review queue: they are free text and may describe the patient's condition, so they
 * never go to the ledger or a log.
 */
final class BreakGlassSessions {

  /** An open access and the patient's person key (the ledger subject). */
  record Open(EmergencyAccess access, String personKey) {}

  /** How many stated reasons the node keeps for review, newest last; older ones are dropped. */
  static final int REASONS_KEPT = 10_000;

  private final Map<String, Open> open = new LinkedHashMap<>();

  private final Map<String, String> reasons =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > REASONS_KEPT;
        }
      };

  /** The caller's open access to the patient, if its window still holds {@code now}. */
  Optional<EmergencyAccess> current(Principal clinician, String personKey, Instant now) {
    return Optional.ofNullable(open.get(key(clinician, personKey)))
        .map(Open::access)
        .filter(a -> a.window().contains(now));
  }

  void opened(Principal clinician, String personKey, EmergencyAccess access) {
    open.put(key(clinician, personKey), new Open(access, personKey));
    reasons.put(access.id(), access.reason());
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

  /** The reason stated for an access opened since this node started (the latest 10,000). */
  Optional<String> reason(String accessId) {
    return Optional.ofNullable(reasons.get(accessId));
  }

  private static String key(Principal clinician, String personKey) {
    return clinician.issuer() + "/" + clinician.subject() + "\n" + personKey;
  }
}
