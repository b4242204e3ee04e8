package io.tidemark.coordinator.config.lightning;

import org.tomlj.TomlTable;

import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@code [lightning]} section: how much runs at once and how many bad rows are tolerated.
 *
 * @param regionConcurrency TiDB Lightning's data concurrency (its default: the CPU count); for Tidemark, how many
 *                          chunks of this import are written at once; empty = the lightning-service's own setting
 * @param tableConcurrency  how many tables are imported at once; empty = the lightning-service's own setting
 * @param maxTypeErrors     {@code max-error} (or {@code max-error.type}): how many rows with a value the target
 *                          column cannot take are skipped before the import stops; 0, the default, tolerates none
 * @param checkRequirements whether the checks before the import run ({@code check-requirements}, default true)
 */
public record Lightning(OptionalInt regionConcurrency, OptionalInt tableConcurrency, long maxTypeErrors,
                        boolean checkRequirements, Origin origin) {
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "warning", "error", "dpanic", "panic",
            "fatal");
    static final String LOG_NOTE = "it sets tidb-lightning's own log; Tidemark's services log through their own"
            + " configuration, and the tidemark client prints the import's progress";

    public Lightning {
        Checks c = new Checks(origin);
        if (regionConcurrency.isPresent() && regionConcurrency.getAsInt() < 1) {
            c.fail("region-concurrency", regionConcurrency.getAsInt(), "must be at least 1",
                    "write region-concurrency = 8 or leave it out for the lightning-service's own setting");
        }
        if (tableConcurrency.isPresent() && tableConcurrency.getAsInt() < 1) {
            c.fail("table-concurrency", tableConcurrency.getAsInt(), "must be at least 1",
                    "write table-concurrency = 6 or leave it out for the lightning-service's own setting");
        }
        if (maxTypeErrors < 0) {
            c.fail("max-error", maxTypeErrors, "must not be negative (TiDB Lightning ignores a negative value"
                    + " silently; Tidemark does not)", "write max-error = 0 to tolerate no bad row, or the number"
                    + " of rows that may be skipped");
        }
        c.done();
    }

    static Lightning defaults() {
        return new Lightning(OptionalInt.empty(), OptionalInt.empty(), 0, true, Origin.of("lightning"));
    }

    static Lightning read(TomlSection s) {
        s.string("level").ifPresent(level -> {
            if (!LEVELS.contains(level.toLowerCase(java.util.Locale.ROOT))) {
                s.fail("level", level, "is not a log level", "write level = \"info\" (or debug, warn, error)");
            }
        });
        s.note("level", LOG_NOTE);
        for (String key : new String[]{"file", "max-size", "max-days", "max-backups"}) {
            s.note(key, LOG_NOTE);
        }
        OptionalInt region = s.smallInteger("region-concurrency").map(OptionalInt::of).orElse(OptionalInt.empty());
        OptionalInt table = s.smallInteger("table-concurrency").map(OptionalInt::of).orElse(OptionalInt.empty());
        long maxError = s.raw("max-error").map(v -> maxError(s, v)).orElse(0L);
        boolean check = s.bool("check-requirements").orElse(true);
        return new Lightning(region, table, maxError, check, s.origin());
    }

    /** {@code max-error = N}, or its table form {@code max-error = { type = N }}: only type errors can be tolerated */
    private static long maxError(TomlSection s, Object value) {
        if (value instanceof Long n) {
            return n;
        }
        if (!(value instanceof TomlTable)) {
            s.fail("max-error", value, "is " + TomlValues.kind(value) + "; it must be a whole number or a table"
                    + " { type = N }", "write max-error = 0 (no bad row tolerated) or max-error = { type = 10 }");
            return 0;
        }
        TomlSection sub = s.section("max-error");
        sub.integer("syntax").filter(n -> n != 0).ifPresent(n -> sub.fail("syntax", n, "must be 0: a file that"
                + " does not parse stops the import, in TiDB Lightning as in Tidemark", "remove syntax"));
        return sub.integer("type").orElse(0L);
    }
}
