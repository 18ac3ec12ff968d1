package org.salus.core.secagg;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Round 1: a participant's shares of its masking secret key and self-mask seed, one AES-GCM
 * ciphertext per holder, which the server forwards but cannot read.
 */
public record EncryptedShares(int from, SortedMap<Integer, byte[]> ciphertextsByRecipient) {
  public EncryptedShares {
    ciphertextsByRecipient =
        Collections.unmodifiableSortedMap(new TreeMap<>(ciphertextsByRecipient));
  }
}
