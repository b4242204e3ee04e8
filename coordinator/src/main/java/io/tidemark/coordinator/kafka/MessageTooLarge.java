package io.tidemark.coordinator.kafka;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

/**
 * A message Kafka refused for its size: {@link ErrorCode#KAFKA_MESSAGE_TOO_LARGE}, fatal, since the same message is
 * refused again however often it is sent. Carries the message, so the one who sent it can tell what did not fit (a
 * migration's state, or which command).
 */
public final class MessageTooLarge extends TidemarkException {
    private final transient Object message;

    MessageTooLarge(Object message, String what, String size, String limit, Throwable cause) {
        super(ErrorCode.KAFKA_MESSAGE_TOO_LARGE, cause, what, size, limit);
        this.message = message;
    }

    /** what was refused */
    public Object message() {
        return message;
    }
}
