package io.tidemark.coordinator.precheck;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which checks each mode runs before its first byte moves. */
class MigrationPrechecksTest {
    private static final DatabaseEndpoint EP =
            new DatabaseEndpoint("db", 3306, "u", TestDatabases.secretBox().seal("p"));

    private static List<String> checks(Mode mode, BinlogPosition start) {
        MigrationSpec spec = new MigrationSpec("m", mode, EP, EP, List.of("shop.*"),
                mode.snapshots() ? "file:///tmp/dumps" : null, start, null);
        return MigrationPrechecks.checks(spec).stream().map(Precheck::name).toList();
    }

    @Test
    void fullChecksWhatTheDumpAndTheImportNeed() {
        assertThat(checks(Mode.FULL, null)).containsExactly("source_login", "log_bin", "binlog_position",
                "tables_selected", "select_privilege", "target_login", "target_not_read_only",
                "meta_schema_writable", "target_privileges", "storage_writable", "source_is_not_target", "target_tables",
                "triggers", "routines", "events", "views", "spatial_types", "fulltext_indexes",
                "target_collations", "lower_case_table_names", "row_size");
    }

    @Test
    void allAddsWhatReplicationNeedsAndWarnsOfKeylessTables() {
        assertThat(checks(Mode.ALL, null)).containsExactly("source_login", "log_bin", "binlog_format",
                "binlog_row_image", "binlog_retention", "replication_privileges", "binlog_position",
                "tables_selected", "select_privilege", "target_login", "target_not_read_only",
                "meta_schema_writable", "target_privileges", "storage_writable", "source_is_not_target", "target_tables",
                "keyless_tables", "triggers", "routines", "events", "views", "spatial_types", "fulltext_indexes",
                "target_collations", "lower_case_table_names", "row_size");
    }

    @Test
    void allFromAnExistingAuroraSnapshotAlsoChecksTheGivenStartIsStillInTheBinlog() {
        assertThat(checks(Mode.ALL, BinlogPosition.ofFilePosition("mysql-bin-changelog.000042", 1234)))
                .containsSubsequence("binlog_position", "start_position", "tables_selected");
    }

    @Test
    void incrementalChecksReplicationAndItsStartButNoStorage() {
        assertThat(checks(Mode.INCREMENTAL, BinlogPosition.ofFilePosition("mysql-bin.000003", 4)))
                .containsExactly("source_login", "log_bin", "binlog_format", "binlog_row_image", "binlog_retention",
                        "replication_privileges", "binlog_position", "start_position", "target_login",
                        "target_not_read_only", "meta_schema_writable", "target_privileges", "source_is_not_target", "target_tables",
                        "triggers", "routines", "events", "views", "spatial_types", "fulltext_indexes",
                "target_collations", "lower_case_table_names", "row_size");
    }
}
