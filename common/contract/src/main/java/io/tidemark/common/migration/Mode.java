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
    ALL("all");

    private final String code;

    Mode(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public boolean snapshots() {
        return this != INCREMENTAL;
    }

    public boolean replicates() {
        return this != FULL;
    }

    @JsonCreator
    public static Mode of(String code) {
        return Arrays.stream(values())
                .filter(m -> m.code.equals(code == null ? null : code.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new TidemarkException(ErrorCode.INVALID_SPEC,
                        "mode '" + code + "' is not one of full, incremental, all"));
    }
}
