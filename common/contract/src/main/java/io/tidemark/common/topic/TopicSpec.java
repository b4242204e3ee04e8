package io.tidemark.common.topic;

/** How a topic of the {@link TopicCatalog} is created; services declare all of them, whichever starts first creates them. */
public record TopicSpec(String name, boolean compacted) {
}
