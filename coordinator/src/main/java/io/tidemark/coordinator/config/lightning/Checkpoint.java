package io.tidemark.coordinator.config.lightning;

import java.util.Locale;

/**
 * The {@code [checkpoint]} section, as written. Tidemark checkpoints every chunk in the target's meta schema
 * ({@code tidemark_meta}), where all its workers reach it, whatever the section says; where the file asks for
 * something else (no checkpoints, a local file, another schema or database) the file's notes say so.
 *
 * @param dsn as written; never printed
 */
public record Checkpoint(boolean enable, Driver driver, String schema, String dsn, KeepAfterSuccess keepAfterSuccess,
                         Origin origin) {
    /** where TiDB Lightning keeps its checkpoints */
    public enum Driver { FILE, MYSQL }

    /** what TiDB Lightning does with its checkpoints after success: {@code false} = remove, {@code true} = rename */
    public enum KeepAfterSuccess { REMOVE, RENAME, ORIGIN }

    static final String DEFAULT_SCHEMA = "tidb_lightning_checkpoint";
    private static final String WHERE = "Tidemark keeps the checkpoint of every chunk in the target's tidemark_meta"
            + " schema, where all its workers reach it";

    public Checkpoint {
        Checks c = new Checks(origin);
        if (schema == null || schema.isBlank()) {
            c.fail("schema", schema, "must name a schema", "write schema = \"" + DEFAULT_SCHEMA + "\"");
        }
        driver = driver == null ? Driver.FILE : driver;
        dsn = dsn == null ? "" : dsn;
        keepAfterSuccess = keepAfterSuccess == null ? KeepAfterSuccess.REMOVE : keepAfterSuccess;
        c.done();
    }

    static Checkpoint defaults() {
        return new Checkpoint(true, Driver.FILE, DEFAULT_SCHEMA, "", KeepAfterSuccess.REMOVE, Origin.of("checkpoint"));
    }

    static Checkpoint read(TomlSection s) {
        boolean enable = s.bool("enable").orElse(true);
        if (!enable) {
            s.note("enable", "Tidemark always checkpoints each chunk, so a restarted import resumes where it"
                    + " stopped instead of starting over");
        }
        Driver driver = s.string("driver").map(d -> switch (d.strip().toLowerCase(Locale.ROOT)) {
            case "file" -> Driver.FILE;
            case "mysql" -> Driver.MYSQL;
            default -> {
                s.fail("driver", d, "is not one of \"file\", \"mysql\"", "write driver = \"mysql\"");
                yield null;
            }
        }).orElse(Driver.FILE);
        if (s.has("driver") && driver == Driver.FILE) {
            s.note("driver", WHERE + ", not in a local file");
        }
        String schema = s.string("schema").orElse(DEFAULT_SCHEMA);
        if (s.has("schema")) {
            s.note("schema", WHERE + ", not in " + schema);
        }
        String dsn = s.string("dsn").orElse("");
        if (!dsn.isEmpty()) {
            s.note("dsn", WHERE + ", not in the database dsn names");
        }
        KeepAfterSuccess keep = s.raw("keep-after-success").map(v -> switch (v) {
            case Boolean b -> b ? KeepAfterSuccess.RENAME : KeepAfterSuccess.REMOVE;
            case String w when w.equalsIgnoreCase("remove") || w.equalsIgnoreCase("false") -> KeepAfterSuccess.REMOVE;
            case String w when w.equalsIgnoreCase("rename") || w.equalsIgnoreCase("true") -> KeepAfterSuccess.RENAME;
            case String w when w.equalsIgnoreCase("origin") -> KeepAfterSuccess.ORIGIN;
            default -> {
                s.fail("keep-after-success", v, "is not one of true, false, \"remove\", \"rename\", \"origin\"",
                        "write keep-after-success = false");
                yield null;
            }
        }).orElse(KeepAfterSuccess.REMOVE);
        return new Checkpoint(enable, driver, schema, dsn, keep, s.origin());
    }

    @Override
    public String toString() {
        return "Checkpoint[enable=" + enable + ", driver=" + driver + ", schema=" + schema + ", dsn="
                + (dsn.isEmpty() ? "" : "(hidden)") + ", keepAfterSuccess=" + keepAfterSuccess + "]";
    }
}
