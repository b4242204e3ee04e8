package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.mysql.tls.DatabaseTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The source's binlog as a bounded queue of events: the client's reader thread puts, the replicator's thread takes,
 * and a full queue stops the reader (backpressure). The client never reconnects by itself (its own resume point can
 * fall between a TABLE_MAP and its rows): a broken link ends the stream and the replicator resumes from its
 * checkpoint. A cell the client cannot decode ends the stream too — the library would otherwise skip the event.
 *
 * <p>Every wait is bounded. The login by {@code tidemark.db.connect-timeout}. The reads by the heartbeat: the source
 * sends a heartbeat event whenever it has had nothing to send for {@code tidemark.dm.heartbeat-interval}, so a healthy
 * link never stays silent much longer than one interval. The socket's read timeout is {@link #MISSED_HEARTBEATS}
 * intervals: a source that died without closing the connection (host gone, network cut, process frozen), which TCP
 * alone notices only after hours, fails the read within three intervals, and the replicator resumes from its
 * checkpoint. The library's own keep-alive thread stays off, because it reconnects by itself from its own position;
 * TCP keep-alive is on for the kernel's benefit, but the read timeout is what bounds the wait. While the queue is
 * full the reader does not read, so a slow target never trips the timeout.
 *
 * <p>Failures are classified by the kit's {@link SqlErrors}: the library's server errors and socket errors are handed
 * to it as the SQL errors they are.
 *
 * <p>By GTID ({@code byGtid}): the source is asked for what follows the start point's GTID set, not for a file and
 * offset — MariaDB {@code SET @slave_connect_state} with the last GTID per domain, MySQL {@code COM_BINLOG_DUMP_GTID}
 * with the executed set — so a failover to a server whose binlog files are named otherwise, or a renamed file, does not
 * matter. The source's first event (a rotate) then names the file the stream really reads.
 */
