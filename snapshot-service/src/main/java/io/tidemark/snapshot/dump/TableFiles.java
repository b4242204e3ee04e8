package io.tidemark.snapshot.dump;

import io.tidemark.common.table.TableRef;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * One table's data files in the dump's format, written row by row as the table's SELECT streams them. Used by one
 * thread: {@link #selectList}, {@link #write} each row, {@link #complete}, and {@link #close} in any case.
 */
interface TableFiles extends AutoCloseable {
    /** opens the files of one table in the dump's format */
    @FunctionalInterface
    interface Factory {
        /** @param all every column of the table, generated ones too, in their order */
        TableFiles open(TableRef table, List<Column> all);
    }

    /** what the SELECT reads, column by column, read with {@code character_set_results = binary} */
    String selectList();

    /** writes the result set's current row */
    void write(ResultSet row) throws SQLException, IOException;

    /** every row is written: publishes the last file, and whatever says the table is complete */
    void complete() throws IOException;

    /** the files published so far, in order, as paths from the dump's root */
    List<String> files();

    long bytes();

    /**
     * Releases what is open. After a failure that may publish a partial file; harmless, because a dump without its
     * completion marker is never read, and the next attempt clears the directory.
     */
    @Override
    void close() throws IOException;
}
