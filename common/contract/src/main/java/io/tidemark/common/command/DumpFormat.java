package io.tidemark.common.command;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.Arrays;
import java.util.Locale;

/** How Tidemark's own dump writes table data (Dumpling's {@code --filetype}). */
public enum DumpFormat {
    /** Dumpling's layout: {@code db.table.000000001.sql} files of INSERT statements (the default) */
    SQL("sql"),
    /**
     * an Aurora snapshot export's layout: {@code <dump>/<db>/<db>.<table>/1/part-00000-….gz.parquet} with AWS's
     * Parquet types, so a MySQL or MariaDB source takes the import path of an Aurora export; schema files in
     * Dumpling's names beside it
     */
    PARQUET("parquet");

    private final String code;

    DumpFormat(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static DumpFormat of(String code) {
        return Arrays.stream(values())
                .filter(f -> f.code.equals(code == null ? null : code.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new TidemarkException(ErrorCode.INVALID_SPEC,
                        "format '" + code + "' is not one of sql, parquet"));
    }
}
