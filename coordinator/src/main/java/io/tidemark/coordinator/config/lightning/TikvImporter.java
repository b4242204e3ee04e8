package io.tidemark.coordinator.config.lightning;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code [tikv-importer]} section. Tidemark always imports logically, through the target's SQL interface — what
 * TiDB Lightning calls {@code backend = "tidb"} — so {@code backend = "local"} (the physical import, TiDB Lightning's
 * default and the seed's choice) and its {@code sorted-kv-dir} are accepted with a note saying so.
 *
 * @param backend           as written; {@link Backend#LOCAL} when not set, as in TiDB Lightning
 * @param onDuplicate       {@code on-duplicate} (TiDB Lightning up to v7); see {@link LightningConfig#onDuplicate()}
 * @param incrementalImport {@code incremental-import} or its newer name {@code parallel-import}: the target tables
 *                          may hold rows already, and the import adds to them
 */
public record TikvImporter(Backend backend, Optional<DuplicateBehaviour> onDuplicate, boolean incrementalImport,
                           Origin origin) {
    /** TiDB Lightning's import modes */
    public enum Backend {
        /** logical import through SQL: what Tidemark does */
        TIDB,
        /** TiDB Lightning's physical import into TiKV; Tidemark imports logically instead */
        LOCAL
    }

    static final String LOCAL_NOTE = "Tidemark imports logically, through the target's SQL interface (as backend ="
            + " \"tidb\" does): no TiKV importer, and the target keeps serving during the import";
    static final String SORTED_KV_NOTE = "Tidemark sorts no key-value files on local disk: rows go to the target"
            + " through SQL, so this directory is not used";

    public TikvImporter {
        backend = backend == null ? Backend.LOCAL : backend;
        onDuplicate = onDuplicate == null ? Optional.empty() : onDuplicate;
    }

    static TikvImporter read(TomlSection s) {
        Backend backend = s.string("backend").flatMap(b -> switch (b.strip().toLowerCase(Locale.ROOT)) {
            case "tidb" -> Optional.of(Backend.TIDB);
            case "local" -> {
                s.note("backend", LOCAL_NOTE);
                yield Optional.of(Backend.LOCAL);
            }
            case "importer" -> {
                s.fail("backend", b, "is the importer backend, removed from TiDB Lightning in v6",
                        "write backend = \"tidb\" (Tidemark imports through SQL whichever you write)");
                yield Optional.empty();
            }
            default -> {
                s.fail("backend", b, "is not one of \"tidb\", \"local\"", "write backend = \"tidb\"");
                yield Optional.empty();
            }
        }).orElse(Backend.LOCAL);
        s.note("sorted-kv-dir", SORTED_KV_NOTE);
        Optional<DuplicateBehaviour> onDuplicate = s.string("on-duplicate").filter(v -> !v.isBlank())
                .flatMap(v -> {
                    Optional<DuplicateBehaviour> b = DuplicateBehaviour.of(v);
                    if (b.isEmpty()) {
                        s.fail("on-duplicate", v, "is not one of \"replace\", \"ignore\", \"error\"",
                                "write on-duplicate = \"replace\" (the row in the file wins)");
                    }
                    return b;
                });
        Optional<Boolean> incremental = s.bool("incremental-import");
        Optional<Boolean> parallel = s.bool("parallel-import");
        if (incremental.isPresent() && parallel.isPresent() && !incremental.equals(parallel)) {
            s.fail("parallel-import", parallel.get(), "contradicts incremental-import = " + incremental.get()
                    + " (line " + s.at("incremental-import").line() + "), its older name", "keep parallel-import"
                    + " only");
        }
        return new TikvImporter(backend, onDuplicate, parallel.or(() -> incremental).orElse(false), s.origin());
    }
}
