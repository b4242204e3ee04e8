package io.tidemark.common.topic;

/** The one catalog of Tidemark's Kafka topics. Names can be prefixed per installation with {@code tidemark.topic-prefix}. */
public final class Topics {
    private Topics() {
    }

    /** compacted; key migration id; the coordinator's durable state, rebuilt on its restart */
    public static final String MIGRATIONS = "tidemark.migrations";
    /** work; key migration id; coordinator → snapshot-service group */
    public static final String SNAPSHOT_COMMANDS = "tidemark.snapshot.commands";
    /** work; key migration id; coordinator → lightning-service group (planning) */
    public static final String IMPORT_COMMANDS = "tidemark.import.commands";
    /** work queue; key chunk id; lightning planner → lightning worker group */
    public static final String IMPORT_CHUNKS = "tidemark.import.chunks";
    /** compacted desired state; key task id; partition assignment = task ownership */
    public static final String REPLICATION_TASKS = "tidemark.replication.tasks";
    /** public event stream; key migration id; every service → coordinator and monitoring */
    public static final String STATUS = "tidemark.status";

    /** consumer groups: one per role, so each role scales on its own */
    public static final String GROUP_COORDINATOR = "tidemark-coordinator";
    public static final String GROUP_SNAPSHOT = "tidemark-snapshot";
    public static final String GROUP_IMPORT_PLANNER = "tidemark-import-planner";
    public static final String GROUP_IMPORT_WORKER = "tidemark-import-worker";
    public static final String GROUP_REPLICATION = "tidemark-replication";
}
