package io.tidemark.snapshot.dump;

import io.tidemark.snapshot.parquet.ExportLayout;
import io.tidemark.snapshot.parquet.ParquetSettings;

import java.util.Objects;

/** How a dump writes table data; the schema files, {@code metadata} and the completion marker are the same in both. */
public sealed interface OutputFormat {
    /** Dumpling's layout: {@code db.table.000000000.sql} files of INSERT statements beside the schema files */
    record Sql() implements OutputFormat {
    }

    /** an Aurora snapshot export's layout and Parquet types, under {@code <export-id>/} beside the schema files */
    record Parquet(ExportLayout layout, ParquetSettings settings) implements OutputFormat {
        public Parquet {
            Objects.requireNonNull(layout, "layout");
            Objects.requireNonNull(settings, "settings");
        }
    }

    static OutputFormat sql() {
        return new Sql();
    }
}
