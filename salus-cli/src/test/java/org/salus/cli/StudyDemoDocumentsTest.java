package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.salus.core.study.Study;
import org.salus.core.study.StudyValidator;
import org.salus.store.study.StudyJson;

/** The studies {@code salus demo} runs are on the class path, read and are valid. */
class StudyDemoDocumentsTest {

  @Test
  void everyDemoStudyReadsAndIsValid() throws IOException {
    assertThat(DemoCommand.STUDIES).hasSize(4);
    for (String name : DemoCommand.STUDIES) {
      try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
        assertThat(in).as(name).isNotNull();
        Study study = StudyJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(StudyValidator.problems(study)).as(name).isEmpty();
        assertThat(study.nodes()).containsExactlyElementsOf(DemoCommand.NODES);
      }
    }
  }
}
