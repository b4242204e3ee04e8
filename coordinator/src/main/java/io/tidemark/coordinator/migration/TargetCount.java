package io.tidemark.coordinator.migration;

/**
 * What a mode-import migration's verification found for one table on the target after its import.
 *
 * @param rows     its {@code COUNT(*)}
 * @param valueSum its value checksum ({@code io.tidemark.mysql.checksum.ValueChecksum}), computed only where every
 *                 chunk of the table reported the checksum of its file's values; null otherwise
 */
public record TargetCount(long rows, Long valueSum) {
    public static TargetCount rowsOnly(long rows) {
        return new TargetCount(rows, null);
    }
}
