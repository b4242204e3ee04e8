package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The files of a data source set against the tables an import must fill: which files each table got, which tables
 * got none, and which files no rule took. Names match regardless of case, as TiDB matches them by default.
 */
public final class Coverage {
    private static final int HINTS = 3;

    private final Mydumper mydumper;
    private final List<TableRef> selected;
    private final Map<String, List<RoutedFile>> byTable = new LinkedHashMap<>();
    private final List<RoutedFile> ignored = new ArrayList<>();
    private final List<String> unmatched;

    Coverage(Mydumper mydumper, Collection<TableRef> selected, List<RoutedFile> routed, List<String> unmatched) {
        this.mydumper = mydumper;
        this.selected = List.copyOf(selected);
        this.unmatched = List.copyOf(unmatched);
        for (RoutedFile f : routed) {
            if (f.type() == SourceType.IGNORE) {
                ignored.add(f);
            } else {
                byTable.computeIfAbsent(key(f.schema(), f.table()), k -> new ArrayList<>()).add(f);
            }
        }
    }

    private static String key(String schema, String table) {
        return schema.toLowerCase(Locale.ROOT) + '\u0000' + table.toLowerCase(Locale.ROOT);
    }

    /** the files routed to the table, data and schema files alike */
    public List<RoutedFile> files(TableRef table) {
        return List.copyOf(byTable.getOrDefault(key(table.schema(), table.table()), List.of()));
    }

    /** the files routed to the table that hold rows (sql, csv, parquet) */
    public List<RoutedFile> dataFiles(TableRef table) {
        return files(table).stream().filter(f -> f.type().data()).toList();
    }

    /** the selected tables no data file was routed to */
    public List<TableRef> withoutData() {
        return selected.stream().filter(t -> dataFiles(t).isEmpty()).toList();
    }

    /** the selected tables no {@code CREATE TABLE} file was routed to */
    public List<TableRef> withoutSchema() {
        return selected.stream()
                .filter(t -> files(t).stream().noneMatch(f -> f.type() == SourceType.TABLE_SCHEMA)).toList();
    }

    /** the paths no rule matched */
    public List<String> unmatched() {
        return unmatched;
    }

    /** the paths an {@code ignore} rule took */
    public List<RoutedFile> ignored() {
        return List.copyOf(ignored);
    }

    /**
     * the paths no rule took that look like the table's by their name — a {@code mydb.orders} folder as Aurora writes
     * it, or a {@code mydb.orders.…} or {@code mydb.orders-schema.sql} file as Dumpling does: what the user looks at
     * to see why a rule missed them
     */
    public List<String> unmatchedLike(TableRef table) {
        String name = (table.schema() + "." + table.table()).toLowerCase(Locale.ROOT);
        List<String> like = new ArrayList<>();
        List<String> candidates = new ArrayList<>(unmatched);
        ignored.forEach(f -> candidates.add(f.path()));
        for (String path : candidates) {
            String[] segments = path.toLowerCase(Locale.ROOT).split("/");
            String last = segments[segments.length - 1];
            boolean folder = false;
            for (int i = 0; i < segments.length - 1; i++) {
                folder |= segments[i].equals(name);
            }
            if (folder || last.startsWith(name + ".") || last.startsWith(name + "-schema")) {
                like.add(path);
            }
        }
        return like;
    }

    /**
     * Fails when a selected table got no data file, naming each such table, the files that look like its own and the
     * rule to widen — TiDB Lightning would import the other tables and say nothing of it.
     */
    public void requireData() {
        List<Problem> problems = new ArrayList<>();
        for (TableRef t : withoutData()) {
            problems.add(missing(t, "data file"));
        }
        if (!problems.isEmpty()) {
            throw new LightningConfigException(problems);
        }
    }

    /** as {@link #requireData()}, for the {@code CREATE TABLE} files of a schema import */
    public void requireSchema() {
        List<Problem> problems = new ArrayList<>();
        for (TableRef t : withoutSchema()) {
            problems.add(missing(t, "CREATE TABLE file"));
        }
        if (!problems.isEmpty()) {
            throw new LightningConfigException(problems);
        }
    }

    private Problem missing(TableRef table, String kind) {
        List<String> like = unmatchedLike(table);
        String seen = like.isEmpty() ? "; the source holds no file named after it"
                : "; " + like.stream().limit(HINTS).collect(Collectors.joining(", "))
                + (like.size() > HINTS ? " and " + (like.size() - HINTS) + " more" : "")
                + (like.size() == 1 ? " looks like its own but matched no rule" : " look like its own but matched"
                + " no rule");
        String odd = odd(table);
        List<FileRule> rules = mydumper.files().stream().filter(r -> !r.ignoreRule()).toList();
        Origin origin = mydumper.origin();
        if (rules.isEmpty()) {
            return new Problem(origin.file(), origin.path("filter"), origin.at("filter"), null, "selects "
                    + table.quoted() + ", but no " + kind + " was routed to it" + seen,
                    "export the table's files into data-source-dir, add a [[mydumper.files]] rule that matches"
                            + " them, or exclude the table from the filter (\"!" + table + "\")");
        }
        FileRule rule = rules.getFirst();
        Origin at = rule.origin();
        String widen = odd.isEmpty() ? "widen the pattern of " + rule.describe() + " so that it matches the table's"
                + " files" : "widen the pattern of " + rule.describe() + ": the name holds " + odd + ", which a"
                + " class such as [a-z0-9_]+ does not admit — write [^/.]+ (anything but / and .) in its place";
        return new Problem(at.file(), at.path(rule.pattern() != null ? "pattern" : "path"),
                at.at(rule.pattern() != null ? "pattern" : "path"), null, "matches no " + kind + " of "
                + table.quoted() + ", which the filter selects" + seen, widen + ", or exclude the table"
                + " from the filter (\"!" + table + "\")");
    }

    /** the characters of the table's names outside letters, digits and underscore, e.g. "`$`" */
    private static String odd(TableRef table) {
        return (table.schema() + table.table()).codePoints()
                .filter(cp -> !Character.isLetterOrDigit(cp) && cp != '_').distinct()
                .mapToObj(cp -> "`" + Character.toString(cp) + "`").collect(Collectors.joining(", "));
    }
}
