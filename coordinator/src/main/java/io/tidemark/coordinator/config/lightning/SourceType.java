package io.tidemark.coordinator.config.lightning;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a routed file holds: the {@code type} of a {@code [[mydumper.files]]} rule, in TiDB Lightning's words. */
public enum SourceType {
    /** {@code CREATE DATABASE}, e.g. Dumpling's {@code mydb-schema-create.sql} */
    SCHEMA_SCHEMA("schema-schema"),
    /** {@code CREATE TABLE}, e.g. Dumpling's {@code mydb.orders-schema.sql} */
    TABLE_SCHEMA("table-schema"),
    /** {@code CREATE VIEW}, e.g. Dumpling's {@code mydb.v-schema-view.sql} */
    VIEW_SCHEMA("view-schema"),
    SQL("sql"),
    CSV("csv"),
    PARQUET("parquet"),
    /** matched on purpose and skipped */
    IGNORE("ignore");

    private final String word;

    SourceType(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** whether the file holds rows (as opposed to a schema statement) */
    public boolean data() {
        return this == SQL || this == CSV || this == PARQUET;
    }

    static Optional<SourceType> of(String word) {
        String w = word.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.word.equals(w)).findFirst();
    }

    static String words() {
        return String.join(", ", Arrays.stream(values()).map(SourceType::word).toList());
    }
}
