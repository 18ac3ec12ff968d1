package org.salus.core.ledger.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.event.LedgerEvent.BreakGlassEnd;
import org.salus.core.ledger.event.LedgerEvent.BreakGlassReview;
import org.salus.core.ledger.event.LedgerEvent.BreakGlassStart;
import org.salus.core.ledger.event.LedgerEvent.BudgetCharge;
import org.salus.core.ledger.event.LedgerEvent.ConsentChange;
import org.salus.core.ledger.event.LedgerEvent.Grant;
import org.salus.core.ledger.event.LedgerEvent.KeyRotation;
import org.salus.core.ledger.event.LedgerEvent.RecordAccess;
import org.salus.core.ledger.event.LedgerEvent.Revocation;
import org.salus.core.ledger.event.LedgerEvent.Search;
import org.salus.core.ledger.event.LedgerEvent.StudyApproval;
import org.salus.core.ledger.event.LedgerEvent.StudyContribution;
import org.salus.core.ledger.event.LedgerEvent.StudyRejection;
import org.salus.core.ledger.event.LedgerEvent.Summary;
import org.salus.core.ledger.event.LedgerEvent.TrustListChange;
import org.salus.core.ledger.event.LedgerEvent.WriteBack;

/**
 * The canonical bytes of a ledger entry: the leaf data the tree hashes. A version byte, a type tag,
 * then the context — time (u64 seconds, u32 nanos), actor hash, optional subject hash, purpose,
 * classes (u16 count, sorted), optional request hash — then, in version 2 only, the actor profile
 * (role, issuer, institution, country), then the fields of the type. Strings are
 * u16-length-prefixed UTF-8; optional hashes have a 0/1 flag.
 *
 * <p>Version {@code 0x01} is a context without an actor profile, version {@code 0x02} one with it:
 * the version byte is the profile's presence flag, so one event still has exactly one encoding,
 * entries written before version 2 decode (and their leaf hashes, hence every existing tree and
 * proof, are unchanged), and decoding refuses anything else.
 */
public final class EntryCodec {

  /** Entries whose context has no actor profile. */
  private static final int VERSION_1 = 1;

  /** Entries whose context carries the actor profile after the request hash. */
  private static final int VERSION_2 = 2;

  private EntryCodec() {}

  public static byte[] encode(LedgerEvent event) {
    int version = event.context().actorProfile().isPresent() ? VERSION_2 : VERSION_1;
    EntryWriter w = new EntryWriter().u8(version).u8(tag(event));
    context(w, event.context());
    switch (event) {
      case RecordAccess e -> {}
      case Search e -> {}
      case Summary e -> {}
      case WriteBack e -> {}
      case ConsentChange e -> w.hash(e.consentHash());
      case Grant e -> w.string(e.grantId());
      case Revocation e -> w.string(e.grantId());
      case BreakGlassStart e -> w.string(e.sessionId());
      case BreakGlassEnd e -> w.string(e.sessionId());
      case StudyApproval e -> w.string(e.studyId());
      case StudyRejection e -> w.string(e.studyId());
      case StudyContribution e -> w.string(e.studyId()).hash(e.consentSnapshot());
      case BudgetCharge e ->
          w.string(e.studyId())
              .u64(Double.doubleToLongBits(e.epsilon()))
              .u64(Double.doubleToLongBits(e.delta()));
      case KeyRotation e -> w.string(e.newKey());
      case TrustListChange e -> w.hash(e.trustListHash());
      case BreakGlassReview e -> w.string(e.sessionId()).u8(e.justified() ? 1 : 0);
    }
    return w.toByteArray();
  }

