package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportOptions.OnDuplicate;

/**
 * What a row whose key the target already holds does, as each load path spells it: TiDB Lightning's logical-import
 * {@code on-duplicate}. REPLACE overwrites the target's row, IGNORE keeps it and drops the file's, ERROR fails the
 * statement with the target's duplicate-key error, which stops the chunk naming its table and file.
 */
final class OnDuplicateSql {
    private OnDuplicateSql() {
    }

    /** the verb of a multi-row statement: {@code REPLACE}, {@code INSERT IGNORE} or {@code INSERT} */
    static String insertVerb(OnDuplicate onDuplicate) {
        return switch (onDuplicate) {
            case REPLACE -> "REPLACE";
            case IGNORE -> "INSERT IGNORE";
            case ERROR -> "INSERT";
        };
    }

    /**
     * The word between {@code INFILE '...'} and {@code INTO TABLE} of a LOAD DATA. ERROR has none, but LOAD DATA
     * LOCAL then skips a duplicate with a warning as IGNORE does (the server cannot stop the client's stream), so
     * the loader checks what was skipped itself.
     */
    static String loadDataWord(OnDuplicate onDuplicate) {
        return switch (onDuplicate) {
            case REPLACE -> " REPLACE";
            case IGNORE -> " IGNORE";
            case ERROR -> "";
        };
    }
}
