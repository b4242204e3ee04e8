package io.tidemark.mysql.checksum;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value checksum of rows built in Java from the values a file holds equals the one the server computes over the
 * stored rows, for every column family at its edges, and differs once a stored value differs.
 */
class ValueChecksumIT {
    private static final String COLUMNS = "id INT PRIMARY KEY, u BIGINT UNSIGNED, d DECIMAL(20,4), dt DATETIME(6),"
            + " dt0 DATETIME, ts TIMESTAMP(3) NULL, t TIME(2), y YEAR, dd DATE, c CHAR(5),"
            + " v VARCHAR(20) CHARACTER SET latin1, e ENUM('x','y'), s SET('a','b','c'), b BINARY(4),"
            + " vb VARBINARY(10), bt BIT(10), f DOUBLE, j JSON";
    /** each row as the file gives it: text, or bytes (String for text columns read as UTF-8) */
    private static final Object[][] ROWS = {
            {"1", "18446744073709551615", "12.5", "2024-02-29 23:59:59.123456", "2024-01-01", "1970-01-01 00:00:01.5",
                    "-838:59:59", "2155", "0000-00-00", "ab  ", "café", "x", "c,a", new byte[]{1, 2},
                    new byte[]{0, (byte) 0xff}, new byte[]{0x01, (byte) 0xff}, "1.5", "{\"a\": 1}"},
            {"2", "0", "-0.00005", "0000-00-00 00:00:00", "1000-01-01 00:00:00", "2038-01-19 03:14:07.999",
                    "00:00:00.5", "1901", "9999-12-31", "", "", "y", "", new byte[0], new byte[0], new byte[]{0},
                    "-1e300", "[]"},
            {"3", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null},
    };

    private static LocalMariaDb db;
    private static String schema;

    @BeforeAll
    static void start() throws SQLException {
        db = TestDatabases.startTarget("valuechecksum");
        schema = TestDatabases.uniqueSchema("vc");
        TestDatabases.execute(db, "CREATE DATABASE " + schema);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theFilesDigestEqualsTheServersOverTheStoredRowsAndDiffersOnceAValueDoes() throws SQLException {
        TableRef table = new TableRef(schema, "every_kind");
        try (Connection c = TestDatabases.connect(db)) {
            c.createStatement().execute("CREATE TABLE " + table.quoted() + " (" + COLUMNS + ")");
            insert(c, table);
            List<DigestColumn> columns = DigestColumns.of(c, table);
            RowDigest files = digestOf(columns);
            assertThat(files.complete()).isTrue();

            ValueChecksum.Digest stored = ValueChecksum.of(c, table, columns);
            assertThat(stored.rows()).isEqualTo(3);
            assertThat(stored.sum()).isEqualTo(files.sum());

            // a value changed behind the import's back is caught, though the row count stays equal
            c.createStatement().execute("UPDATE " + table.quoted() + " SET v = 'cafe' WHERE id = 1");
            ValueChecksum.Digest changed = ValueChecksum.of(c, table, columns);
            assertThat(changed.rows()).isEqualTo(3);
            assertThat(changed.sum()).isNotEqualTo(files.sum());
        }
    }

    @Test
    void aValueWhoseStoredFormDependsOnTheServerMakesTheDigestIncompleteInsteadOfWrong() throws SQLException {
        try (Connection c = TestDatabases.connect(db)) {
            TableRef table = new TableRef(schema, "rounding");
            c.createStatement().execute("CREATE TABLE " + table.quoted() + " (dt DATETIME(2), f FLOAT)");
            List<DigestColumn> columns = DigestColumns.of(c, table);
            RowDigest digest = new RowDigest(columns);
            digest.text(0, "2024-01-01 00:00:00.125"); // MariaDB cuts the third digit, MySQL and TiDB round it
            digest.text(1, "0.1"); // FLOAT is never compared by value
            digest.endRow();
            assertThat(digest.complete()).isFalse();

            RowDigest floats = new RowDigest(columns);
            floats.text(0, "2024-01-01 00:00:00.12");
            floats.text(1, "0.1");
            floats.endRow();
            assertThat(floats.complete()).isTrue();

            // a YEAR given as the text "0" is 2000 while the number 0 is 0000: not guessed at
            TableRef years = new TableRef(schema, "years");
            c.createStatement().execute("CREATE TABLE " + years.quoted() + " (y YEAR)");
            RowDigest year = new RowDigest(DigestColumns.of(c, years));
            year.text(0, "0");
            year.endRow();
            assertThat(year.complete()).isFalse();
            RowDigest number = new RowDigest(DigestColumns.of(c, years));
            number.number(0, 0);
            number.endRow();
            c.createStatement().execute("INSERT INTO " + years.quoted() + " VALUES (0)");
            assertThat(number.complete()).isTrue();
            assertThat(ValueChecksum.of(c, years, number.columns()).sum()).isEqualTo(number.sum());
        }
    }

    private static void insert(Connection c, TableRef table) throws SQLException {
        String marks = "?, ".repeat(ROWS[0].length - 1) + "?";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.quoted() + " VALUES (" + marks + ")")) {
            for (Object[] row : ROWS) {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] instanceof byte[] bytes) {
                        ps.setBytes(i + 1, bytes);
                    } else {
                        ps.setString(i + 1, (String) row[i]);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    private static RowDigest digestOf(List<DigestColumn> columns) {
        RowDigest digest = new RowDigest(columns);
        for (Object[] row : ROWS) {
            for (int i = 0; i < row.length; i++) {
                DigestColumn column = columns.get(i);
                switch (row[i]) {
                    case null -> digest.nul(i);
                    case byte[] bytes -> digest.bytes(i, bytes);
                    case String s when column.kind() == DigestColumn.Kind.TEXT ->
                            digest.bytes(i, s.getBytes(column.charset()));
                    case String s -> digest.text(i, s);
                    default -> throw new IllegalStateException();
                }
            }
            digest.endRow();
        }
        return digest;
    }
}
