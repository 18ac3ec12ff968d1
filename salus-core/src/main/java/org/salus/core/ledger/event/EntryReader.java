package org.salus.core.ledger.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.salus.core.ledger.merkle.Hash;

/** Reads what {@link EntryWriter} wrote; any shortfall or excess is a malformed entry. */
final class EntryReader {

  private final byte[] buf;
  private int at;

  EntryReader(byte[] buf) {
    this.buf = buf;
  }

  private void need(int n) {
    if (at + n > buf.length) {
      throw EntryCodec.malformed("entry ends early at byte " + at);
    }
  }

  int u8() {
    need(1);
    return buf[at++] & 0xff;
  }

  long u64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (buf[at++] & 0xff);
    }
    return v;
  }

  int u32() {
    need(4);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = v << 8 | (buf[at++] & 0xff);
    }
    return v;
  }

  Hash hash() {
    need(Hash.SIZE);
    Hash h = Hash.of(Arrays.copyOfRange(buf, at, at + Hash.SIZE));
    at += Hash.SIZE;
    return h;
  }

  Optional<Hash> optionalHash() {
    int flag = u8();
    if (flag > 1) {
      throw EntryCodec.malformed("presence flag " + flag + " at byte " + (at - 1));
    }
    return flag == 1 ? Optional.of(hash()) : Optional.empty();
  }

  String string() {
    need(2);
    int n = (buf[at] & 0xff) << 8 | (buf[at + 1] & 0xff);
    at += 2;
    need(n);
    String s = new String(buf, at, n, StandardCharsets.UTF_8);
    at += n;
    return s;
  }

  void end() {
    if (at != buf.length) {
      throw EntryCodec.malformed((buf.length - at) + " bytes after the entry");
    }
  }
}
