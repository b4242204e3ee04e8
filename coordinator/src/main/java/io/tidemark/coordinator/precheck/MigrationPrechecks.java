package io.tidemark.coordinator.precheck;

import io.tidemark.common.command.RouteRule;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.Warning;
import io.tidemark.common.table.TableRouter;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.PrecheckReport;
import io.tidemark.mysql.precheck.Prechecks;
import io.tidemark.mysql.precheck.compat.CompatChecks;
import io.tidemark.mysql.precheck.compat.CompatFacts;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.precheck.storage.StorageChecks;
import io.tidemark.mysql.precheck.target.TargetChecks;
import io.tidemark.mysql.session.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every check a migration's mode needs, run before anything of it is stored or published (DM runs check-task in
 * dm-master too), so that a migration that cannot succeed fails in seconds with every failing item listed, not after
 * hours of dumping:
 * <ul>
 * <li>{@code full}: source login, log_bin and binlog position readable (the dump records it), tables selected and
 *     readable; target login, not read-only, meta schema writable, the account's grants on the migrated schemas
 *     ({@link TargetPrivilegesCheck}); storage writable; source is not target; existing
 *     target tables fit; the TiDB-compatibility items ({@link CompatChecks}: triggers, routines, events and views
 *     not migrated, spatial types, FULLTEXT indexes, collations the target lacks, lower_case_table_names, row
 *     size).</li>
 * <li>{@code all}: as {@code full}, plus binlog_format=ROW, binlog_row_image=FULL, binlog retention (Aurora),
 *     replication privileges; and a warning for tables without a key that no snapshot point keeps exact (not
 *     InnoDB).</li>
 * <li>{@code incremental}: the source's replication checks (the start position still on the source when given), the
 *     target checks, source is not target, existing target tables take the source's columns, the compatibility
 *     items.</li>
 * <li>{@code import}: no source; the target checks, the files' storage (and schema storage) readable, and the target
 *     tables ready for the files ({@link ImportTablesCheck}).</li>
 * </ul>
 * The source and the target are read at once ({@link FactsReader}); every session is bounded by the kit's
 * {@code tidemark.db.*} timeouts. {@code tidemark.coordinator.prechecks=false} switches the checks off, for tests of
 * the orchestration alone, whose endpoints are not real databases. Thread-safe.
 */
@Component
public class MigrationPrechecks {
    private static final Logger LOGGER = LoggerFactory.getLogger(MigrationPrechecks.class);

    private final FactsReader reader;
    private final boolean enabled;

    MigrationPrechecks(SecretBox secrets, Timeouts timeouts, CoordinatorProperties properties) {
        this.reader = new FactsReader(secrets, timeouts);
        this.enabled = properties.prechecks();
        if (!enabled) {
            LOGGER.warn("tidemark.coordinator.prechecks is false: migrations are accepted without checking their"
                    + " source, target and storage");
        }
    }

    /** every check's result, never thrown for a finding; empty when the checks are switched off */
    public PrecheckReport check(MigrationSpec spec) {
        if (!enabled) {
            return new PrecheckReport(List.of());
        }
        long began = System.nanoTime();
        PrecheckReport report = Prechecks.run(checks(spec), reader.read(spec));
        LOGGER.info("prechecks of {} (mode {}): {} failed, {} warned, {} not checked, in {} ms", spec.name(),
                spec.mode().code(), report.failures().size(), report.warnings().size(), report.skipped().size(),
                (System.nanoTime() - began) / 1_000_000);
        return report;
    }

