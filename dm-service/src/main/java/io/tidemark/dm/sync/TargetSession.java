package io.tidemark.dm.sync;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The target session a replicator applies changes on: the kit's session (login and every answer bounded by
 * {@code tidemark.db.*}), set up for replaying a binlog. Batched statements are rewritten into multi-row ones, and
 * each statement text is parsed once per session (a batch prepares its statement anew at every change of shape, which
 * profiling showed as a tenth of the applier's time); found-rows semantics tell a fenced checkpoint update from an unchanged one; no foreign key checks (changes arrive in
 * the source's commit order, and a REPLACE must not cascade); strict mode, so a value that does not fit fails loudly
 * instead of being clamped (zero dates stay allowed); NO_AUTO_VALUE_ON_ZERO, so a replicated 0 in an AUTO_INCREMENT
 * column stays 0.
 */
final class TargetSession {
    static final String URL_PARAMETERS = "rewriteBatchedStatements=true&useAffectedRows=false"
            + "&cachePrepStmts=true&prepStmtCacheSize=256&prepStmtCacheSqlLimit=65536";
    static final String SQL_MODE = "STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO";

    private TargetSession() {
    }

    /** @throws io.tidemark.common.error.TidemarkException the login's or the setup's failure, classified */
    static Connection open(DatabaseEndpoint target, String password, Timeouts timeouts) {
        Connection session = Sessions.open(target, password, Side.TARGET, timeouts, URL_PARAMETERS);
        try (Statement st = session.createStatement()) {
            st.execute("SET SESSION sql_mode = '" + SQL_MODE + "'");
            st.execute("SET SESSION foreign_key_checks = 0");
            return session;
        } catch (SQLException e) {
            Sessions.closeQuietly(session);
            throw SqlErrors.classify(e, Side.TARGET, target.describe(), "setting up the session");
        }
    }
}
