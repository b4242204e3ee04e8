package io.tidemark.common.error;

import java.util.Optional;

/** The one exception type Tidemark raises for a fault a user may see. Its message names the thing, the cause and the fix. */
public class TidemarkException extends RuntimeException {
    private final ErrorCode error;
    private final String detail;
    private final String subject;

    public TidemarkException(ErrorCode error, Object... args) {
        this(error, null, args);
    }

    public TidemarkException(ErrorCode error, Throwable cause, Object... args) {
        super(error.code() + " " + error.format(args) + " — remedy: " + error.remedy(), cause);
        this.error = error;
        this.detail = error.format(args);
        this.subject = null;
    }

    private TidemarkException(TidemarkException e, String subject) {
        super(e.getMessage(), e.getCause());
        this.error = e.error;
        this.detail = e.detail;
        this.subject = subject;
        setStackTrace(e.getStackTrace());
    }

    /**
     * The same failure pinned to what it happened on (a binlog event's {@code FILE:POS}), so whoever reports it
     * carries that as a field of its own instead of leaving readers to find it in the message's text.
     */
    public TidemarkException withSubject(String subject) {
        return new TidemarkException(this, subject);
    }

    /** what the failure happened on, when the raiser knew it better than its reporter */
    public Optional<String> subject() {
        return java.util.Optional.ofNullable(subject);
    }

    public ErrorCode error() {
        return error;
    }

    /** the message without code and remedy */
    public String detail() {
        return detail;
    }

    public boolean retriable() {
        return error.retriable();
    }
}
