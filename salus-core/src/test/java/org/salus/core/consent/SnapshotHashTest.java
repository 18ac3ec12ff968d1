package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class SnapshotHashTest {

  /** Hashes sharing long prefixes, so the fast sort's tie-breaking is exercised. */
  private static SnapshotHash[] clustered(Random r, int n) {
    List<SnapshotHash> out = new ArrayList<>();
    byte[] base = new byte[32];
    r.nextBytes(base);
    for (int i = 0; i < n; i++) {
      byte[] b = base.clone();
      int keep = r.nextInt(33);
      for (int j = keep; j < 32; j++) {
        b[j] = (byte) r.nextInt(256);
      }
      out.add(SnapshotHash.fromHex(HexFormat.of().formatHex(b)));
    }
    return out.toArray(SnapshotHash[]::new);
  }

  @Property(tries = 200)
  void sortedFeedingEqualsSortingThenFeeding(@ForAll Random r) {
    SnapshotHash[] hashes = clustered(r, r.nextInt(300));
    MessageDigest fast = SnapshotHash.sha256();
    SnapshotHash.updateSorted(hashes.clone(), fast);
    SnapshotHash[] sorted = hashes.clone();
    Arrays.sort(sorted);
    MessageDigest slow = SnapshotHash.sha256();
    for (SnapshotHash h : sorted) {
      slow.update(h.bytes());
    }
    assertThat(fast.digest()).isEqualTo(slow.digest());
  }

  @Property(tries = 200)
  void orderIsUnsignedByteOrder(@ForAll Random r) {
    SnapshotHash[] hashes = clustered(r, 2);
    int expected = Integer.signum(Arrays.compareUnsigned(hashes[0].bytes(), hashes[1].bytes()));
    assertThat(Integer.signum(hashes[0].compareTo(hashes[1]))).isEqualTo(expected);
  }
}
