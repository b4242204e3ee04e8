package io.tidemark.coordinator.api;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

/**
 * The {@code Prefer} request header (RFC 7240) as far as the API honours it: {@code respond-async}. Preferences are
 * comma-separated, each a token with an optional value and parameters; tokens are matched case-insensitively, and
 * preferences the API does not know are ignored, as the RFC requires of a server (a preference is never an error).
 */
final class Preferences {
    static final String PREFER = "Prefer";
    static final String APPLIED = "Preference-Applied";
    static final String RESPOND_ASYNC = "respond-async";

    private Preferences() {
    }

    /** whether any {@code Prefer} header of the request holds {@code respond-async} */
    static boolean respondAsync(Enumeration<String> headers) {
        for (String header : headers == null ? Collections.<String>emptyList() : Collections.list(headers)) {
            for (String preference : header.split(",")) {
                String token = preference.split("[;=]", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (token.equals(RESPOND_ASYNC)) {
                    return true;
                }
            }
        }
        return false;
    }
}
