package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spec's {@code targetTables}: who creates the target tables of a mode {@code full} or {@code all} migration. It
 * decides what an existing target table must look like before any data moves, and how the import writes rows.
 */
public enum TargetTableSetup {
    /**
     * Tidemark creates each table from the source's definition (the default). A table that already exists must be
     * empty and defined exactly as on the source, columns in the same order: the import writes rows by position.
     */
    CREATE("create"),
    /**
     * The user created the tables by hand (other keys, wider types, extra columns). The import writes rows by
     * column name, so an existing table passes when every source column is there with a type that holds its values
     * and every other column may be left out; rows already in it are reported, not refused. The import reads this
     * value from the spec.
     */
    PRE_CREATED("pre-created");

    private final String code;

    TargetTableSetup(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static TargetTableSetup of(String code) {
        return Arrays.stream(values())
                .filter(s -> s.code.equals(code == null ? null : code.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new TidemarkException(ErrorCode.INVALID_SPEC, "targetTables '" + code
                        + "' is not one of " + Arrays.stream(values()).map(TargetTableSetup::code)
                        .collect(Collectors.joining(", "))
                        + "; leave it out to let Tidemark create the tables"));
    }
}
