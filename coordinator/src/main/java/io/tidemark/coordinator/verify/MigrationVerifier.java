package io.tidemark.coordinator.verify;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.table.TableRouter;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.orchestration.Coordinator;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The verified cut-over (sync-diff-inspector's job): waits until a replicating migration has applied the source up
 * to a position, then compares every table it migrates, source against its routed target, chunk by chunk
 * ({@link TableVerifier}). Without a lock, writes keep going while the tables are read, so a chunk that differs is
 * compared again once replication has caught up with the source's then-current position; with {@code lock} the
 * source tables are read-locked from reading the position to the last chunk, and the answer is exact at that point.
 * Runs on the caller's thread with its own two sessions: one verification never holds up another or the coordinator.
 */
@Component
public class MigrationVerifier {
    private static final Logger LOGGER = LoggerFactory.getLogger(MigrationVerifier.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Coordinator coordinator;
    private final SecretBox secrets;
    private final Timeouts timeouts;

    public MigrationVerifier(Coordinator coordinator, SecretBox secrets, Timeouts timeouts) {
        this.coordinator = coordinator;
        this.secrets = secrets;
        this.timeouts = timeouts;
    }

    /**
     * @throws TidemarkException VERIFY_NOT_REPLICATING, VERIFY_CATCH_UP_TIMEOUT, or a source/target failure classified
     */
    public VerifyReport verify(MigrationId id, VerifyOptions options) {
        Migration m = coordinator.get(id);
        requireReplicating(m);
        MigrationSpec spec = m.spec();
        DatabaseEndpoint src = spec.source();
        Connection source = Sessions.open(src, secrets.open(src.password()), Side.SOURCE, timeouts, null);
        Connection target = null;
        String step = "listing the migrated tables";
        try {
            target = Sessions.open(spec.target(), secrets.open(spec.target().password()), Side.TARGET, timeouts,
                    null);
            List<TableRef> tables = selected(source, TableFilter.parse(spec.filter()));
            TableRouter router = TableRouter.of(spec.routes());
            if (options.lock() && !tables.isEmpty()) {
                step = "read-locking the source tables";
                lock(source, tables);
            }
            step = "reading the source's binlog position";
            Flavor flavor = Flavor.detect(source);
            BinlogPosition at = options.at() != null ? options.at()
                    : BinlogPositions.current(source, flavor, src.describe());
            awaitApplied(id, at, options.timeout());
            TableVerifier.CatchUp catchUp = options.lock() ? TableVerifier.CatchUp.NONE
                    : () -> awaitApplied(id, BinlogPositions.current(source, flavor, src.describe()),
                    options.timeout());
            TableVerifier verifier = new TableVerifier(source, target, options.chunkRows());
            List<TableReport> reports = new ArrayList<>(tables.size());
            Connection t = target;
            for (TableRef table : tables) {
                step = "comparing " + table;
                TableRef routed = router.route(table);
                if (router.merges(routed)) {
                    // a shard is only part of its merged table: compared chunk by chunk it would differ everywhere
                    reports.add(TableReport.uncomparable(table, routed, "not compared: " + routed + " merges several"
                            + " source tables (shard merge), of which this is one; compare the union of the shards"
                            + " with it"));
                    continue;
                }
                reports.add(Sessions.withTimeout(source, timeouts.longOperation(), s -> Sessions.withTimeout(t,
                        timeouts.longOperation(), x -> verifier.verify(table, routed, catchUp))));
            }
            VerifyReport report = VerifyReport.of(id.value(), at.file() + ":" + at.pos(), options.lock(), reports);
            LOGGER.info("verified migration {} at {}: {} tables, {}", id.value(), report.position(), reports.size(),
                    report.equal() ? "all equal" : "differences found");
            return report;
        } catch (OnTarget e) {
            throw SqlErrors.classify(e.server(), Side.TARGET, spec.target().describe(), step);
        } catch (SQLException e) {
            // every statement but the comparison's on the target (OnTarget) runs on the source
            throw SqlErrors.classify(e, Side.SOURCE, src.describe(), step);
        } finally {
            unlockQuietly(source, options.lock());
            Sessions.closeQuietly(source);
            Sessions.closeQuietly(target);
        }
    }

    private static void requireReplicating(Migration m) {
        if (!(m.phase() instanceof Phase.Replicating) || !m.spec().mode().replicates()) {
            String why = "its phase is " + m.phase().code() + (m.error() == null ? ""
                    : " after " + m.error().code() + " " + m.error().message());
            throw new TidemarkException(ErrorCode.VERIFY_NOT_REPLICATING, m.id().value(), why);
        }
    }

    /** polls the migration's replication checkpoint until it is at or past {@code at} */
    private void awaitApplied(MigrationId id, BinlogPosition at, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Migration m = coordinator.get(id);
            requireReplicating(m);
            BinlogPosition applied = m.progress().replication();
            if (applied != null && !applied.isBefore(at)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TidemarkException(ErrorCode.VERIFY_CATCH_UP_TIMEOUT, id.value(), at.file() + ":" + at.pos(),
                        timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT), applied == null ? "nothing yet" : applied.file() + ":" + applied.pos());
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TidemarkException(ErrorCode.VERIFY_CATCH_UP_TIMEOUT, e, id.value(),
                        at.file() + ":" + at.pos(), "the interruption", applied);
            }
        }
    }

    /** the source's base tables the migration selects, in name order */
    private static List<TableRef> selected(Connection source, TableFilter filter) throws SQLException {
        TreeSet<TableRef> tables = new TreeSet<>();
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA,"
                + " TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'")) {
            while (rs.next()) {
                TableRef t = TableRef.of(rs.getString(1), rs.getString(2));
                if (filter.matches(t)) {
                    tables.add(t);
                }
            }
        }
        return List.copyOf(tables);
    }

    /** LOCK TABLES … READ: writers wait, readers (the dump, replication's binlog reader) do not */
    private static void lock(Connection source, List<TableRef> tables) throws SQLException {
        StringJoiner sql = new StringJoiner(", ", "LOCK TABLES ", "");
        for (TableRef t : tables) {
            sql.add(t.quoted() + " READ");
        }
        try (Statement st = source.createStatement()) {
            st.execute(sql.toString());
        }
    }

    private static void unlockQuietly(Connection source, boolean locked) {
        if (!locked) {
            return;
        }
        try (Statement st = source.createStatement()) {
            st.execute("UNLOCK TABLES");
        } catch (SQLException e) {
            LOGGER.debug("UNLOCK TABLES failed ({}); closing the session releases the lock", e.getMessage());
        }
    }
}
