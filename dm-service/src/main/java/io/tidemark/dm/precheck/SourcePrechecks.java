package io.tidemark.dm.precheck;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.position.BinlogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the prechecks a binlog stream needs, before streaming: log_bin, binlog_format=ROW, binlog_row_image=FULL,
 * replication privileges, and that the start file was not purged. Read-only: the source is never written to.
 * Stateless and thread-safe.
 */
public final class SourcePrechecks {
    private static final Logger LOGGER = LoggerFactory.getLogger(SourcePrechecks.class);

    private SourcePrechecks() {
    }

    /** the checks that do not depend on where streaming starts */
    public static List<CheckResult> beforeStart(Connection source, DatabaseEndpoint endpoint) throws SQLException {
        SourceFacts facts = SourceFacts.read(source, endpoint);
        List<CheckResult> out = new ArrayList<>();
        for (Precheck p : SourceChecks.streaming()) {
            out.add(log(p.check(facts)));
        }
        return out;
    }

    /** the start file is still in SHOW BINARY LOGS */
    public static CheckResult startAvailable(Connection source, DatabaseEndpoint endpoint, BinlogPosition start)
            throws SQLException {
        return log(SourceChecks.binlogPresent(SourceFacts.read(source, endpoint), start));
    }

    private static CheckResult log(CheckResult r) {
        switch (r.state()) {
            case PASS -> LOGGER.debug("precheck {}: {}", r.name(), r.message());
            case WARN -> LOGGER.warn("precheck {} warns: {} — {}", r.name(), r.message(), r.remedy());
            case FAIL -> LOGGER.error("precheck {} failed: {} — {}", r.name(), r.message(), r.remedy());
        }
        return r;
    }
}
