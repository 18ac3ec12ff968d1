package org.salus.core.ledger.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.salus.core.ledger.merkle.Hash;

/** Big-endian, length-prefixed field writer of the entry encoding. */
final class EntryWriter {

  private byte[] buf = new byte[256];
  private int len;

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  EntryWriter u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  EntryWriter u64(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  EntryWriter u32(int v) {
    ensure(4);
    for (int i = 3; i >= 0; i--) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  EntryWriter hash(Hash h) {
    ensure(Hash.SIZE);
    h.copyInto(buf, len);
    len += Hash.SIZE;
    return this;
  }

  EntryWriter optionalHash(Optional<Hash> h) {
    u8(h.isPresent() ? 1 : 0);
    h.ifPresent(this::hash);
    return this;
  }

  EntryWriter string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0xffff) {
      throw new IllegalArgumentException("a ledger string is at most 65535 bytes");
    }
    ensure(2 + b.length);
    buf[len++] = (byte) (b.length >>> 8);
    buf[len++] = (byte) b.length;
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
