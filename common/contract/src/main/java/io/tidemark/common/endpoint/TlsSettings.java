package io.tidemark.common.endpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a session reaches a source or target over TLS: the mode, the CA that signed the server's certificate, and a
 * client certificate for servers whose account says {@code REQUIRE X509}. {@code ca} and {@code cert} are public
 * (an absolute PEM file path on the services' hosts, or the PEM itself); {@code key} is the client's private key and
 * travels only as a {@link Secret}: the PEM sealed, or a {@code file:/path} reference read where it is used.
 *
 * @param mode disabled, preferred (TLS when the server offers it, unverified), required (TLS, unverified),
 *             verify-ca (the server's certificate is signed by {@code ca}), verify-full (and names the host)
 */
public record TlsSettings(Mode mode, String ca, String cert, Secret key) {
    public static final TlsSettings DISABLED = new TlsSettings(Mode.DISABLED, null, null, null);
    private static final String PEM = "-----BEGIN ";

    public enum Mode {
        DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_FULL;

        /** how the spec and the DM files write it: {@code verify-ca} */
        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** whether the server's certificate is checked against {@code ca} */
        public boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_FULL;
        }

        @JsonCreator
        public static Mode of(String word) {
            String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(m -> m.word().equals(w)).findFirst().orElseThrow(() ->
                    new TidemarkException(ErrorCode.TLS_SETTINGS_INVALID,
                            "tls.mode '" + word + "' is not a mode; use one of " + Arrays.stream(values()).map(Mode::word)
                                    .collect(Collectors.joining(", "))));
        }
    }

    public TlsSettings {
        if (mode == null) {
            throw invalid("tls.mode", "is missing");
        }
        ca = blankToNull(ca);
        cert = blankToNull(cert);
        checkPemOrPath("tls.ca", ca);
        checkPemOrPath("tls.cert", cert);
        if (mode.verifies() && ca == null) {
            throw invalid("tls.ca", "is missing: mode " + mode.word() + " checks the server's certificate against it");
        }
        if ((cert == null) != (key == null)) {
            throw invalid(cert == null ? "tls.cert" : "tls.key", "is missing: a client certificate needs both"
                    + " tls.cert and tls.key");
        }
        if (mode == Mode.DISABLED && (ca != null || cert != null)) {
            throw invalid("tls.mode", "is disabled while tls.ca or tls.cert is given: choose a mode that uses them");
        }
    }

    /** whether sessions speak TLS at all (maybe: preferred falls back to plain text) */
    public boolean enabled() {
        return mode != Mode.DISABLED;
    }

    /** whether {@code value} is the PEM itself rather than a path */
    public static boolean isPem(String value) {
        return value != null && value.strip().startsWith(PEM);
    }

    private static void checkPemOrPath(String field, String value) {
        if (value != null && !isPem(value) && !value.startsWith("/")) {
            throw invalid(field, "is neither an absolute file path nor PEM text (-----BEGIN ...)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static TidemarkException invalid(String field, String why) {
        return new TidemarkException(ErrorCode.TLS_SETTINGS_INVALID, field + " " + why);
    }

    @Override
    public String toString() {
        // never the PEM: only the mode and which parts are given
        return "tls " + mode.word() + (ca != null ? " ca" : "") + (cert != null ? " cert+key" : "");
    }
}
