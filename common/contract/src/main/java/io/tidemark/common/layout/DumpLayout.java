package io.tidemark.common.layout;

import io.tidemark.common.table.TableRef;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File names of Dumpling's output layout, which snapshot-service writes and lightning-service reads:
 * {@code metadata}, {@code {db}-schema-create.sql}, {@code {db}.{tbl}-schema.sql},
 * {@code {db}.{tbl}.{NNNNNNNNN}.sql|csv}.
 */
public final class DumpLayout {
    public static final String METADATA = "metadata";
    private static final Pattern DATA = Pattern.compile("^([^.]+)\\.(.+)\\.([0-9]+)\\.(sql|csv)$");
    private static final Pattern TABLE_SCHEMA = Pattern.compile("^([^.]+)\\.(.+)-schema\\.sql$");
    private static final Pattern SCHEMA_CREATE = Pattern.compile("^(.+)-schema-create\\.sql$");

    private DumpLayout() {
    }

    public static String schemaCreateFile(String schema) {
        return schema + "-schema-create.sql";
    }

    public static String tableSchemaFile(TableRef table) {
        return table.schema() + "." + table.table() + "-schema.sql";
    }

    public static String dataFile(TableRef table, int index, String extension) {
        return String.format(Locale.ROOT, "%s.%s.%09d.%s", table.schema(), table.table(), index, extension);
    }

    public record DataFile(TableRef table, int index, String extension) {
    }

    public static Optional<DataFile> parseDataFile(String fileName) {
        Matcher m = DATA.matcher(baseName(fileName));
        return m.matches()
                ? Optional.of(new DataFile(new TableRef(m.group(1), m.group(2)), Integer.parseInt(m.group(3)), m.group(4)))
                : Optional.empty();
    }

    public static Optional<TableRef> parseTableSchemaFile(String fileName) {
        Matcher m = TABLE_SCHEMA.matcher(baseName(fileName));
        return m.matches() ? Optional.of(new TableRef(m.group(1), m.group(2))) : Optional.empty();
    }

    public static Optional<String> parseSchemaCreateFile(String fileName) {
        Matcher m = SCHEMA_CREATE.matcher(baseName(fileName));
        return m.matches() && !m.group(1).contains(".") ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
