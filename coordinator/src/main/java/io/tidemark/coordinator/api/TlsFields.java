package io.tidemark.coordinator.api;

import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;
import io.tidemark.common.secret.SecretBox;

/**
 * The one place where TLS settings as users write them (a spec's {@code source.tls} / {@code target.tls}, a DM
 * file's {@code security} section) become an endpoint's {@link TlsSettings}: the client key is sealed at once (or kept
 * as a {@code file:} reference for a path), so it never travels or is stored as plaintext.
 */
public final class TlsFields {
    private TlsFields() {
    }

    /**
     * @param field where the settings were written, for errors: {@code source.tls}, {@code from.security}
     * @param mode  the mode's word; when null, verify-ca if a CA is given (as DM does with ssl-ca), else required
     * @param key   PEM text, an absolute path, a {@code file:}/{@code env:} reference or an already sealed value
     */
    public static TlsSettings settings(String field, String mode, String ca, String cert, String key,
                                       SecretBox secrets) {
        try {
            TlsSettings.Mode m = mode != null ? TlsSettings.Mode.of(mode)
                    : notBlank(ca) ? TlsSettings.Mode.VERIFY_CA : TlsSettings.Mode.REQUIRED;
            return new TlsSettings(m, ca, cert, key == null || key.isBlank() ? null : sealed(key.strip(), secrets));
        } catch (TidemarkException e) {
            if (e.error() != ErrorCode.TLS_SETTINGS_INVALID) {
                throw e;
            }
            // the record names tls.x; say where the user wrote it
            String why = e.detail().substring(e.detail().indexOf(": ") + 2);
            throw new TidemarkException(ErrorCode.TLS_SETTINGS_INVALID, field + ": " + why);
        }
    }

    /** a DM file's security section (no mode: see {@link #settings}); none given is TLS disabled */
    public static TlsSettings ofDm(String field, String sslCa, String sslCert, String sslKey, SecretBox secrets) {
        if (!notBlank(sslCa) && !notBlank(sslCert) && !notBlank(sslKey)) {
            return TlsSettings.DISABLED;
        }
        return settings(field, null, sslCa, sslCert, sslKey, secrets);
    }

    private static Secret sealed(String key, SecretBox secrets) {
        if (key.startsWith("/")) {
            return new Secret("file:" + key);
        }
        if (key.startsWith("file:") || key.startsWith("env:")) {
            return new Secret(key);
        }
        if (key.startsWith("enc:")) {
            Secret s = new Secret(key);
            secrets.open(s); // sealed by another coordinator key: refused here, not at the first session
            return s;
        }
        if (!TlsSettings.isPem(key)) {
            throw new TidemarkException(ErrorCode.TLS_SETTINGS_INVALID,
                    "tls.key is neither PEM text (-----BEGIN PRIVATE KEY-----) nor an absolute file path");
        }
        return secrets.seal(key);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
