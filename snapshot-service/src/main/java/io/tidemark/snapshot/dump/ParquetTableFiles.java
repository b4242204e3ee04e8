package io.tidemark.snapshot.dump;

import io.tidemark.snapshot.parquet.ExportedTable;
import io.tidemark.snapshot.parquet.ParquetTable;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/** A table's rows as an Aurora export's Parquet part files ({@link ParquetTable}). */
final class ParquetTableFiles implements TableFiles {
    private final ParquetTable table;
    private final Consumer<ExportedTable> completed;

    /** @param completed told of the table once its {@code _SUCCESS} is written, for the export's table list */
    ParquetTableFiles(ParquetTable table, Consumer<ExportedTable> completed) {
        this.table = table;
        this.completed = completed;
    }

    @Override
    public String selectList() {
        return table.selectList();
    }

    @Override
    public void write(ResultSet row) throws SQLException, IOException {
        table.write(row);
    }

    @Override
    public void complete() throws IOException {
        completed.accept(table.complete());
    }

    @Override
    public List<String> files() {
        return table.files();
    }

    @Override
    public long bytes() {
        return table.bytes();
    }

    @Override
    public void close() throws IOException {
        table.close();
    }
}
