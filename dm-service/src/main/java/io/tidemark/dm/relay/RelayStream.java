package io.tidemark.dm.relay;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.dm.sync.EventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A source's binlog read back from its relay topic instead of the source: the events from {@code start} on, decoded
 * by the task's own deserializer, then whatever the relay appends. Events before {@code start} are read but not
 * handed on; the format descriptions and table maps among them are decoded, since the deserializer needs them (the
 * checksum, the columns of the rows that follow). A relay that begins after {@code start} fails the read with
 * RELAY_POSITION_UNAVAILABLE rather than skip what it never held.
 *
 * <p>Each event delivered must begin where the one before it ended: a relay with a gap fails the read with RELAY_GAP
 * instead of applying a transaction in part (an event relayed twice is dropped by {@link PieceAssembler}).
 *
 * <p>The relay is read from its first record: enough while topics are kept by retention; an index of positions to
 * offsets is the next step for long relays.
 */
public final class RelayStream implements EventSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayStream.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final BinlogPosition start;
    private final EventDeserializer deserializer;
    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private volatile boolean closing;

    /**
     * @param deserializer the task's ({@code ExactRowsDeserializers.create()}), used by this stream's thread only
     * @param capacity     events queued at most (backpressure beyond)
     */
    public RelayStream(String topic, Map<String, Object> consumerConfig, BinlogPosition start,
                       EventDeserializer deserializer, int capacity) {
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.start = start;
        this.deserializer = deserializer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("relay-read-" + topic).daemon().unstarted(this::run);
    }

    @Override
    public void open() {
        thread.start();
        LOGGER.info("reading the binlog from {} of relay topic {}", start, topic);
    }

    private void run() {
        boolean reached = false;
        // where the next event must begin once the start is reached: a relay that skips one would apply a
        // transaction in part, or not at all, without anyone knowing
        BinlogPosition expected = null;
        try (RelayReader reader = new RelayReader(topic, 0, consumerConfig)) {
            if (!reader.topicExists(TOPIC_TIMEOUT)) {
                throw new TidemarkException(ErrorCode.RELAY_POSITION_UNAVAILABLE, topic, start, "the topic does not"
                        + " exist: no relay was ever started for the source");
            }
            while (!closing) {
                for (RelayedEvent e : reader.poll(Duration.ofMillis(200))) {
                    boolean deliver = !e.artificial() && atOrAfterStart(e);
                    if (deliver && !reached) {
                        reached = true;
                        if (!e.file().equals(start.file()) || e.pos() != start.pos()) {
                            throw new TidemarkException(ErrorCode.RELAY_POSITION_UNAVAILABLE, topic, start,
                                    "its first event after that point is at " + e.file() + ":" + e.pos());
                        }
                    } else if (deliver && (!e.file().equals(expected.file()) || e.pos() != expected.pos())) {
                        throw new TidemarkException(ErrorCode.RELAY_GAP, topic, expected, e.file() + ":" + e.pos());
                    }
                    if (deliver) {
                        expected = e.resumeAt();
                    }
                    if (deliver || "FORMAT_DESCRIPTION".equals(e.type()) || "TABLE_MAP".equals(e.type())) {
                        Event event = decode(e);
                        if (deliver) {
                            put(new Received(event));
                        }
                    }
                }
            }
        } catch (TidemarkException e) {
            put(new Broken(e));
        } catch (RuntimeException e) {
            put(new Broken(new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, "nothing (reading relay topic "
                    + topic + ")", e.toString())));
        }
    }

    private boolean atOrAfterStart(RelayedEvent e) {
        int byFile = e.file().compareTo(start.file());
        return byFile > 0 || byFile == 0 && e.pos() >= start.pos();
    }

    private Event decode(RelayedEvent e) {
        try {
            return deserializer.nextEvent(new ByteArrayInputStream(e.bytes()));
        } catch (IOException | RuntimeException ex) {
            throw new TidemarkException(ErrorCode.INTERNAL, ex, "cannot decode the relayed binlog event "
                    + e.file() + ":" + e.pos() + " (" + e.type() + ") of " + topic + ": " + ex.getMessage());
        }
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

    @Override
    public Item poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean drained() {
        return queue.isEmpty();
    }

    @Override
    public void close() {
        closing = true;
        queue.clear();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
