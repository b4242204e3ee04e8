package io.tidemark.snapshot.aurora;

import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code StartExportTask}'s {@code ExportOnly} from the tables the migration's filter selects on the source: AWS takes
 * literal {@code db} and {@code db.table} names only, no wildcards, and refuses names with characters outside
 * {@code [A-Za-z0-9$_]}. A schema whose every table is selected is named whole, which keeps the request short for
 * schemas of thousands of tables.
 */
final class ExportOnly {
    private static final Pattern AWS_NAME = Pattern.compile("[A-Za-z0-9$_]+");

    private ExportOnly() {
    }

    /**
     * @param selected  the tables the filter selects on the source
     * @param allTables every table of the source (the schemas of {@code selected} at least)
     * @return the names to send, in order; empty when a selected name has a character AWS refuses: then the whole
     *         cluster is exported and the import takes only the selected tables
     */
    static Optional<List<String>> of(Collection<TableRef> selected, Collection<TableRef> allTables) {
        Map<String, Set<String>> wanted = bySchema(selected);
        Map<String, Set<String>> present = bySchema(allTables);
        List<String> names = new ArrayList<>();
        for (var e : wanted.entrySet()) {
            String schema = e.getKey();
            // checked before a schema is named whole: a table AWS cannot name is exported in full and filtered at
            // import, never left to the export's own handling of such names
            if (!AWS_NAME.matcher(schema).matches()
                    || !e.getValue().stream().allMatch(t -> AWS_NAME.matcher(t).matches())) {
                return Optional.empty();
            }
            if (e.getValue().equals(present.getOrDefault(schema, Set.of()))) {
                names.add(schema);
            } else {
                e.getValue().forEach(table -> names.add(schema + "." + table));
            }
        }
        return Optional.of(List.copyOf(names));
    }

    private static Map<String, Set<String>> bySchema(Collection<TableRef> tables) {
        Map<String, Set<String>> out = new TreeMap<>();
        tables.forEach(t -> out.computeIfAbsent(t.schema(), s -> new TreeSet<>()).add(t.table()));
        return out;
    }
}