  public static LedgerEvent decode(byte[] entry) {
    EntryReader r = new EntryReader(entry);
    int version = r.u8();
    if (version != VERSION_1 && version != VERSION_2) {
      throw malformed("unknown entry version " + version);
    }
    int tag = r.u8();
    EventContext c = context(r, version == VERSION_2);
    LedgerEvent event =
        switch (tag) {
          case 1 -> new RecordAccess(c);
          case 2 -> new Search(c);
          case 3 -> new Summary(c);
          case 4 -> new WriteBack(c);
          case 5 -> new ConsentChange(c, r.hash());
          case 6 -> new Grant(c, r.string());
          case 7 -> new Revocation(c, r.string());
          case 8 -> new BreakGlassStart(c, r.string());
          case 9 -> new BreakGlassEnd(c, r.string());
          case 10 -> new StudyApproval(c, r.string());
          case 11 -> new StudyContribution(c, r.string(), r.hash());
          case 12 ->
              new BudgetCharge(
                  c,
                  r.string(),
                  Double.longBitsToDouble(r.u64()),
                  Double.longBitsToDouble(r.u64()));
          case 13 -> new KeyRotation(c, r.string());
          case 14 -> new TrustListChange(c, r.hash());
          case 15 -> new StudyRejection(c, r.string());
          case 16 -> new BreakGlassReview(c, r.string(), outcome(r.u8()));
          default -> throw malformed("unknown entry type " + tag);
        };
    r.end();
    return event;
  }

  /**
   * Whether {@code entry} claims to be a {@code KeyRotation} (its type byte is 13), without
   * decoding it: how a verifier finds the few entries that change the log's key.
   */
  public static boolean isKeyRotation(byte[] entry) {
    return entry.length > 1
        && (entry[0] == VERSION_1 || entry[0] == VERSION_2)
        && entry[1] == KEY_ROTATION_TAG;
  }

  private static final int KEY_ROTATION_TAG = 13;

  private static int tag(LedgerEvent event) {
    return switch (event) {
      case RecordAccess e -> 1;
      case Search e -> 2;
      case Summary e -> 3;
      case WriteBack e -> 4;
      case ConsentChange e -> 5;
      case Grant e -> 6;
      case Revocation e -> 7;
      case BreakGlassStart e -> 8;
      case BreakGlassEnd e -> 9;
      case StudyApproval e -> 10;
      case StudyRejection e -> 15;
      case StudyContribution e -> 11;
      case BudgetCharge e -> 12;
      case KeyRotation e -> KEY_ROTATION_TAG;
      case TrustListChange e -> 14;
      case BreakGlassReview e -> 16;
    };
  }

  /** A review's outcome byte: 1 justified, 0 not; anything else would give a second encoding. */
  private static boolean outcome(int b) {
    if (b != 0 && b != 1) {
      throw malformed("a break-glass review's outcome is 0 or 1, got " + b);
    }
    return b == 1;
  }

  private static void context(EntryWriter w, EventContext c) {
    w.u64(c.time().getEpochSecond()).u32(c.time().getNano());
    w.hash(c.actor().hash());
    w.optionalHash(c.subject().map(SubjectId::hash));
    w.string(c.purpose());
    w.u8(c.classes().size() >>> 8).u8(c.classes().size());
    c.classes().forEach(w::string);
    w.optionalHash(c.requestHash());
    c.actorProfile()
        .ifPresent(
            p -> w.string(p.role()).string(p.issuer()).string(p.institution()).string(p.country()));
  }

  private static EventContext context(EntryReader r, boolean withProfile) {
    Instant time = Instant.ofEpochSecond(r.u64(), r.u32());
    ActorId actor = new ActorId(r.hash());
    var subject = r.optionalHash().map(SubjectId::new);
    String purpose = r.string();
    int n = r.u8() << 8 | r.u8();
    List<String> classes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      classes.add(r.string());
    }
    var request = r.optionalHash();
    Optional<ActorProfile> profile = Optional.empty();
    if (withProfile) {
      String role = r.string();
      if (role.isBlank()) {
        throw malformed("a version 2 entry's actor profile names no role");
      }
      profile = Optional.of(new ActorProfile(role, r.string(), r.string(), r.string()));
    }
    EventContext c = new EventContext(time, actor, subject, purpose, classes, request, profile);
    if (!c.classes().equals(classes)) {
      throw malformed("entry classes are not sorted and distinct");
    }
    return c;
  }

  static SalusException malformed(String message) {
    return new SalusException("ledger.entry.malformed", message);
  }
}
