package io.tidemark.coordinator.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidemark.common.table.TableRef;

import java.util.List;

/**
 * One table's verdict.
 *
 * @param source      the table on the source
 * @param target      the table it is migrated to (its routed name)
 * @param chunks      how many key ranges were compared
 * @param differences the chunks that still differed after the re-check
 * @param problem     why the table could not be compared chunk by chunk (missing on one side, other columns); null
 *                    when it was
 */
public record TableReport(TableRef source, TableRef target, int chunks, List<ChunkDifference> differences,
                          String problem) {
    public TableReport {
        differences = List.copyOf(differences);
    }

    static TableReport uncomparable(TableRef source, TableRef target, String problem) {
        return new TableReport(source, target, 0, List.of(), problem);
    }

    /** true when every chunk holds the same rows on both sides */
    @JsonProperty("equal")
    public boolean equal() {
        return problem == null && differences.isEmpty();
    }
}
