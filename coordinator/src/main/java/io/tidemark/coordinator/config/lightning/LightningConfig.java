package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A TiDB Lightning configuration file, read as TiDB Lightning reads it and validated for what Tidemark does with it —
 * the seed's {@code tidb-lightning-schema.toml} and {@code tidb-lightning-data.toml} as they are, once their
 * placeholders are filled in. Sections the file leaves out hold TiDB Lightning's defaults. Keys Tidemark accepts but
 * handles its own way (the physical-import keys, log settings) are listed in {@link #notes()}; any other key it does
 * not implement or know was refused when the file was parsed. Secrets (the password, keys in data-source-dir, a
 * checkpoint dsn) never show in {@link #toString()}.
 *
 * @param fileName the file's name as the user gave it, for messages
 * @param routes   the {@code [[routes]]} rules, in order
 * @param notes    what Tidemark does instead of some keys the file sets, in the file's order
 */
public record LightningConfig(String fileName, Lightning lightning, Tidb tidb, Mydumper mydumper,
                              TikvImporter tikvImporter, Conflict conflict, Checkpoint checkpoint,
                              PostRestore postRestore, Cron cron, List<Route> routes, List<Note> notes) {
    public LightningConfig {
        fileName = fileName == null ? "" : fileName;
        Objects.requireNonNull(lightning, "lightning");
        Objects.requireNonNull(tidb, "tidb");
        Objects.requireNonNull(mydumper, "mydumper");
        Objects.requireNonNull(tikvImporter, "tikvImporter");
        Objects.requireNonNull(conflict, "conflict");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(postRestore, "postRestore");
        Objects.requireNonNull(cron, "cron");
        routes = List.copyOf(routes);
        notes = notes.stream().sorted(Comparator.comparingInt(Note::line)).toList();
        Optional<Problem> clash = duplicatesClash(tikvImporter, conflict);
        if (clash.isPresent()) {
            throw LightningConfigException.of(clash.get());
        }
    }

    /**
     * What the import does with a row whose key the target already holds: {@code [conflict] strategy} (TiDB
     * Lightning v8 on) or {@code [tikv-importer] on-duplicate} (up to v7) — one setting here; the file may give both
     * only when they agree. When it gives neither: {@link DuplicateBehaviour#REPLACE}, as TiDB Lightning's logical
     * import did up to v7 (v8 stops instead; write {@code strategy = "error"} for that).
     */
    public DuplicateBehaviour onDuplicate() {
        return conflict.strategy().or(tikvImporter::onDuplicate).orElse(DuplicateBehaviour.REPLACE);
    }

    /** the key that decided {@link #onDuplicate()}, e.g. {@code conflict.strategy}; empty when the default did */
    public Optional<String> onDuplicateSetBy() {
        if (conflict.strategy().isPresent()) {
            return Optional.of(conflict.origin().path("strategy"));
        }
        return tikvImporter.onDuplicate().map(b -> tikvImporter.origin().path("on-duplicate"));
    }

    /** routes file paths to tables by the {@code [[mydumper.files]]} rules; see {@link FileRouter} */
    public FileRouter fileRouter() {
        return mydumper.fileRouter();
    }

    /**
     * Where a source table goes by the {@code [[routes]]} rules: a rule with a table pattern wins over one without;
     * a table no rule matches keeps its name.
     *
     * @throws LightningConfigException when two rules of the same kind both match the table (as DM refuses), naming
     *                                  both
     */
    public TableRef target(TableRef source) {
        List<Route> tableRules = new ArrayList<>();
        List<Route> schemaRules = new ArrayList<>();
        for (Route r : routes) {
            if (r.matches(source.schema(), source.table())) {
                (r.forTables() ? tableRules : schemaRules).add(r);
            }
        }
        List<Route> deciding = tableRules.isEmpty() ? schemaRules : tableRules;
        if (deciding.size() > 1) {
            Route second = deciding.get(1);
            throw LightningConfigException.of(new Problem(second.origin().file(),
                    second.origin().path("schema-pattern"), second.origin().at("schema-pattern"), null,
                    "routes " + source.quoted() + " as " + deciding.getFirst().describe() + " does; one table must"
                            + " have one target", "narrow the patterns so that one rule matches the table"));
        }
        if (deciding.isEmpty()) {
            return source;
        }
        Route r = deciding.getFirst();
        return TableRef.of(r.targetSchema(), r.targetTable().isEmpty() ? source.table() : r.targetTable());
    }

    static Optional<Problem> duplicatesClash(TikvImporter importer, Conflict conflict) {
        if (importer.onDuplicate().isEmpty() || conflict.strategy().isEmpty()
                || importer.onDuplicate().equals(conflict.strategy())) {
            return Optional.empty();
        }
        Origin c = conflict.origin();
        Position onDuplicate = importer.origin().at("on-duplicate");
        return Optional.of(new Problem(c.file(), c.path("strategy"), c.at("strategy"),
                TomlValues.render(conflict.strategy().get().word()), "contradicts "
                + importer.origin().path("on-duplicate") + " = " + TomlValues.render(importer.onDuplicate().get()
                .word()) + (onDuplicate.known() ? " (line " + onDuplicate.line() + ")" : "") + ": both say what"
                + " to do with a row whose key the target holds", "keep one: conflict.strategy (TiDB Lightning v8"
                + " and later) or on-duplicate (up to v7)"));
    }
}
