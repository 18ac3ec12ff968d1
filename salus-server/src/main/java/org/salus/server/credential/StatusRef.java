package org.salus.server.credential;

/** Where a credential's status lives: index {@code index} of the status list at {@code uri}. */
public record StatusRef(String uri, int index) {}
