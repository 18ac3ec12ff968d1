package org.salus.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * One page of a clinician search: {@code _count} entries (1 to {@link #MAX_COUNT}; without {@code
 * _count} every visible entry, in one page) from the position an opaque {@code _page} token names.
 * Positions count only the records the requester may see (the list after the consent filter), so
 * neither a page nor the token reveals how many were hidden; a Bundle never carries {@code total}.
 * A consent change between two pages applies to the next one, like every request.
 */
record SearchPage(int count, int offset) {

  static final int MAX_COUNT = 1000;

  /** The count of a search without {@code _count}: everything visible. */
  static final int ALL = Integer.MAX_VALUE;

  /** The query parameters a next link repeats, besides {@code _count} and {@code _page}. */
  private static final List<String> CARRIED = List.of("patient", "purpose");

  private static final String TOKEN_PREFIX = "salus-page-1:";

  /** The page a query asks for, or the 400 naming the parameter that is wrong. */
  sealed interface Parsed {
    record Ok(SearchPage page) implements Parsed {}

    record Invalid(String parameter, String message) implements Parsed {}
  }

  static Parsed parse(Map<String, String> query) {
    int count = ALL;
    String c = query.get("_count");
    if (c != null) {
      try {
        count = Integer.parseInt(c.strip());
      } catch (NumberFormatException e) {
        return new Parsed.Invalid("_count", "_count is a whole number from 1 to " + MAX_COUNT);
      }
      if (count < 1 || count > MAX_COUNT) {
        return new Parsed.Invalid("_count", "_count is from 1 to " + MAX_COUNT + ", got " + count);
      }
    }
    String token = query.get("_page");
    if (token == null) {
      return new Parsed.Ok(new SearchPage(count, 0));
    }
    Optional<Integer> offset = offsetOf(token);
    if (offset.isEmpty()) {
      return new Parsed.Invalid("_page", "_page is not a page token this node issued");
    }
    return new Parsed.Ok(new SearchPage(count, offset.get()));
  }

  private static Optional<Integer> offsetOf(String token) {
    try {
      String text =
          new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
      if (!text.startsWith(TOKEN_PREFIX)) {
        return Optional.empty();
      }
      int offset = Integer.parseInt(text.substring(TOKEN_PREFIX.length()));
      return offset >= 0 ? Optional.of(offset) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The entries of {@code all} on this page. */
  <T> List<T> of(List<T> all) {
    int from = Math.min(offset, all.size());
    return all.subList(from, (int) Math.min(all.size(), (long) from + count));
  }

  /** The next page, if a list of {@code visible} entries has some after this one. */
  Optional<SearchPage> next(int visible) {
    long end = (long) offset + count;
    return end < visible ? Optional.of(new SearchPage(count, (int) end)) : Optional.empty();
  }

  String token() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((TOKEN_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The relative URL of this page of the search on {@code resourceType} that {@code query} made.
   */
  String url(String resourceType, Map<String, String> query) {
    StringJoiner q = new StringJoiner("&");
    for (String name : CARRIED) {
      if (query.containsKey(name)) {
        q.add(name + "=" + URLEncoder.encode(query.get(name), StandardCharsets.UTF_8));
      }
    }
    if (count != ALL) {
      q.add("_count=" + count);
    }
    if (offset > 0) {
      q.add("_page=" + token());
    }
    return "/fhir/" + resourceType + "?" + q;
  }
}
