package io.tidemark.mysql.checksum;

import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.column.ColumnTypes;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a table's columns from {@code information_schema} as the value checksum sees them, in ordinal order. */
public final class DigestColumns {
    private DigestColumns() {
    }

    /** the table's columns; empty when the table does not exist */
    public static List<DigestColumn> of(Connection connection, TableRef table) throws SQLException {
        List<DigestColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,"
                + " NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_OCTET_LENGTH, CHARACTER_SET_NAME"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                            rs.getLong(6), rs.getString(7)));
                }
            }
        }
        return columns;
    }

    /** one column from its {@code information_schema.COLUMNS} fields */
    public static DigestColumn column(String name, String dataType, String columnType, int scale, int fsp,
                                      long octetLength, String charsetName) {
        String type = dataType.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bool", "boolean" ->
                    simple(name, DigestColumn.Kind.INTEGER, 0, 0);
            case "decimal", "numeric" -> simple(name, DigestColumn.Kind.DECIMAL, scale, 0);
            case "date" -> simple(name, DigestColumn.Kind.DATE, 0, 0);
            case "datetime", "timestamp" -> simple(name, DigestColumn.Kind.DATETIME, 0, fsp);
            case "time" -> simple(name, DigestColumn.Kind.TIME, 0, fsp);
            case "year" -> simple(name, DigestColumn.Kind.YEAR, 0, 0);
            case "bit" -> simple(name, DigestColumn.Kind.BIT, 0, 0);
            case "binary" -> new DigestColumn(name, DigestColumn.Kind.BINARY, 0, 0, (int) octetLength, null, false,
                    null);
            case "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    new DigestColumn(name, DigestColumn.Kind.BINARY, 0, 0, 0, null, false, null);
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> {
                Charset charset = charset(charsetName);
                if (charset == null) {
                    yield simple(name, DigestColumn.Kind.UNCHECKED, 0, 0);
                }
                yield new DigestColumn(name, DigestColumn.Kind.TEXT, 0, 0, 0, charset, type.equals("char"),
                        type.equals("set") ? ColumnTypes.members(columnType) : null);
            }
            default -> simple(name, DigestColumn.Kind.UNCHECKED, 0, 0);
        };
    }

    private static DigestColumn simple(String name, DigestColumn.Kind kind, int scale, int fsp) {
        return new DigestColumn(name, kind, scale, fsp, 0, null, false, null);
    }

    /** the Java charset of a MySQL one whose bytes Java decodes the same way; null for the others */
    static Charset charset(String mysql) {
        if (mysql == null) {
            return null;
        }
        return switch (mysql.toLowerCase(Locale.ROOT)) {
            case "utf8mb4", "utf8mb3", "utf8" -> StandardCharsets.UTF_8;
            case "latin1" -> Charset.forName("windows-1252"); // MySQL's latin1 is cp1252
            case "ascii" -> StandardCharsets.US_ASCII;
            case "binary" -> StandardCharsets.ISO_8859_1;
            default -> null;
        };
    }
}
