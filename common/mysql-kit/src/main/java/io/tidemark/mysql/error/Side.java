package io.tidemark.mysql.error;

/**
 * Which end of a migration a session talks to. The same server error means different things on each: a deadlock is
 * a transient conflict to replay on the target, but only a failed read on the source, which Tidemark never writes.
 */
public enum Side {
    /** the database migrated from (Aurora MySQL, MySQL, MariaDB): only read */
    SOURCE,
    /** the database migrated into (TiDB, or MySQL/MariaDB standing in for it): written */
    TARGET;

    /** {@code source} or {@code target}, as messages say it */
    public String word() {
        return this == SOURCE ? "source" : "target";
    }
}
