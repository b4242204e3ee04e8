package io.tidemark.coordinator.config.lightning;

/**
 * A key Tidemark accepts but does not use as TiDB Lightning does, and what it does instead — the seed's
 * physical-import keys ({@code backend = "local"}, {@code sorted-kv-dir}, {@code status-port}, {@code pd-addr}) and
 * tidb-lightning's own log settings. Shown to the user with the accepted file, never silently dropped.
 *
 * @param key  the key's full TOML path, e.g. {@code tikv-importer.sorted-kv-dir}
 * @param line its line in the file
 * @param text what Tidemark does instead
 */
public record Note(String key, int line, String text) {
    @Override
    public String toString() {
        return "line " + line + ": " + key + ": " + text;
    }
}
