package io.tidemark.common.layout;

import io.tidemark.common.table.TableRef;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Folder names of an Amazon RDS / Aurora snapshot export, which snapshot-service writes for a Parquet dump,
 * lightning-service reads and the coordinator routes files by:
 * {@code [prefix/]<export-id>/<db>/<db>.<table>/[<batch>/]part-….parquet}, a {@code _SUCCESS} per complete table
 * folder. The table of a file is the deepest {@code <db>/<db>.<table>} pair of folders on its path: the database is
 * the parent folder's name and the table what follows {@code <db>.} — so a database or export folder whose name holds
 * a '.' is never taken for a table.
 * <p>
 * Names go into folder names as they are — dots, spaces, quotes and any letter included — except what cannot be a
 * path segment: '/' becomes {@code %2F}, a leading '.' (a hidden name) {@code %2E}, and '%' itself {@code %25}.
 * Reading undoes exactly these three, so Tidemark's own dumps read back to the same tables; AWS does not document
 * how it writes such names.
 */
public final class ExportLayout {
    /** the marker AWS (and Tidemark) writes into a table folder once the table is complete */
    public static final String SUCCESS = "_SUCCESS";
    /**
     * Tidemark's Parquet footer entry naming the DATETIME/TIMESTAMP columns written as text (values no AWS type
     * holds, such as zero dates): a JSON array of column names
     */
    public static final String TEMPORAL_TEXT_FOOTER = "tidemark.temporal-text";

    private ExportLayout() {
    }

    /** a table's folder and the table it names */
    public record TableFolder(String path, TableRef table) {
    }

    /** {@code <export-id>/<db>/<db>.<table>}, names encoded */
    public static String tableFolder(String exportId, TableRef table) {
        String db = encode(table.schema());
        return exportId + "/" + db + "/" + db + "." + encode(table.table());
    }

    /** the table folder a file lies in, or empty when no pair of folders on its path names a table */
    public static Optional<TableFolder> tableFolderOf(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 2; i >= 1; i--) {
            String db = segments[i - 1];
            String folder = segments[i];
            if (!db.isEmpty() && folder.length() > db.length() + 1 && folder.startsWith(db + ".")) {
                return Optional.of(new TableFolder(String.join("/", Arrays.copyOfRange(segments, 0, i + 1)),
                        TableRef.of(decode(db), decode(folder.substring(db.length() + 1)))));
            }
        }
        return Optional.empty();
    }

    /** a name as a folder name: itself unless it holds '/' or '%' or starts with '.' */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '%' || (i == 0 && c == '.')) {
                out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** undoes {@link #encode}: {@code %2F}, {@code %25} and {@code %2E} (either case); any other '%' stays */
    public static String decode(String folder) {
        if (folder.indexOf('%') < 0) {
            return folder;
        }
        StringBuilder out = new StringBuilder(folder.length());
        for (int i = 0; i < folder.length(); i++) {
            char c = folder.charAt(i);
            if (c == '%' && i + 2 < folder.length()) {
                String hex = folder.substring(i + 1, i + 3).toUpperCase(Locale.ROOT);
                char decoded = switch (hex) {
                    case "2F" -> '/';
                    case "25" -> '%';
                    case "2E" -> '.';
                    default -> 0;
                };
                if (decoded != 0) {
                    out.append(decoded);
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
