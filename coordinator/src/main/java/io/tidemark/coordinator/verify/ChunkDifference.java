package io.tidemark.coordinator.verify;

/**
 * A chunk whose rows differ between source and target, as the report names it.
 *
 * @param range          the chunk's key range ({@link KeyRange#describe()})
 * @param sourceRows     the rows the source holds in it
 * @param targetRows     the rows the target holds in it
 * @param sourceChecksum the source rows' value checksum, as 16 hex digits
 * @param targetChecksum the target rows' value checksum, as 16 hex digits
 */
public record ChunkDifference(String range, long sourceRows, long targetRows, String sourceChecksum,
                              String targetChecksum) {
}