public final class BinlogStream implements EventSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(BinlogStream.class);
    /** how many heartbeat intervals of silence mean a dead link */
    static final int MISSED_HEARTBEATS = 3;
    /** the source cannot send from the requested point (purged, never there, or ahead of it) */
    private static final int ER_SOURCE_FATAL_ERROR_READING_BINLOG = 1236;
    private static final String READ_TIMEOUT_SETTING = "tidemark.dm.heartbeat-interval × " + MISSED_HEARTBEATS;

    private final BlockingQueue<Item> queue;
    private final BinaryLogClient client;
    private final DatabaseEndpoint endpoint;
    private final BinlogPosition start;
    private final boolean byGtid;
    private final Duration connectTimeout;
    private final Duration heartbeat;
    private final Duration readTimeout;
    private volatile boolean closing;

    /** @param byGtid ask for what follows {@code start}'s GTID set (it must have one), else for its file and offset */
    BinlogStream(DatabaseEndpoint endpoint, String password, long serverId, BinlogPosition start, boolean byGtid,
                 SyncSettings settings, Timeouts timeouts) {
        this(endpoint, password, serverId, start, byGtid, settings, timeouts, ExactRowsDeserializers.create());
    }

    /**
     * @param deserializer decodes the events; the relay's keeps each event's bytes and leaves rows undecoded, the
     *                     replicator's ({@link ExactRowsDeserializers}) decodes rows exactly
     */
    public BinlogStream(DatabaseEndpoint endpoint, String password, long serverId, BinlogPosition start,
                        boolean byGtid, SyncSettings settings, Timeouts timeouts, EventDeserializer deserializer) {
        if (byGtid && start.gtidSet() == null) {
            throw new IllegalArgumentException("resuming by GTID needs a GTID set: " + start);
        }
        this.endpoint = endpoint;
        this.start = start;
        this.byGtid = byGtid;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.connectTimeout = timeouts.connect();
        this.heartbeat = settings.heartbeatInterval();
        this.readTimeout = readTimeout(heartbeat);
        this.client = new BinaryLogClient(endpoint.host(), endpoint.port(), endpoint.user(), password);
        client.setServerId(serverId);
        if (byGtid) {
            // the library picks the flavor's form from the text; file and offset are not sent (the default)
            client.setGtidSet(start.gtidSet());
        } else {
            client.setBinlogFilename(start.file());
            client.setBinlogPosition(start.pos());
        }
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setHeartbeatInterval(heartbeat.toMillis());
        client.setKeepAlive(false);
        int readMillis = (int) readTimeout.toMillis();
        client.setSocketFactory(() -> {
            Socket socket = new Socket();
            socket.setKeepAlive(true);
            socket.setSoTimeout(readMillis);
            return socket;
        });
        // TLS as every JDBC session of this endpoint has it: the kit reads the PEM material and builds the context
        DatabaseTls tls = DatabaseTls.of(endpoint);
        client.setSSLMode(SSLMode.valueOf(tls.binlogMode()));
        if (tls.settings().enabled()) {
            client.setSslSocketFactory(tls::wrap);
        }
        client.setEventDeserializer(deserializer);
        client.registerEventListener(event -> put(new Received(event)));
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                put(new Broken(streamError(ex)));
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                // the library hands a read that timed out inside an event to this listener instead of the one above
                put(new Broken(causedBy(ex, SocketTimeoutException.class) ? streamError(ex)
                        : new TidemarkException(ErrorCode.INTERNAL, ex, "cannot decode a binlog event of "
                        + endpoint.describe() + " after " + start + ": " + ex.getMessage())));
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                if (!closing) {
                    put(new Broken(new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, endpoint.describe(),
                            "the binlog stream was closed by the source")));
                }
            }
        });
    }

    /** the socket's read timeout: {@link #MISSED_HEARTBEATS} heartbeat intervals */
    static Duration readTimeout(Duration heartbeatInterval) {
        return heartbeatInterval.multipliedBy(MISSED_HEARTBEATS);
    }

    /**
     * Asks MariaDB for its Annotate_rows events too (the statement behind the rows), which it sends a replica only on
     * request and otherwise leaves out of the stream: the relay keeps the binlog whole, with no holes between positions.
     * MySQL is not asked (the library sends the flag to MariaDB only). Before {@link #open()}.
     */
    public void requestAnnotateRows() {
        client.setUseSendAnnotateRowsEvent(true);
    }

    /** logs in and asks for the binlog from the start position, within the connect timeout */
    @Override
    public void open() {
        long startNanos = System.nanoTime();
        try {
            client.connect(connectTimeout.toMillis());
        } catch (TimeoutException e) {
            throw noStreamInTime(e);
        } catch (IOException e) {
            // the library closes the socket of a login that outlasts the connect timeout: that is the timeout too
            if (Duration.ofNanos(System.nanoTime() - startNanos).compareTo(connectTimeout) >= 0) {
                throw noStreamInTime(e);
            }
            throw streamError(e);
        }
        LOGGER.info("binlog stream of {} open {} (heartbeat every {}, a dead link fails within {})", endpoint,
                from(), heartbeat, readTimeout);
    }

    private TidemarkException noStreamInTime(Exception e) {
        long millis = connectTimeout.toMillis();
        return new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, e, endpoint.describe(), "the binlog stream "
                + from() + ": no answer within " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms")
                + " (tidemark.db.connect-timeout)");
    }

    /** @return the next item, or null after the timeout */
    @Override
    public Item poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean drained() {
        return queue.isEmpty();
    }

    private void put(Item item) {
        try {
            while (!closing && !queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                // the applier is behind: wait, which stops the reader from reading further
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The library's failures as the SQL errors they are, for the kit's classifier: a server error keeps its number
     * and SQLSTATE (1045 login refused, 1227 REPLICATION SLAVE missing, ...), a socket error stays the cause, and a
     * read timeout names the heartbeat setting it comes from. 1236 (the source cannot send from the position) is a
     * retriable query failure there; the next attempt's start_position precheck then says whether the position was
     * purged or never existed, and fails the task for good. By GTID there is no file to check: 1236 then means the
     * set's successors are gone from the source (purged, or never there), which no retry changes.
     */
    TidemarkException streamError(Exception e) {
        ServerException server = find(e, ServerException.class);
        if (byGtid && server != null && server.getErrorCode() == ER_SOURCE_FATAL_ERROR_READING_BINLOG) {
            return new TidemarkException(ErrorCode.GTID_SET_UNAVAILABLE, e, endpoint.describe(), start.gtidSet(),
                    server.getMessage());
        }
        SQLException sql = server != null
                ? new SQLException(server.getMessage(), server.getSqlState(), server.getErrorCode(), e)
                : new SQLException(e.getMessage(), e);
        SqlErrors.noteTimeLimit(sql, READ_TIMEOUT_SETTING, readTimeout);
        return SqlErrors.classify(sql, Side.SOURCE, endpoint.describe(), "the binlog stream " + from());
    }

    /** where the stream was asked to start, as the logs and errors name it */
    private String from() {
        return byGtid ? "after GTID set " + start.gtidSet() + " (checkpoint " + start.file() + ":" + start.pos() + ")"
                : "from " + start;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void close() {
        closing = true;
        queue.clear();
        try {
            client.disconnect();
        } catch (IOException e) {
            LOGGER.debug("closing the binlog stream of {}: {}", endpoint, e.getMessage());
        }
    }
}
