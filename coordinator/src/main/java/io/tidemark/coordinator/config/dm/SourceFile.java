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
 * @param purge    DM's automatic relay purge by age ({@code purge.expires} above 0), or null: none
 */
public record SourceFile(String sourceId, String host, int port, String user, String password, boolean enableGtid,
                         boolean enableRelay, Tls security, List<Note> notes, Purge purge) {
    public SourceFile {
        notes = List.copyOf(notes);
    }

    /** a source whose relay is not purged by age */
    public SourceFile(String sourceId, String host, int port, String user, String password, boolean enableGtid,
                      boolean enableRelay, Tls security, List<Note> notes) {
        this(sourceId, host, port, user, password, enableGtid, enableRelay, security, notes, null);
    }

    /**
     * DM's {@code purge}: every {@code intervalSeconds}, the relay's files older than {@code expiresHours} are deleted,
     * never one a task still reads from nor the one being written
     */
    public record Purge(int intervalSeconds, int expiresHours) {
    }

    /** DM's {@code ssl-ca}, {@code ssl-cert}, {@code ssl-key}: file paths on the DM worker's host */
    public record Tls(String sslCa, String sslCert, String sslKey) {
    }

    @Override
    public String toString() {
        return "source " + sourceId + " (" + user + "@" + host + ":" + port + ")";
    }
}
