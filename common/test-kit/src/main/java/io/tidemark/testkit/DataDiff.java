package io.tidemark.testkit;

import io.tidemark.common.checksum.TableChecksum;
import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The end of every scenario test: row counts and checksums per table, source against target. */
public final class DataDiff {
    private DataDiff() {
    }

    public static List<TableChecksum.Digest> digests(LocalMariaDb db, List<TableRef> tables) throws Exception {
        List<TableChecksum.Digest> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(db)) {
            for (TableRef t : tables) {
                out.add(TableChecksum.of(c, t));
            }
        }
        return out;
    }

    public static void assertSame(LocalMariaDb source, LocalMariaDb target, List<TableRef> tables) throws Exception {
        assertThat(digests(target, tables))
                .as("target digests (rows and checksum) equal the source's")
                .containsExactlyElementsOf(digests(source, tables));
    }

    /**
     * Each source table against the target table it is routed to (its key; its value the target's name): rows and
     * checksum equal, the names aside.
     */
    public static void assertSame(LocalMariaDb source, LocalMariaDb target, Map<TableRef, TableRef> routed)
            throws Exception {
        assertThat(unnamed(digests(target, List.copyOf(routed.values()))))
                .as("target digests (rows and checksum) of %s equal the source's of %s", routed.values(),
                        routed.keySet())
                .containsExactlyElementsOf(unnamed(digests(source, List.copyOf(routed.keySet()))));
    }

    /** as {@link #assertSame(LocalMariaDb, LocalMariaDb, Map)}, true or false: for Awaitility */
    public static boolean same(LocalMariaDb source, LocalMariaDb target, Map<TableRef, TableRef> routed) {
        try {
            return unnamed(digests(source, List.copyOf(routed.keySet())))
                    .equals(unnamed(digests(target, List.copyOf(routed.values()))));
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> unnamed(List<TableChecksum.Digest> digests) {
        return digests.stream().map(d -> d.rows() + " rows, checksum " + d.checksum()).toList();
    }

    /** true when every table's digest matches: for Awaitility while replication catches up */
    public static boolean same(LocalMariaDb source, LocalMariaDb target, List<TableRef> tables) {
        try {
            return digests(source, tables).equals(digests(target, tables));
        } catch (Exception e) {
            return false;
        }
    }
}
