package io.tidemark.coordinator.api;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * dmctl query-status's {@code masterBinlog}: where a source's binlog is now, read when a task is looked at, so the
 * user sees how far replication is from it. A source that does not answer leaves it out of the view rather than
 * failing the query: the status of a task must show even while its source is down.
 */
@Component
class SourceHeads {
    private static final Logger LOGGER = LoggerFactory.getLogger(SourceHeads.class);

    private final SecretBox secrets;
    private final Timeouts timeouts;

    SourceHeads(SecretBox secrets, Timeouts timeouts) {
        this.secrets = secrets;
        this.timeouts = timeouts;
    }

    Optional<BinlogPosition> now(DatabaseEndpoint source) {
        try (Connection c = Sessions.open(source, secrets.open(source.password()), Side.SOURCE, timeouts, null)) {
            return Optional.of(BinlogPositions.current(c, Flavor.detect(c), source.describe()));
        } catch (SQLException | TidemarkException e) {
            LOGGER.debug("binlog position of {} not read for query-status: {}", source.describe(), e.getMessage());
            return Optional.empty();
        }
    }
}
