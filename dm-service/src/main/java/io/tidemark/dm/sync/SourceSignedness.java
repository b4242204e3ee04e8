package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.tidemark.common.table.TableRef;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which integer columns of a table map are UNSIGNED on the source, taken from the first of:
 * <ol>
 * <li>the table map's optional metadata, written with the row: exact (MySQL 8 and Aurora MySQL 3 by default,
 *     {@code binlog_row_metadata=MINIMAL}; MariaDB 10.5+ when {@code binlog_row_metadata} is MINIMAL or FULL);</li>
 * <li>the source's own definition, when its integer columns have the widths the table map shows: the source is the
 *     authority on its columns, while the target's may have been created by hand (an INT UNSIGNED source column in an
 *     INT target must fail on 4294967295, not arrive as -1);</li>
 * <li>the target's definition when its widths match (DM's tracked schema: DDL is replayed in binlog order, so an
 *     imported table follows the source);</li>
 * <li>else unknown, which only matters for a cell whose top bit is set: that one is refused rather than guessed.</li>
 * </ol>
 * What 2 cannot see: a statement that changed nothing but a column's signedness, run on the source after the row was
 * written and before it is replayed (the definition is read again after every DDL the stream meets). 1 leaves no gap.
 * Not thread-safe: one per sync session.
 */
final class SourceSignedness {
    /** the source's definition of a table as it is now; empty when the source does not show it */
    interface SourceDefinitions {
        Optional<List<Column>> columns(TableRef table);
    }

    private final SourceDefinitions source;
    private final Map<TableRef, Optional<List<Column>>> sourceColumns = new HashMap<>();
    /** the last answer per target table: every row event asks again with a new but equal table map */
    private final Map<TableRef, Answer> answers = new HashMap<>();

    private record Answer(byte[] codes, BitSet signedness, TableSchema target, SourceTypes types) {
        boolean answers(byte[] codes, BitSet signedness, TableSchema target) {
            return this.target == target && Arrays.equals(this.codes, codes) && Objects.equals(this.signedness, signedness);
        }
    }

    SourceSignedness(SourceDefinitions source) {
        this.source = source;
    }

    SourceTypes of(TableMapEventData map, TableSchema target) {
        byte[] codes = map.getColumnTypes();
        TableMapEventMetadata metadata = map.getEventMetadata();
        BitSet signedness = metadata == null ? null : metadata.getSignedness();
        Answer last = answers.get(target.table());
        if (last != null && last.answers(codes, signedness, target)) {
            return last.types();
        }
        SourceTypes types = decide(codes, metadata, target);
        answers.put(target.table(), new Answer(codes, signedness, target, types));
        return types;
    }

    private SourceTypes decide(byte[] codes, TableMapEventMetadata metadata, TableSchema target) {
        if (metadata != null && metadata.getSignedness() != null) {
            return new SourceTypes(codes, metadata.getSignedness(), new BitSet(), "the binlog's table map");
        }
        SourceTypes probe = new SourceTypes(codes, new BitSet(), new BitSet(), "");
        if (!probe.hasIntegers()) {
            return probe;
        }
        Optional<List<Column>> onSource = sourceColumns.computeIfAbsent(target.table(), source::columns);
        if (onSource.isPresent() && sameIntegers(codes, onSource.get())) {
            return new SourceTypes(codes, unsigned(onSource.get()), new BitSet(), "the source's definition");
        }
        if (sameIntegers(codes, target.columns())) {
            return new SourceTypes(codes, unsigned(target.columns()), new BitSet(), "the target's definition");
        }
        BitSet unknown = new BitSet();
        for (int i = 0; i < codes.length; i++) {
            if (SourceTypes.integerBits(codes[i] & 0xFF) > 0) {
                unknown.set(i);
            }
        }
        return new SourceTypes(codes, new BitSet(), unknown, "nothing");
    }

    /** after a DDL: the source's definitions are read again when next needed */
    void invalidateAll() {
        sourceColumns.clear();
        answers.clear();
    }

    /** a definition describes the row image when it has its columns and every integer column has its width */
    static boolean sameIntegers(byte[] codes, List<Column> columns) {
        if (columns.size() != codes.length) {
            return false;
        }
        for (int i = 0; i < codes.length; i++) {
            int bits = SourceTypes.integerBits(codes[i] & 0xFF);
            if (bits > 0 && columns.get(i).integerBits() != bits) {
                return false;
            }
        }
        return true;
    }

    private static BitSet unsigned(List<Column> columns) {
        BitSet out = new BitSet();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).unsigned()) {
                out.set(i);
            }
        }
        return out;
    }
}
