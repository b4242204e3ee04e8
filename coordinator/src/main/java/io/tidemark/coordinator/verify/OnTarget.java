package io.tidemark.coordinator.verify;

import java.sql.SQLException;

/**
 * A failure of the target's session during a comparison, told apart from the source's so that it is classified as the
 * target's (its error, its endpoint, its remedy). Carries the server's own error as its cause.
 */
final class OnTarget extends SQLException {
    OnTarget(SQLException cause) {
        super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
    }

    SQLException server() {
        return (SQLException) getCause();
    }
}
