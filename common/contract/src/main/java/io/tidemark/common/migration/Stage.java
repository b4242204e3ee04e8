package io.tidemark.common.migration;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The unit of work a status event speaks of, in DM terms Dump, Load and Sync. */
public enum Stage {
    SNAPSHOT, IMPORT, REPLICATION;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
