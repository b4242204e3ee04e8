package io.tidemark.snapshot.dump;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.Prechecks;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.source.SourceFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * What the dump needs of its source, checked when the dump starts: the kit's {@link SourceChecks#forDump()} (login,
 * binary log on, binlog position readable, tables selected, SELECT on each). The coordinator checked all this and more
 * before the migration started; the dump checks again because it is cheap and the source may have changed since (a
 * revoked grant, a dropped table). The facts are read on a session of the dump's {@link SourceSessions}, so cancelling
 * the dump cuts a check held on the source too. Stateless.
 */
public final class DumpPrechecks {
    private static final Logger LOGGER = LoggerFactory.getLogger(DumpPrechecks.class);

    private DumpPrechecks() {
    }

    /**
     * @return the facts the checks passed on: the flavor, the tables to dump
     * @throws TidemarkException     PRECHECKS_FAILED naming every failing item; or, when every failure is retriable
     *                               (the source could not be reached or read), the first of them, to be retried
     * @throws CancellationException the dump was cancelled meanwhile
     */
    public static SourceFacts run(Source source, SourceSessions sessions, TableFilter filter) {
        SourceFacts facts = read(source, sessions, filter);
        if (sessions.cancelled()) {
            // a cut session's failures are no finding about the source
            throw new CancellationException("the dump was cancelled during its prechecks");
        }
        Prechecks.run(SourceChecks.forDump(), facts).throwIfFailed();
        List<TableRef> skipped = facts.tables().value().skipped();
        if (!skipped.isEmpty()) {
            LOGGER.info("not dumped (views and sequences hold no rows of their own): {}", skipped);
        }
        return facts;
    }

    private static SourceFacts read(Source source, SourceSessions sessions, TableFilter filter) {
        SourceSessions.Session session;
        try {
            session = sessions.open(source);
        } catch (TidemarkException e) {
            return SourceFacts.loginFailed(source.endpoint().describe(), source.endpoint().user(), e);
        }
        try (session) {
            return SourceFacts.read(session.connection(), source.endpoint(), filter);
        }
    }
}
