package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
 */
final class BinlogStream implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BinlogStream.class);
    private static final int ERR_MASTER_FATAL_READING_BINLOG = 1236;

    /** what the queue carries */
    sealed interface Item {
    }

    record Received(Event event) implements Item {
    }

    record Broken(TidemarkException error) implements Item {
    }

    private final BlockingQueue<Item> queue;
    private final BinaryLogClient client;
    private final DatabaseEndpoint endpoint;
    private final BinlogPosition start;
    private final long heartbeatMillis;
    private volatile boolean closing;
    private volatile long lastReceivedMillis = System.currentTimeMillis();

    BinlogStream(DatabaseEndpoint endpoint, String password, long serverId, BinlogPosition start, SyncSettings settings) {
        this.endpoint = endpoint;
        this.start = start;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.heartbeatMillis = settings.heartbeatInterval().toMillis();
        this.client = new BinaryLogClient(endpoint.host(), endpoint.port(), endpoint.user(), password);
        client.setServerId(serverId);
        client.setBinlogFilename(start.file());
        client.setBinlogPosition(start.pos());
        client.setKeepAlive(false);
        client.setHeartbeatInterval(heartbeatMillis);
        client.setEventDeserializer(ExactRowsDeserializers.create());
        client.registerEventListener(event -> {
            lastReceivedMillis = System.currentTimeMillis();
            put(new Received(event));
        });
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                put(new Broken(mapStreamError(ex)));
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                put(new Broken(new TidemarkException(ErrorCode.INTERNAL, ex,
                        "cannot decode a binlog event of " + endpoint.describe() + " after " + start + ": "
                                + ex.getMessage())));
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

    void open(Duration timeout) {
        try {
            client.connect(timeout.toMillis());
        } catch (TimeoutException e) {
            throw new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, e, endpoint.describe(),
                    "no binlog stream within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw mapStreamError(e);
        }
        LOGGER.info("binlog stream of {} open at {}", endpoint, start);
    }

    /** @return the next item, or null after the timeout */
    Item poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    boolean drained() {
        return queue.isEmpty();
    }

    /** the source sends heartbeats while idle; long silence means a dead link that TCP has not noticed */
    boolean silentTooLong() {
        return heartbeatMillis > 0 && System.currentTimeMillis() - lastReceivedMillis > 3 * heartbeatMillis + 2000;
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

    private TidemarkException mapStreamError(Exception e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof ServerException) && cause.getCause() != null
                && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof AuthenticationException auth) {
            return new TidemarkException(ErrorCode.SOURCE_ACCESS_DENIED, e, endpoint.describe(), auth.getMessage());
        }
        if (cause instanceof ServerException se) {
            if (se.getErrorCode() == ERR_MASTER_FATAL_READING_BINLOG) {
                return new TidemarkException(ErrorCode.BINLOG_PURGED, e, start, endpoint.describe(), se.getMessage());
            }
            if (se.getErrorCode() == 1227 || se.getErrorCode() == 1045) {
                return new TidemarkException(ErrorCode.SOURCE_PRIVILEGE_MISSING, e, endpoint.describe(),
                        se.getMessage());
            }
        }
        return new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, e, endpoint.describe(), String.valueOf(e.getMessage()));
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
