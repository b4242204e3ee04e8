package io.tidemark.snapshot.dump;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes {@code db-schema-create.sql} (SHOW CREATE DATABASE, made idempotent with IF NOT EXISTS) and
 * {@code db.tbl-schema.sql} (SHOW CREATE TABLE). The DDL text is read and written in utf8mb4.
 */
public final class SchemaFiles {
    static final String HEADER = """
            /*!40101 SET NAMES utf8mb4*/;
            /*!40014 SET FOREIGN_KEY_CHECKS=0*/;
            /*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO'*/;
            """;
    private static final Pattern CREATE_DATABASE = Pattern.compile("^CREATE DATABASE (?!IF NOT EXISTS)",
            Pattern.CASE_INSENSITIVE);

    private SchemaFiles() {
    }

    public static void write(Source source, Connection c, Storage storage, List<TableRef> tables) {
        try (Statement st = c.createStatement()) {
            for (String schema : tables.stream().map(TableRef::schema).distinct().toList()) {
                try (ResultSet rs = st.executeQuery("SHOW CREATE DATABASE " + TableRef.quote(schema))) {
                    rs.next();
                    String ddl = CREATE_DATABASE.matcher(rs.getString(2)).replaceFirst("CREATE DATABASE IF NOT EXISTS ");
                    publish(storage, DumpLayout.schemaCreateFile(schema), ddl);
                }
            }
            for (TableRef table : tables) {
                try (ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + table.quoted())) {
                    rs.next();
                    publish(storage, DumpLayout.tableSchemaFile(table), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw source.failed(e, "reading table definitions");
        }
    }

    private static void publish(Storage storage, String file, String ddl) {
        try (OutputStream out = storage.create(file)) {
            out.write((HEADER + ddl + ";\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "writing " + file + ": " + e.getMessage());
        }
    }
}
