package io.tidemark.lightning.plan;

import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.target.SessionText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Which tables the target has, asked of its catalog: the server compares the names as it compares them itself. */
final class TargetTables {
    private TargetTables() {
    }

    /** those of {@code tables} the target has no table (nor view) of, in the given order */
    static List<TableRef> missing(Connection c, Collection<TableRef> tables) throws SQLException {
        List<TableRef> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("SELECT 1 FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"))) {
            for (TableRef t : tables) {
                SessionText.bind(ps, 1, t.schema());
                SessionText.bind(ps, 2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        missing.add(t);
                    }
                }
            }
        }
        return missing;
    }
}
