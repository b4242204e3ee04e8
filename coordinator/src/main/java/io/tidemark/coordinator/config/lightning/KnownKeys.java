package io.tidemark.coordinator.config.lightning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of a TiDB Lightning file, per section: those Tidemark reads (some only to note what it does instead), and
 * those TiDB Lightning knows but Tidemark does not implement, each with why. A key in neither list is unknown: the
 * message suggests the nearest known one. Nothing is ignored silently.
 */
final class KnownKeys {
    /** @param keys the keys Tidemark reads, sub-sections included; @param unsupported Lightning's other keys → why */
    record Section(String path, List<String> keys, Map<String, String> unsupported) {
    }

    private static final String PHYSICAL = "it tunes TiDB Lightning's physical import into TiKV; Tidemark imports"
            + " through the target's SQL interface and has nothing it could apply it to";
    private static final String LOGICAL_BATCH = "Tidemark sizes its own batches (tidemark.lightning.* settings of"
            + " the lightning-service), per chunk";
    private static final String CHECKSUM_KNOB = "it tunes TiDB's ADMIN CHECKSUM and ANALYZE; Tidemark verifies"
            + " each chunk with its own SQL checksum";

    static final String ROOT = "";
    private static final Map<String, Section> SECTIONS = new LinkedHashMap<>();

    static {
        add(ROOT, List.of("lightning", "tidb", "mydumper", "tikv-importer", "conflict", "checkpoint", "post-restore",
                "cron", "security", "routes"), Map.of());
        add("lightning", List.of("level", "file", "max-size", "max-days", "max-backups", "region-concurrency",
                "table-concurrency", "max-error", "check-requirements"), Map.of(
                "index-concurrency", "it sets how many index engines TiDB Lightning's physical import opens; " + PHYSICAL,
                "io-concurrency", "it limits TiDB Lightning's local file reads; Tidemark bounds its readers itself",
                "meta-schema-name", "it belongs to TiDB Lightning's parallel physical import",
                "task-info-schema-name", "Tidemark reports failed rows in its status API, not in a task-info schema",
                "max-error-records", "it is deprecated in TiDB Lightning (use conflict.max-record-rows), which"
                        + " Tidemark does not implement either",
                "status-addr", "Tidemark's progress is served by the coordinator's status API",
                "server-mode", "the coordinator is Tidemark's server: submit the file with `tidemark import`",
                "enable-diagnose-logs", "Tidemark's services log through their own configuration",
                "pprof-port", "Tidemark's services expose metrics through their actuator endpoints"));
        add("lightning.max-error", List.of("type", "syntax"), Map.of(
                "charset", "Tidemark converts no character sets, so there are no charset errors to tolerate",
                "conflict", "it is deprecated in TiDB Lightning in favour of conflict.threshold, which Tidemark"
                        + " does not implement"));
        add("tidb", List.of("host", "port", "user", "password", "status-port", "pd-addr", "log-level", "tls",
                "security"), Map.of(
                "sql-mode", "Tidemark's sessions set their own SQL mode, the one its import and checksum rely on",
                "max-allowed-packet", "Tidemark sizes its statements to the target's own max_allowed_packet",
                "distsql-scan-concurrency", CHECKSUM_KNOB,
                "build-stats-concurrency", CHECKSUM_KNOB,
                "index-serial-scan-concurrency", CHECKSUM_KNOB,
                "checksum-table-concurrency", CHECKSUM_KNOB,
                "session-vars", "Tidemark's sessions set their own variables"));
        add("tidb.security", List.of("ca-path", "cert-path", "key-path"), Map.of(
                "redact-info-log", "Tidemark never logs passwords or keys, whatever this says"));
        add("security", List.of("ca-path", "cert-path", "key-path"), Map.of(
                "redact-info-log", "Tidemark never logs passwords or keys, whatever this says"));
        add("mydumper", List.of("data-source-dir", "filter", "no-schema", "character-set", "strict-format", "csv",
                "files", "default-file-rules"), Map.of(
                "read-block-size", "Tidemark reads files in its own bounded buffers",
                "batch-size", PHYSICAL,
                "batch-import-ratio", PHYSICAL,
                "source-id", "it names a source for TiDB Lightning's parallel import",
                "max-region-size", "Tidemark cuts files into chunks by its own chunk size",
                "case-sensitive", "Tidemark matches schema and table names as the target does",
                "data-character-set", "Tidemark reads data files as they are, without converting character sets",
                "data-invalid-char-replace", "Tidemark reads data files as they are, without converting character sets",
                "ignore-data-columns", "Tidemark imports every column of a data file"));
        add("mydumper.csv", List.of("separator", "delimiter", "terminator", "header", "not-null", "null",
                "backslash-escape", "trim-last-separator"), Map.of(
                "header-schema-match", "Tidemark maps a CSV header to the columns by name whenever header = true",
                "escaped-by", "only backslash-escape = true (a backslash escapes) is implemented"));
        add("mydumper.files", List.of("pattern", "path", "schema", "table", "type", "key", "compression"), Map.of());
        add("tikv-importer", List.of("backend", "on-duplicate", "sorted-kv-dir", "incremental-import",
                "parallel-import"), physicalImporterKeys());
        add("conflict", List.of("strategy"), Map.of(
                "precheck-conflict-before-import", PHYSICAL,
                "threshold", "Tidemark stops at the first conflict under strategy \"error\" and counts none under"
                        + " \"replace\" or \"ignore\"",
                "max-record-rows", "Tidemark records no conflicting rows in a table"));
        add("checkpoint", List.of("enable", "driver", "schema", "dsn", "keep-after-success"), Map.of());
        add("post-restore", List.of("checksum", "analyze"), Map.of(
                "checksum-via-sql", CHECKSUM_KNOB,
                "compact", PHYSICAL,
                "level-1-compact", PHYSICAL,
                "post-process-at-last", PHYSICAL));
        add("cron", List.of("switch-mode", "log-progress", "check-disk-quota"), Map.of());
        add("routes", List.of("schema-pattern", "table-pattern", "target-schema", "target-table"), Map.of(
                "extract-table", "DM's column extraction is not implemented by Tidemark's import",
                "extract-schema", "DM's column extraction is not implemented by Tidemark's import",
                "extract-source", "DM's column extraction is not implemented by Tidemark's import"));
    }

