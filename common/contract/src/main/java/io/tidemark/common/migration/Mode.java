package io.tidemark.common.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.Arrays;
import java.util.Locale;

/** DM's {@code task-mode}: what a migration does. */
public enum Mode {
    /** snapshot and import, then done */
    FULL("full"),
    /** binlog replication only, from a given or the current position */
    INCREMENTAL("incremental"),
    /** snapshot, import, then binlog replication from the snapshot's position until cut-over */
    ALL("all"),
    /**
     * files exported already (an Aurora snapshot export, a Dumpling dump) imported into the target, then done: TiDB
     * Lightning's job, with no source database
     */
    IMPORT("import");

    private final String code;

    Mode(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** whether Tidemark dumps the source itself (and then imports the dump) */
    public boolean snapshots() {
        return this == FULL || this == ALL;
    }

    /** whether files are imported into the target */
    public boolean imports() {
        return this != INCREMENTAL;
    }

    /** whether the source's binlog is replicated */
    public boolean replicates() {
        return this == INCREMENTAL || this == ALL;
    }

    /** whether the migration reads a source database */
    public boolean readsSource() {
        return this != IMPORT;
    }

    @JsonCreator
    public static Mode of(String code) {
        return Arrays.stream(values())
                .filter(m -> m.code.equals(code == null ? null : code.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new TidemarkException(ErrorCode.INVALID_SPEC,
                        "mode '" + code + "' is not one of full, incremental, all, import"));
    }
}
