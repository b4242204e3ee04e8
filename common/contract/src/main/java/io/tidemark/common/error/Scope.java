package io.tidemark.common.error;

/** Where a fault comes from: who has to act on it. */
public enum Scope {
    /** the source database (Aurora, MySQL, MariaDB) or what the user configured for it */
    UPSTREAM,
    /** the target database (TiDB, or MySQL/MariaDB standing in for it) */
    DOWNSTREAM,
    /** storage (local disk, S3) */
    STORAGE,
    /** the request or configuration the user gave */
    CONFIG,
    /** Tidemark itself or its Kafka cluster */
    INTERNAL
}
