package io.tidemark.lightning.work;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.kit.retry.RetryPolicy;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One run of work under the kit's {@link RetryPolicy}, given to {@code run} as both the attempt and the pauser: the
 * first retriable failure of the run is reported on the status topic (a retriable {@link WorkFailed}, whose remedy
 * says Tidemark retries by itself) so a user sees at once why the work takes long; the policy logs the later ones.
 * One run, one thread.
 *
 * @param <T> what the work yields
 */
public final class FirstFailureReported<T> implements RetryPolicy.Attempt<T>, RetryPolicy.Pauser {
    private final Supplier<T> work;
    private final Function<TidemarkException, WorkFailed> report;
    private final Sender sender;
    private final RetryPolicy.Pauser pauser;
    private TidemarkException last;
    private boolean reported;

    /**
     * @param report how a failure is reported (migration, stage, subject)
     * @param sender sends the report, returning once Kafka took it
     * @param pauser waits between attempts, ending early when the work is stopped
     */
    public FirstFailureReported(Supplier<T> work, Function<TidemarkException, WorkFailed> report, Sender sender,
                                RetryPolicy.Pauser pauser) {
        this.work = work;
        this.report = report;
        this.sender = sender;
        this.pauser = pauser;
    }

    /** sends a status event; throws InterruptedException when the service stops first */
    @FunctionalInterface
    public interface Sender {
        void send(StatusEvent event) throws InterruptedException;
    }

    @Override
    public T run(int attempt) {
        try {
            return work.get();
        } catch (TidemarkException e) {
            last = e;
            throw e;
        }
    }

    @Override
    public void pause(Duration pause) throws InterruptedException {
        if (!reported && last != null) {
            sender.send(report.apply(last));
            reported = true;
        }
        pauser.pause(pause);
    }
}