    /**
     * The checks of every source's migration of one DM task ({@code specs}, in order), each source's facts read once,
     * and, where several sources merge into one target table, {@code shard_sources} across them
     * ({@link ShardTablesCheck#acrossSources}), added to the report of each source that writes such a table.
     */
    public List<PrecheckReport> checkTask(List<MigrationSpec> specs) {
        if (!enabled) {
            return specs.stream().map(s -> new PrecheckReport(List.of())).toList();
        }
        List<PrecheckReport> reports = new ArrayList<>();
        Map<String, Collection<TableDefinition>> tables = new LinkedHashMap<>();
        Map<String, TableRouter> routers = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            MigrationSpec spec = specs.get(i);
            MigrationFacts facts = reader.read(spec);
            reports.add(Prechecks.run(checks(spec), facts));
            if (facts.sourceTables().known()) { // where it is not, the source's own report says why
                tables.put(Integer.toString(i), facts.sourceTables().value().values());
                routers.put(Integer.toString(i), TableRouter.of(spec.routes()));
            }
        }
        CheckResult across = specs.size() < 2 ? null : ShardTablesCheck.acrossSources(named(tables, specs),
                named(routers, specs));
        if (across == null) {
            return reports;
        }
        List<PrecheckReport> out = new ArrayList<>();
        for (PrecheckReport r : reports) {
            List<CheckResult> results = new ArrayList<>(r.results());
            results.add(across);
            out.add(new PrecheckReport(results));
        }
        return out;
    }

    /** the map by each spec's source-id where the task named it, else by the spec's name */
    private static <T> Map<String, T> named(Map<String, T> byIndex, List<MigrationSpec> specs) {
        Map<String, T> out = new LinkedHashMap<>();
        byIndex.forEach((i, v) -> out.put(sourceName(specs.get(Integer.parseInt(i))), v));
        return out;
    }

    /** the DM source-id a task's spec reads: its extract-source's source, else the part of its name after the task's */
    private static String sourceName(MigrationSpec spec) {
        return spec.routes().stream().map(RouteRule::source)
                .filter(Objects::nonNull).findFirst()
                .orElse(spec.task() != null && spec.name().startsWith(spec.task() + "-")
                        ? spec.name().substring(spec.task().length() + 1) : spec.name());
    }

    /**
     * {@link #checkTask}, as {@link #require} does for one migration: what each source's checks warned of
     *
     * @throws PrechecksFailed with the first source's report that failed
     */
    public List<List<Warning>> requireTask(List<MigrationSpec> specs) {
        List<List<Warning>> out = new ArrayList<>();
        for (PrecheckReport report : checkTask(specs)) {
            if (!report.failures().isEmpty()) {
                throw new PrechecksFailed(report);
            }
            out.add(report.warnings().stream().map(w -> new Warning(w.name(), w.message(), w.instruction()))
                    .toList());
        }
        return out;
    }

    /**
     * The checks for a new migration.
     *
     * @return what they warned of, to keep on the migration
     * @throws PrechecksFailed listing every failing item, when one failed
     */
    public List<Warning> require(MigrationSpec spec) {
        PrecheckReport report = check(spec);
        if (!report.failures().isEmpty()) {
            throw new PrechecksFailed(report);
        }
        return report.warnings().stream()
                .map(w -> new Warning(w.name(), w.message(), w.instruction()))
                .toList();
    }

    /**
     * The compatibility facts. When they could not be read (the table listing failed, in mode incremental, which
     * does not run tables_selected), every item is a warning naming why, as any unreadable item is.
     */
    private static CompatFacts compat(MigrationFacts f) {
        return f.compat().known() ? f.compat().value() : CompatFacts.unread(f.target().endpoint(), f.compat().error());
    }

    /**
     * Mode all exporting an existing Aurora snapshot replicates from the position the user read before taking it,
     * which may be days old: it must still be in the binlog, as an incremental start must
     */
    private static List<Precheck<SourceFacts>> withStart(BinlogPosition start) {
        List<Precheck<SourceFacts>> checks = new ArrayList<>(SourceChecks.forDumpAndReplication());
        checks.add(checks.indexOf(checks.stream().filter(c -> c.name().equals(SourceChecks.BINLOG_POSITION))
                .findFirst().orElseThrow()) + 1, SourceChecks.startPosition(start));
        return checks;
    }

    /** the mode's checks as one list, so that a check may need one of another part (both logins, say) */
    static List<Precheck<MigrationFacts>> checks(MigrationSpec spec) {
        Mode mode = spec.mode();
        List<Precheck<MigrationFacts>> checks = new ArrayList<>();
        List<Precheck<SourceFacts>> source = switch (mode) {
            case FULL -> SourceChecks.forDump();
            case ALL -> spec.start() == null ? SourceChecks.forDumpAndReplication() : withStart(spec.start());
            case INCREMENTAL -> SourceChecks.forReplication(spec.start());
            case IMPORT -> List.of();
        };
        source.forEach(c -> checks.add(new On<>(c, MigrationFacts::source)));
        TargetChecks.all().forEach(c -> checks.add(new On<>(c, MigrationFacts::target)));
        checks.add(new TargetPrivilegesCheck(mode));
        Function<MigrationFacts, Storage> storage = f -> Storages.open(f.spec().storage());
        if (mode.snapshots()) {
            StorageChecks.all().forEach(c -> checks.add(new On<>(c, storage)));
        }
        if (!mode.readsSource()) {
            checks.add(new On<>(StorageReadable.data(), storage));
            if (spec.imports().schemaStorage() != null) {
                checks.add(new On<>(StorageReadable.schema(),
                        f -> Storages.open(f.spec().imports().schemaStorage())));
            }
            checks.add(new ImportTablesCheck());
            return List.copyOf(checks);
        }
        checks.add(new SameServerCheck());
        checks.add(new TargetTablesCheck(mode));
        if (!spec.routes().isEmpty()) {
            checks.add(new ShardTablesCheck(mode));
        }
        if (mode == Mode.ALL) {
            checks.add(new KeylessTablesCheck());
        }
        CompatChecks.all().forEach(c -> checks.add(new On<>(c, MigrationPrechecks::compat)));
        return List.copyOf(checks);
    }
}
