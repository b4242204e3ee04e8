package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spec's {@code checksum}: what the verification after an import (row count and value checksum per table,
 * target against files) does, with TiDB Lightning's {@code [post-restore] checksum} levels and meaning.
 */
public enum ImportChecksum {
    /** a table that differs fails the migration (the default, as Lightning's) */
    REQUIRED("required"),
    /** a table that differs is a warning on the migration, which goes on */
    OPTIONAL("optional"),
    /** the tables are not counted: the import completes once every chunk is in */
    OFF("off");

    private final String code;

    ImportChecksum(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static ImportChecksum of(String code) {
        return Arrays.stream(values())
                .filter(c -> c.code.equals(code == null ? null : code.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new TidemarkException(ErrorCode.INVALID_SPEC, "checksum '" + code
                        + "' is not one of " + Arrays.stream(values()).map(ImportChecksum::code)
                        .collect(Collectors.joining(", ")) + "; leave it out to verify every table (required)"));
    }

    /** whether the tables are counted once the import is in */
    public boolean counts() {
        return this != OFF;
    }
}
