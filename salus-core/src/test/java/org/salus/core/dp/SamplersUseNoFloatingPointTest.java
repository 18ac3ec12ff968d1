package org.salus.core.dp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The noise samplers draw only uniform integers and do exact integer arithmetic: no call to {@code
 * Math}/{@code StrictMath}, no {@code nextDouble}/{@code nextGaussian}/{@code nextFloat}, no {@code
 * double} parameter or return anywhere in their sampling path (the floating-point attack of Mironov
 * 2012 needs floating-point noise).
 */
class SamplersUseNoFloatingPointTest {

  private static final JavaClasses DP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.salus.core.dp");

  private static final String[] SAMPLERS = {
    ExactRandom.class.getName(),
    DiscreteGaussian.class.getName(),
    DiscreteLaplace.class.getName(),
    Skellam.class.getName(),
    Poisson.class.getName()
  };

  private static boolean floating(JavaClass type) {
    return type.isEquivalentTo(double.class)
        || type.isEquivalentTo(float.class)
        || type.isEquivalentTo(Double.class)
        || type.isEquivalentTo(Float.class);
  }

  @Test
  void samplersCallNoFloatingPointMath() {
    noClasses()
        .that()
        .haveFullyQualifiedName(SAMPLERS[0])
        .or()
        .haveFullyQualifiedName(SAMPLERS[1])
        .or()
        .haveFullyQualifiedName(SAMPLERS[2])
        .or()
        .haveFullyQualifiedName(SAMPLERS[3])
        .or()
        .haveFullyQualifiedName(SAMPLERS[4])
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a floating-point method",
                (JavaMethodCall call) ->
                    floating(call.getTarget().getRawReturnType())
                        || call.getTarget().getRawParameterTypes().stream()
                            .anyMatch(t -> floating(t))
                        || call.getName().equals("nextDouble")
                        || call.getName().equals("nextGaussian")
                        || call.getName().equals("nextFloat")
                        || call.getName().equals("doubleValue")
                        || call.getName().equals("toDouble")))
        .check(DP);
  }
}
