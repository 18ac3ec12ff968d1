package org.salus.core.secagg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.salus.core.keys.SecretBytes;

/**
 * Expands a 32-byte seed into a mask of ring elements mod 2^64: the AES-256-CTR key stream under
 * the seed (zero initial counter), read as little-endian 64-bit words. Each seed is used for one
 * mask only, so the fixed counter never repeats a key stream across masks.
 */
public final class MaskPrg {

  /** Seed length in bytes (an AES-256 key). */
  public static final int SEED_BYTES = 32;

  private static final int CHUNK_BYTES = 1 << 16;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private MaskPrg() {}

  /** The mask of the given length for the seed. */
  public static long[] expand(SecretBytes seed, int length) {
    long[] out = new long[length];
    addMask(out, seed, 1);
    return out;
  }

  /** Adds {@code sign × mask(seed)} into {@code target} element-wise, mod 2^64. */
  public static void addMask(long[] target, SecretBytes seed, int sign) {
    if (sign != 1 && sign != -1) {
      throw new IllegalArgumentException("sign must be +1 or -1, was " + sign);
    }
    if (seed.length() != SEED_BYTES) {
      throw new IllegalArgumentException("mask seed must be " + SEED_BYTES + " bytes");
    }
    Cipher cipher = cipher(seed);
    // A short mask (a federated mean's few sums) needs no 64 KiB buffers.
    int bufferBytes = (int) Math.min(CHUNK_BYTES, (long) target.length * Long.BYTES);
    byte[] zeros = new byte[bufferBytes];
    byte[] stream = new byte[bufferBytes];
    int perChunk = CHUNK_BYTES / Long.BYTES;
    try {
      for (int start = 0; start < target.length; start += perChunk) {
        int count = Math.min(perChunk, target.length - start);
        cipher.update(zeros, 0, count * Long.BYTES, stream, 0);
        if (sign == 1) {
          for (int i = 0; i < count; i++) {
            target[start + i] += (long) LONGS.get(stream, i * Long.BYTES);
          }
        } else {
          for (int i = 0; i < count; i++) {
            target[start + i] -= (long) LONGS.get(stream, i * Long.BYTES);
          }
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed", e);
    }
  }

  private static Cipher cipher(SecretBytes seed) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      byte[] key = seed.toByteArray();
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
      java.util.Arrays.fill(key, (byte) 0);
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR/NoPadding unavailable in this JDK", e);
    }
  }
}
