package io.tidemark.snapshot.dump;

import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table's rows as Dumpling's SQL files ({@link DataFileWriter}): each value the server's text, written as the
 * literal that loads back to it ({@link SqlLiteral}).
 */
final class SqlTableFiles implements TableFiles {
    private final ColumnKind[] kinds;
    private final String selectList;
    private final DataFileWriter writer;
    private final ByteBuf row = new ByteBuf();

    SqlTableFiles(Storage storage, TableRef table, List<Column> all, long fileSizeBytes, long statementSizeBytes) {
        this(storage, table, all, fileSizeBytes, statementSizeBytes, 0);
    }

    /** @param firstFile the number of the first data file (a key range's own, see {@link KeyRanges.Range}) */
    SqlTableFiles(Storage storage, TableRef table, List<Column> all, long fileSizeBytes, long statementSizeBytes,
                  int firstFile) {
        List<Column> dumped = Column.dumped(all);
        this.kinds = dumped.stream().map(Column::kind).toArray(ColumnKind[]::new);
        this.selectList = dumped.stream().map(c -> TableRef.quote(c.name())).collect(Collectors.joining(","));
        String prefix = "INSERT INTO " + TableRef.quote(table.table())
                + (Column.needsColumnList(all) ? " (" + selectList + ")" : "") + " VALUES\n";
        this.writer = new DataFileWriter(storage, table, prefix, fileSizeBytes, statementSizeBytes, firstFile);
    }

    @Override
    public String selectList() {
        return selectList;
    }

    @Override
    public void write(ResultSet rs) throws SQLException, IOException {
        row.reset();
        row.append((byte) '(');
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                row.append((byte) ',');
            }
            SqlLiteral.append(row, kinds[i], rs.getBytes(i + 1));
        }
        row.append((byte) ')');
        writer.write(row);
    }

    @Override
    public void complete() throws IOException {
        writer.close();
    }

    @Override
    public List<String> files() {
        return writer.files();
    }

    @Override
    public long bytes() {
        return writer.bytes();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
