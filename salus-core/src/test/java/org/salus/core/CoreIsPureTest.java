package org.salus.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core knows the domain and the mathematics; it must not reach the world or the edges. */
class CoreIsPureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.salus.core");

  @Test
  void coreDependsOnNoEdgeModule() {
    noClasses()
        .that()
        .resideInAPackage("org.salus.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.salus.fhir..", "org.salus.store..", "org.salus.server..", "org.salus.cli..")
        .check(CORE);
  }

  @Test
  void coreDoesNoIo() {
    noClasses()
        .that()
        .resideInAPackage("org.salus.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.io..", "java.nio.file..", "java.net..", "java.sql..", "javax.sql..")
        .orShould()
        .dependOnClassesThat()
        .resideOutsideOfPackages("java..", "javax.crypto..", "org.salus.core..")
        .check(CORE);
  }
}
