package io.tidemark.coordinator.orchestration;

import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.MigrationProgressed;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.Progress;
import io.tidemark.coordinator.migration.TableFigures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A migration's {@code migration-progressed} summary, built from its aggregated state: the table figures are the
 * view's ({@link Progress#tableFigures()}), replication's rate and lag are the ones aggregated; only the rate of the
 * snapshot and import, and the import's ETA, are measured here, between this summary and the previous one.
 *
 * @param event  the summary to publish
 * @param sample what the next summary measures its rates against
 */
record ProgressSummary(MigrationProgressed event, Sample sample) {

    /** the totals a summary was built from, and when */
    record Sample(long rows, long bytesImported, Instant at) {
    }

    /** the size a summary stays within: half of Kafka's default message limit, whatever else the topic carries */
    static final int BUDGET_BYTES = 512 * 1024;

    static ProgressSummary of(Migration m, WorkerId coordinator, Instant now, Sample previous) {
        return of(m, coordinator, now, previous, BUDGET_BYTES);
    }

    static ProgressSummary of(Migration m, WorkerId coordinator, Instant now, Sample previous, int budgetBytes) {
        Progress p = m.progress();
        List<TableFigures> figures = p.tableFigures();
        long rows = 0;
        long bytesImported = 0;
        long bytesTotal = 0;
        for (TableFigures f : figures) {
            rows += f.progress().rowsDumped() + f.rowsImported();
            bytesImported += f.bytesImported();
            bytesTotal += f.bytesTotal();
        }
        Sample sample = new Sample(rows, bytesImported, now);
        double seconds = previous == null ? 0 : Duration.between(previous.at(), now).toMillis() / 1000.0;
        boolean replicating = m.phase() instanceof Phase.Replicating;
        Double rowsPerSecond;
        if (replicating) {
            rowsPerSecond = p.rate() == null ? null : p.rate().rowsPerSecond();
        } else {
            // a retry that starts a stage over counts down: no rate then, rather than a negative one
            rowsPerSecond = seconds <= 0 || rows < previous.rows() ? null : (rows - previous.rows()) / seconds;
        }
        Stage stage = Coordinator.stageOf(m);
        List<MigrationProgressed.Table> tables = figures.stream().map(f -> new MigrationProgressed.Table(
                f.progress().table().toString(), f.progress().rowsDumped(), f.rowsImported(), f.bytesImported(),
                f.bytesTotal(), f.percent())).toList();
        Long eta = eta(m, bytesImported, bytesTotal, previous, seconds);
        Long lag = replicating ? p.lagSeconds() : null;
        String errorCode = m.error() == null ? null : m.error().code();
        IntFunction<MigrationProgressed> first = n -> new MigrationProgressed(MigrationProgressed.idFor(m.id(), now),
                m.id(), coordinator, m.epochs().of(stage), now, stage, m.phase().code(), m.spec().mode(),
                tables.subList(0, n), tables.size() - n, rowsPerSecond, eta, lag, errorCode);
        MigrationProgressed event = first.apply(tables.size());
        // a summary Kafka refused as too large would be reported as the migration's failure (the kit's rule for
        // its status events): a migration of thousands of tables lists the first ones that fit instead
        for (int size = MessageCodec.write(event).length; size > budgetBytes && !event.tables().isEmpty();
             size = MessageCodec.write(event).length) {
            int keep = (int) ((long) event.tables().size() * budgetBytes / size * 9 / 10);
            event = first.apply(Math.max(0, Math.min(keep, event.tables().size() - 1)));
        }
        return new ProgressSummary(event, sample);
    }

    /** seconds until the import's planned bytes are in at the bytes per second since the previous summary */
    private static Long eta(Migration m, long bytesImported, long bytesTotal, Sample previous, double seconds) {
        if (!(m.phase() instanceof Phase.Importing) || !m.progress().importPlanned()) {
            return null;
        }
        long remaining = bytesTotal - bytesImported;
        if (remaining <= 0) {
            return 0L;
        }
        if (seconds <= 0 || bytesImported <= previous.bytesImported()) {
            return null;
        }
        double bytesPerSecond = (bytesImported - previous.bytesImported()) / seconds;
        return (long) Math.ceil(remaining / bytesPerSecond);
    }
}
