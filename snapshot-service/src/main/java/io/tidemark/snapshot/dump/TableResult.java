package io.tidemark.snapshot.dump;

import io.tidemark.common.table.TableRef;

import java.util.List;

/** One table's data is in storage: {@code rows} rows, {@code bytes} bytes in {@code files} (none when empty). */
public record TableResult(TableRef table, long rows, long bytes, List<String> files) {
    public TableResult {
        files = List.copyOf(files);
    }
}
