package io.tidemark.common.layout;

import io.tidemark.common.table.TableRef;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File names of Dumpling's output layout, which snapshot-service writes and lightning-service reads:
 * {@code metadata}, {@code {db}-schema-create.sql}, {@code {db}.{tbl}-schema.sql},
 * {@code {db}.{tbl}.{NNNNNNNNN}.sql|csv}, each file (schema files too) optionally compressed whole as Dumpling's
 * {@code --compress} writes it and TiDB Lightning reads it: {@code .gz}/{@code .gzip}, {@code .zst}/{@code .zstd},
 * {@code .snappy}. The parsers accept the compressed names; the {@code *File} methods give the plain ones.
 * <p>
 * Database and table names go into a file name escaped as Dumpling's default output template does (its {@code fn}
 * function): each control character and each of {@code % " * . / : < > ? \ |} becomes {@code %XX} (the byte in
 * upper-case hex), and {@code -schema} in any letter case becomes {@code %2Dschema}; everything else, spaces,
 * quotes, backticks and non-ASCII letters included, stays as it is. So a name never holds the '.' that separates
 * database from table, nor a '/' that would make a directory, and {@code x.y} + {@code z} and {@code x} +
 * {@code y.z} get different files. Reading undoes it as TiDB Lightning's file router does ({@code url.PathUnescape}
 * of what its default rules capture), so a dump either tool wrote reads back to the same tables.
 */
public final class DumpLayout {
    public static final String METADATA = "metadata";
    /** Lightning's default routes: a database part never holds '.', the table part is the shortest that fits */
    private static final Pattern DATA = Pattern.compile(
            "^([^/.]+)\\.(.+?)\\.([0-9]+)\\.(sql|csv)(?:\\.(gz|gzip|zst|zstd|snappy))?$");
    /* Dumpling's --compress compresses the schema files too, and Lightning's built-in rules read them so */
    private static final Pattern TABLE_SCHEMA = Pattern.compile(
            "^([^/.]+)\\.(.+?)-schema\\.sql(?:\\.(?:gz|gzip|zst|zstd|snappy))?$");
    private static final Pattern SCHEMA_CREATE = Pattern.compile(
            "^([^/.]+)-schema-create\\.sql(?:\\.(?:gz|gzip|zst|zstd|snappy))?$");
    private static final String ESCAPED = "%\"*./:<>?\\|";
    private static final String SCHEMA_WORD = "schema";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private DumpLayout() {
    }

    public static String schemaCreateFile(String schema) {
        return escape(schema) + "-schema-create.sql";
    }

    public static String tableSchemaFile(TableRef table) {
        return escape(table.schema()) + "." + escape(table.table()) + "-schema.sql";
    }

    public static String dataFile(TableRef table, int index, String extension) {
        return String.format(Locale.ROOT, "%s.%s.%09d.%s", escape(table.schema()), escape(table.table()), index,
                extension);
    }

    /**
     * @param extension   {@code sql} or {@code csv}: what the (decompressed) bytes hold
     * @param compression the whole-file compression suffix as written ({@code gz}, {@code zst}, ...), or "" for none
     */
    public record DataFile(TableRef table, int index, String extension, String compression) {
        public DataFile(TableRef table, int index, String extension) {
            this(table, index, extension, "");
        }
    }

    public static Optional<DataFile> parseDataFile(String fileName) {
        Matcher m = DATA.matcher(baseName(fileName));
        return m.matches()
                ? Optional.of(new DataFile(new TableRef(unescape(m.group(1)), unescape(m.group(2))),
                Integer.parseInt(m.group(3)), m.group(4), m.group(5) == null ? "" : m.group(5)))
                : Optional.empty();
    }

    public static Optional<TableRef> parseTableSchemaFile(String fileName) {
        Matcher m = TABLE_SCHEMA.matcher(baseName(fileName));
        return m.matches() ? Optional.of(new TableRef(unescape(m.group(1)), unescape(m.group(2)))) : Optional.empty();
    }

    public static Optional<String> parseSchemaCreateFile(String fileName) {
        Matcher m = SCHEMA_CREATE.matcher(baseName(fileName));
        return m.matches() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    /** a database or table name as one part of a file name, escaped as Dumpling escapes it */
    public static String escape(String identifier) {
        StringBuilder out = new StringBuilder(identifier.length() + 8);
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            boolean schemaSuffix = c == '-' && identifier.regionMatches(true, i + 1, SCHEMA_WORD, 0,
                    SCHEMA_WORD.length());
            if (c < 0x20 || ESCAPED.indexOf(c) >= 0 || schemaSuffix) {
                out.append('%').append(HEX.toHexDigits((byte) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The name a file-name part stands for: every {@code %XX} becomes that byte and the bytes are read as UTF-8.
     * A part with a '%' that starts no escape is taken as it is, as Lightning does.
     */
    public static String unescape(String part) {
        if (part.indexOf('%') < 0) {
            return part;
        }
        byte[] in = part.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '%') {
                out.write(in[i]);
            } else if (i + 2 < in.length && HexFormat.isHexDigit(in[i + 1]) && HexFormat.isHexDigit(in[i + 2])) {
                out.write(HexFormat.fromHexDigit(in[i + 1]) << 4 | HexFormat.fromHexDigit(in[i + 2]));
                i += 2;
            } else {
                return part;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
