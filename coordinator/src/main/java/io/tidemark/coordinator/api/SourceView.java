package io.tidemark.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.coordinator.config.dm.SourceFile;

import java.time.Instant;
import java.util.List;

/** A DM source as the API shows it: where it is and who connects, never the password (not even sealed). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SourceView(String sourceId, String host, int port, String user, boolean enableGtid, boolean enableRelay,
                  SourceFile.Tls security, List<String> notes, Instant createdAt) {
    static SourceView of(DmStore.StoredSource s) {
        return new SourceView(s.sourceId(), s.from().host(), s.from().port(), s.from().user(), s.enableGtid(),
                s.enableRelay(), s.security(), s.notes(), s.createdAt());
    }
}
