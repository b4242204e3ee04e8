package io.tidemark.common.topic;

/**
 * The record headers of a relay topic ({@link TopicCatalog#relay}) that readers other than dm-service's rely on: the
 * coordinator's purge-relay finds where a binlog file begins in the relay by them. dm-service writes them.
 */
public final class RelayHeaders {
    /** the binlog file the record's event is in, as the source names it */
    public static final String FILE = "file";

    private RelayHeaders() {
    }
}
