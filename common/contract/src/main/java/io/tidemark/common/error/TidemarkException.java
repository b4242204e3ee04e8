package io.tidemark.common.error;

/** The one exception type Tidemark raises for a fault a user may see. Its message names the thing, the cause and the fix. */
public class TidemarkException extends RuntimeException {
    private final ErrorCode error;
    private final String detail;

    public TidemarkException(ErrorCode error, Object... args) {
        this(error, null, args);
    }

    public TidemarkException(ErrorCode error, Throwable cause, Object... args) {
        super(error.code() + " " + error.format(args) + " — remedy: " + error.remedy(), cause);
        this.error = error;
        this.detail = error.format(args);
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
