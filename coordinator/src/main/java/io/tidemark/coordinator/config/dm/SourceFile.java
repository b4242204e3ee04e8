package io.tidemark.coordinator.config.dm;

import io.tidemark.coordinator.config.lightning.Note;

import java.util.List;

/**
 * A DM source file as Tidemark uses it ({@code operate-source create source.yaml}). The password is the file's value
 * as written — plaintext or {@code tidemark encrypt} output — for the caller to seal at once; {@link #toString()}
 * never shows it.
 *
 * @param security the {@code from.security} TLS files as written, or null
 * @param notes    keys accepted but not used as DM uses them, and what Tidemark does instead
 */
public record SourceFile(String sourceId, String host, int port, String user, String password, boolean enableGtid,
                         boolean enableRelay, Tls security, List<Note> notes) {
    public SourceFile {
        notes = List.copyOf(notes);
    }

    /** DM's {@code ssl-ca}, {@code ssl-cert}, {@code ssl-key}: file paths on the DM worker's host */
    public record Tls(String sslCa, String sslCert, String sslKey) {
    }

    @Override
    public String toString() {
        return "source " + sourceId + " (" + user + "@" + host + ":" + port + ")";
    }
}
