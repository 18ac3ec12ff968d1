package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.salus.core.keys.SecretBytes;

class MaskPrgTest {

  /** A slow reference: AES-256 in ECB mode over big-endian counter blocks 0, 1, 2, ... */
  private static long[] reference(byte[] seed, int length) throws Exception {
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"));
    ByteBuffer stream = ByteBuffer.allocate((length * 8 + 15) / 16 * 16);
    for (long block = 0; stream.hasRemaining(); block++) {
      byte[] counter = ByteBuffer.allocate(16).putLong(8, block).array();
      stream.put(ecb.doFinal(counter));
    }
    stream.flip().order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[length];
    for (int i = 0; i < length; i++) {
      out[i] = stream.getLong();
    }
    return out;
  }

  @Property(tries = 30)
  void matchesCounterModeReference(
      @ForAll @Size(32) byte[] seed, @ForAll @IntRange(min = 0, max = 20_000) int length)
      throws Exception {
    assertThat(MaskPrg.expand(SecretBytes.copyOf(seed), length)).isEqualTo(reference(seed, length));
  }

  @Property(tries = 30)
  void addingThenSubtractingCancels(
      @ForAll @Size(32) byte[] seed, @ForAll @Size(max = 10_000) long[] values) {
    long[] target = values.clone();
    MaskPrg.addMask(target, SecretBytes.copyOf(seed), 1);
    if (values.length > 4) {
      assertThat(target).isNotEqualTo(values);
    }
    MaskPrg.addMask(target, SecretBytes.copyOf(seed), -1);
    assertThat(target).isEqualTo(values);
  }
}
