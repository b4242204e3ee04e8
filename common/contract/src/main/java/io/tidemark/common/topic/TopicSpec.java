package io.tidemark.common.topic;

import java.util.List;

/** How a topic of the catalog is created; services declare all of them, whichever starts first creates them. */
public record TopicSpec(String name, boolean compacted) {
    public static List<TopicSpec> all() {
        return List.of(
                new TopicSpec(Topics.MIGRATIONS, true),
                new TopicSpec(Topics.SNAPSHOT_COMMANDS, false),
                new TopicSpec(Topics.IMPORT_COMMANDS, false),
                new TopicSpec(Topics.IMPORT_CHUNKS, false),
                new TopicSpec(Topics.REPLICATION_TASKS, true),
                new TopicSpec(Topics.STATUS, false));
    }
}
