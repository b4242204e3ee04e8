package io.tidemark.coordinator.precheck;

import io.tidemark.coordinator.precheck.TableDefinition.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What differs between a source table and the target table of the same name, as two lists: the differences that
 * make the target refuse or misplace the source's rows ({@code refusals}), and those the user should only know of
 * ({@code notes}). Two ways to compare, by how the rows will be written:
 * <ul>
 * <li>{@link #exact}: rows go in by position (a table Tidemark would have created): columns, their order, types,
 *     nullability, primary and unique keys must all be the source's.</li>
 * <li>{@link #byName}: rows go in by column name (tables the user created, or replication into imported tables):
 *     every source column must be there with a type its values fit and nullable where the source's is; a target
 *     column the source lacks must be one an INSERT may leave out; other keys are only noted, since updates and
 *     deletes find their rows by the target's keys.</li>
 * </ul>
 */
record TableComparison(List<String> refusals, List<String> notes) {
    static TableComparison exact(TableDefinition source, TableDefinition target) {
        List<String> refusals = new ArrayList<>(columnsByName(source, target, true));
        List<String> sourceOrder = names(source);
        List<String> targetOrder = names(target);
        if (refusals.isEmpty() && !sourceOrder.equals(targetOrder)) {
            refusals.add("the columns are in another order: " + TableDefinitions.list(sourceOrder) + " on the source, "
                    + TableDefinitions.list(targetOrder) + " on the target (rows are written by position)");
        }
        refusals.addAll(keys(source, target));
        return new TableComparison(refusals, List.of());
    }

    static TableComparison byName(TableDefinition source, TableDefinition target) {
        return new TableComparison(columnsByName(source, target, false), keys(source, target));
    }

    boolean same() {
        return refusals.isEmpty() && notes.isEmpty();
    }

    private static List<String> columnsByName(TableDefinition source, TableDefinition target, boolean exact) {
        List<String> out = new ArrayList<>();
        for (Column s : source.columns()) {
            Optional<Column> found = target.column(s.name());
            if (found.isEmpty()) {
                out.add("column `" + s.name() + "` " + s.type() + " is not on the target");
                continue;
            }
            Column t = found.get();
            boolean typeOk = exact ? ColumnTypes.normalize(s.type()).equals(ColumnTypes.normalize(t.type()))
                    : ColumnTypes.fits(s.type(), t.type());
            if (!typeOk) {
                out.add("column `" + s.name() + "` is " + s.type() + " on the source but " + t.type()
                        + " on the target" + (exact ? "" : ", which does not hold every value of it"));
            }
            if (s.nullable() && !t.nullable()) {
                out.add("column `" + s.name() + "` allows NULL on the source but is NOT NULL on the target");
            } else if (exact && !s.nullable() && t.nullable()) {
                out.add("column `" + s.name() + "` is NOT NULL on the source but allows NULL on the target");
            }
        }
        for (Column t : target.columns()) {
            if (source.column(t.name()).isEmpty() && (exact || !t.hasDefault())) {
                out.add("column `" + t.name() + "` " + t.type() + " is not on the source"
                        + (exact ? "" : " and the target needs a value for it (NOT NULL, no default)"));
            }
        }
        return out;
    }

    private static List<String> keys(TableDefinition source, TableDefinition target) {
        List<String> out = new ArrayList<>();
        if (!lower(source.primaryKey()).equals(lower(target.primaryKey()))) {
            out.add("the primary key is " + key(source.primaryKey()) + " on the source but "
                    + key(target.primaryKey()) + " on the target");
        }
        Set<List<String>> sourceUnique = source.uniqueKeys().stream().map(TableComparison::lower)
                .collect(Collectors.toSet());
        Set<List<String>> targetUnique = target.uniqueKeys().stream().map(TableComparison::lower)
                .collect(Collectors.toSet());
        if (!sourceUnique.equals(targetUnique)) {
            out.add("the unique keys are " + keys(source.uniqueKeys()) + " on the source but "
                    + keys(target.uniqueKeys()) + " on the target");
        }
        return out;
    }

    private static List<String> names(TableDefinition d) {
        return d.columns().stream().map(Column::name).map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<String> lower(List<String> columns) {
        return columns.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private static String key(List<String> columns) {
        return columns.isEmpty() ? "none" : TableDefinitions.list(columns);
    }

    private static String keys(List<List<String>> keys) {
        return keys.isEmpty() ? "none" : keys.stream().map(TableDefinitions::list)
                .sorted().collect(Collectors.joining(", "));
    }
}
