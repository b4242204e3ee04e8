package io.tidemark.testkit;

import io.tidemark.common.checksum.TableChecksum;
import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

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

    /** true when every table's digest matches: for Awaitility while replication catches up */
    public static boolean same(LocalMariaDb source, LocalMariaDb target, List<TableRef> tables) {
        try {
            return digests(source, tables).equals(digests(target, tables));
        } catch (Exception e) {
            return false;
        }
    }
}
