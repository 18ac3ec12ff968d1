package org.salus.core.secagg;

/**
 * Round 0: a participant's two fresh public keys, one for encrypting shares to it and one for
 * agreeing pairwise mask seeds (Bonawitz et al. 2017, Fig. 4, AdvertiseKeys).
 */
public record AdvertiseKeys(int from, byte[] encryptionKey, byte[] maskingKey) {
  public AdvertiseKeys {
    encryptionKey = encryptionKey.clone();
    maskingKey = maskingKey.clone();
  }

  @Override
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }

  @Override
  public byte[] maskingKey() {
    return maskingKey.clone();
  }
}
