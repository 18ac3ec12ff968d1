package org.salus.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;

class StatusBitsTest {

  /**
   * draft-ietf-oauth-status-list section 4.1, 1-bit example: statuses 1,0,0,1,1,1,0,1 then
   * 1,1,0,0,0,1,0,1 pack (least significant bit first) into bytes 0xB9 0xA3.
   */
  @Test
  void packsOneBitStatusesAsInTheDraft() {
    int[] statuses = {1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1};
    StatusBits s = StatusBits.allValid(1, 16);
    for (int i = 0; i < statuses.length; i++) {
      s = s.with(i, statuses[i]);
    }
    StatusBits round = StatusBits.decompress(1, s.compress());
    for (int i = 0; i < statuses.length; i++) {
      assertThat(round.get(i)).as("index %d", i).isEqualTo(statuses[i]);
    }
    assertThat(HexFormat.of().formatHex(rawBytes(round))).isEqualTo("b9a3");
  }

  /** Same draft, 2-bit example: statuses 1,2,0,3,0,1,0,1,1,2,3,3 pack into 0xC9 0x44 0xF9. */
  @Test
  void packsTwoBitStatusesAsInTheDraft() {
    int[] statuses = {1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3};
    StatusBits s = StatusBits.allValid(2, 12);
    for (int i = 0; i < statuses.length; i++) {
      s = s.with(i, statuses[i]);
    }
    assertThat(HexFormat.of().formatHex(rawBytes(s))).isEqualTo("c944f9");
  }

  @Test
  void refusesAnIndexOutsideTheList() {
    StatusBits s = StatusBits.allValid(1, 8);
    assertThatThrownBy(() -> s.get(8))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("outside");
  }

  @Test
  void refusesGarbageAsCompressedList() {
    assertThatThrownBy(() -> StatusBits.decompress(1, new byte[] {1, 2, 3}))
        .isInstanceOf(SalusException.class);
  }

  @Property
  void settingOneStatusChangesNoOther(
      @ForAll @IntRange(min = 0, max = 255) int index,
      @ForAll @IntRange(min = 0, max = 3) int status) {
    StatusBits s = StatusBits.allValid(2, 256).with(index, status);
    StatusBits round = StatusBits.decompress(2, s.compress());
    for (int i = 0; i < 256; i++) {
      assertThat(round.get(i)).isEqualTo(i == index ? status : 0);
    }
  }

  private static byte[] rawBytes(StatusBits s) {
    byte[] out = new byte[(s.capacity() * s.bits() + 7) / 8];
    for (int i = 0; i < s.capacity(); i++) {
      int bitPos = i * s.bits();
      out[bitPos / 8] |= (byte) (s.get(i) << (bitPos % 8));
    }
    return out;
  }
}
