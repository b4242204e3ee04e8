package io.tidemark.common.topic;

/**
 * How a topic of the {@link TopicCatalog} is created; services declare all of them, whichever starts first creates them.
 *
 * @param partitions how many partitions; 0 for the installation's default ({@code tidemark.topics.partitions})
 */
public record TopicSpec(String name, boolean compacted, int partitions) {
    /** a topic of the installation's default partition count */
    public TopicSpec(String name, boolean compacted) {
        this(name, compacted, 0);
    }
}
