package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.Secret;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.testkit.SilentServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binlog stream's waits are bounded and its failures are the kit's catalog errors, in the user's words. */
class BinlogStreamTest {
    private static final BinlogPosition START = BinlogPosition.ofFilePosition("mysql-bin.000003", 4);

    private static BinlogStream stream(int port, Timeouts timeouts) {
        DatabaseEndpoint source = new DatabaseEndpoint("127.0.0.1", port, "repl", new Secret("env:UNUSED"));
        return new BinlogStream(source, "pw", 4242, START, false, SyncSettings.defaults(), timeouts);
    }

    @Test
    void theReadTimeoutIsThreeHeartbeatIntervals() {
        assertThat(BinlogStream.readTimeout(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(15));
        assertThat(BinlogStream.readTimeout(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aSourceThatAcceptsButNeverAnswersFailsWithinTheConnectTimeout() throws IOException {
        // a server that accepts the TCP connection and never sends the greeting
        Timeouts oneSecond = Timeouts.defaults().withConnect(Duration.ofSeconds(1));
        try (SilentServer silent = SilentServer.start(); BinlogStream stream = stream(silent.port(), oneSecond)) {
            long startNanos = System.nanoTime();

            assertThatThrownBy(stream::open).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
                assertThat(e.detail()).isEqualTo("cannot reach source repl@127.0.0.1:" + silent.port()
                        + ": the binlog stream from mysql-bin.000003:4: no answer within 1 s"
                        + " (tidemark.db.connect-timeout)");
                assertThat(e.retriable()).isTrue();
            });
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aPortNobodyListensOnSaysSo() throws IOException {
        int port = SilentServer.closedPort();
        try (BinlogStream stream = stream(port, Timeouts.defaults())) {
            assertThatThrownBy(stream::open).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
                assertThat(e.detail()).contains("nothing listens on 127.0.0.1:" + port);
            });
        }
    }

    @Test
    void byGtidASourceThatCannotSendAfterTheSetFailsForGoodNamingTheSet() {
        DatabaseEndpoint source = new DatabaseEndpoint("127.0.0.1", 3306, "repl", new Secret("env:UNUSED"));
        BinlogPosition checkpoint = BinlogPosition.of("gone-bin.000009", 1234, "0-1-42");
        try (BinlogStream byGtid = new BinlogStream(source, "pw", 4242, checkpoint, true, SyncSettings.defaults(),
                Timeouts.defaults()); BinlogStream byFile = stream(3306, Timeouts.defaults())) {
            ServerException purged = new ServerException("Could not find GTID state requested by slave in any binlog"
                    + " files. Probably the slave state is too old and required binlog files have been purged.",
                    1236, "HY000");

            TidemarkException e = byGtid.streamError(purged);

            assertThat(e.error()).isEqualTo(ErrorCode.GTID_SET_UNAVAILABLE);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("TM-30029").contains("repl@127.0.0.1:3306").contains("0-1-42")
                    .contains("Could not find GTID state");
            // by file and offset the same error stays retriable: the next attempt's start_position precheck decides
            assertThat(byFile.streamError(purged).error()).isNotEqualTo(ErrorCode.GTID_SET_UNAVAILABLE);
        }
        assertThatThrownBy(() -> new BinlogStream(source, "pw", 4242, START, true, SyncSettings.defaults(),
                Timeouts.defaults())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverErrorsKeepTheirNumberForTheKitsClassifier() {
        try (BinlogStream stream = stream(3306, Timeouts.defaults())) {
            TidemarkException noSlave = stream.streamError(new ServerException("Access denied; you need (at least"
                    + " one of) the REPLICATION SLAVE privilege(s) for this operation", 1227, "42000"));
            TidemarkException refused = stream.streamError(new AuthenticationException("Access denied for user"
                    + " 'repl'@'10.0.0.5' (using password: YES)", 1045, "28000"));

            assertThat(noSlave.error()).isEqualTo(ErrorCode.SOURCE_PRIVILEGE_MISSING);
            assertThat(noSlave.detail()).contains("REPLICATION SLAVE").contains("(error 1227)");
            assertThat(refused.error()).isEqualTo(ErrorCode.SOURCE_ACCESS_DENIED);
            assertThat(refused.retriable()).isFalse();
        }
    }

    @Test
    void aSilentLinkNamesTheHeartbeatSettingItsTimeoutComesFrom() {
        try (BinlogStream stream = stream(3306, Timeouts.defaults())) {
            TidemarkException silent = stream.streamError(new SocketTimeoutException("Read timed out"));

            assertThat(silent.error()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
            assertThat(silent.detail()).isEqualTo("cannot reach source repl@127.0.0.1:3306: the binlog stream from"
                    + " mysql-bin.000003:4: no answer within 15 s (tidemark.dm.heartbeat-interval × 3); raise"
                    + " tidemark.dm.heartbeat-interval × 3 if the server is only slow");
        }
    }
}
