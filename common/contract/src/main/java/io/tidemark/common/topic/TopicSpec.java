package io.tidemark.common.topic;

import java.util.List;

/** How a topic of the {@link TopicCatalog} is created; services declare all of them, whichever starts first creates them. */
public record TopicSpec(String name, boolean compacted) {
    /** @deprecated until every service takes its names from an injected {@link TopicCatalog} */
    @Deprecated(forRemoval = true)
    public static List<TopicSpec> all() {
        return TopicCatalog.DEFAULT.specs();
    }
}
