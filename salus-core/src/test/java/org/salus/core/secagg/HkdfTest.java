package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HkdfTest {

  @Test
  void rfc5869VectorsAllPass() {
    List<Path> files = Vectors.files("hkdf");
    assertThat(files).hasSize(3);
    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      Map<String, String> v = Vectors.read(file);
      byte[] prk = Hkdf.extract(Vectors.hex(v.get("salt")), Vectors.hex(v.get("IKM")));
      byte[] okm = Hkdf.expand(prk, Vectors.hex(v.get("info")), Integer.parseInt(v.get("L")));
      if (!HexFormat.of().formatHex(prk).equals(v.get("PRK"))) {
        failures.add(file.getFileName() + ": PRK");
      }
      if (!HexFormat.of().formatHex(okm).equals(v.get("OKM"))) {
        failures.add(file.getFileName() + ": OKM");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void differentInfoGivesIndependentKeys() {
    byte[] ikm = new byte[32];
    assertThat(Hkdf.derive(new byte[0], ikm, new byte[] {1}, 32))
        .isNotEqualTo(Hkdf.derive(new byte[0], ikm, new byte[] {2}, 32));
  }
}
