package org.salus.fhir.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The shared HAPI FHIR R4 context (expensive to build, thread-safe once built) and a parser that
 * turns HAPI's complaints into {@link ValueProblem}s naming the element but never the value.
 */
final class FhirJson {

  private static final FhirContext CONTEXT = FhirContext.forR4();
  private static final Set<String> RESOURCE_TYPES = CONTEXT.getResourceTypes();

  private FhirJson() {}

  static FhirContext context() {
    return CONTEXT;
  }

  static boolean isKnownResourceType(String type) {
    return RESOURCE_TYPES.contains(type);
  }

  /** Parses one resource; throws {@link ValueProblem} on an invalid value. */
  static IBaseResource parse(String json) {
    IParser parser = CONTEXT.newJsonParser();
    parser.setParserErrorHandler(new Strict());
    return parser.parseResource(json);
  }

  /** A value HAPI rejected: the element's name and whether it was a date. Never the value. */
  static final class ValueProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String element;
    final boolean date;

    ValueProblem(String element, boolean date) {
      super("invalid value in " + element, null, false, false);
      this.element = element;
      this.date = date;
    }
  }

  /**
   * Strict on values, lenient on structure: unknown elements and missing required elements are
   * tolerated (what is needed is checked when mapping), malformed values are not.
   */
  private static final class Strict implements IParserErrorHandler {

    private static String name(IParseLocation location) {
      String name = location == null ? null : location.getParentElementName();
      return name == null ? "(unknown element)" : name;
    }

    @Override
    public void invalidValue(IParseLocation location, String value, String error) {
      String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
      throw new ValueProblem(name(location), e.contains("date") || e.contains("time"));
    }

    @Override
    public void incorrectJsonType(
        IParseLocation location,
        String elementName,
        BaseJsonLikeValue.ValueType expected,
        BaseJsonLikeValue.ScalarType expectedScalar,
        BaseJsonLikeValue.ValueType found,
        BaseJsonLikeValue.ScalarType foundScalar) {
      throw new ValueProblem(elementName == null ? name(location) : elementName, false);
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
      throw new ValueProblem(elementName == null ? name(location) : elementName, false);
    }

    @Override
    public void containedResourceWithNoId(IParseLocation location) {}

    @Override
    public void missingRequiredElement(IParseLocation location, String elementName) {}

    @Override
    public void unknownAttribute(IParseLocation location, String attributeName) {}

    @Override
    public void unknownElement(IParseLocation location, String elementName) {}

    @Override
    public void unknownReference(IParseLocation location, String reference) {}

    @Override
    public void invalidInternalReference(IParseLocation location, String reference) {}

    @Override
    public void extensionContainsValueAndNestedExtensions(IParseLocation location) {}
  }
}