    private KnownKeys() {
    }

    private static Map<String, String> physicalImporterKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : List.of("addr", "max-kv-pairs", "send-kv-pairs", "send-kv-size", "compress-kv-pairs",
                "region-split-size", "region-split-keys", "region-split-batch-size", "region-split-concurrency",
                "region-check-backoff-limit", "disk-quota", "range-concurrency", "keyspace-name", "add-index-by-sql",
                "engine-mem-cache-size", "local-writer-mem-cache-size", "store-write-bwlimit",
                "pause-pd-scheduler-scope", "block-size")) {
            keys.put(key, PHYSICAL);
        }
        keys.put("duplicate-resolution", "it is TiDB Lightning's deprecated physical-mode conflict setting; write"
                + " conflict.strategy (or on-duplicate) instead");
        keys.put("logical-import-batch-size", LOGICAL_BATCH);
        keys.put("logical-import-batch-rows", LOGICAL_BATCH);
        keys.put("logical-import-prep-stmt", LOGICAL_BATCH);
        return keys;
    }

    private static void add(String path, List<String> keys, Map<String, String> unsupported) {
        SECTIONS.put(path, new Section(path, keys, unsupported));
    }

    /** the catalog of a section by its path, array indexes dropped ({@code mydumper.files[2]} → mydumper.files) */
    static Optional<Section> of(String sectionPath) {
        return Optional.ofNullable(SECTIONS.get(sectionPath.replaceAll("\\[\\d+]", "")));
    }

    /** the sections in which a key Tidemark reads lives, for "belongs under [tidb]" */
    static List<String> sectionsHolding(String key) {
        List<String> holders = new ArrayList<>();
        SECTIONS.forEach((path, s) -> {
            if (!path.isEmpty() && s.keys().contains(key)) {
                holders.add(path);
            }
        });
        return holders;
    }
}
