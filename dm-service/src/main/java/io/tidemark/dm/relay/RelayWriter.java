package io.tidemark.dm.relay;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.EventDataWrapper;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.dm.sync.BinlogStream;
import io.tidemark.dm.sync.EventSource;
import io.tidemark.dm.sync.SyncSettings;
import io.tidemark.mysql.precheck.Prechecks;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.session.Timeouts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * DM's relay for one source ({@code enable-relay: true}): reads the source's binlog once and appends every event, as
 * the source sent it, to the source's relay topic, from which every task of the source can read. Events larger than
 * {@code tidemark.dm.relay.piece-bytes} are relayed as ordered pieces (a binlog event may be as large as
 * {@code max_allowed_packet}, up to 1 GB; a Kafka message is 1 MB by default), never dropped or cut.
 *
 * <p>The checkpoint is the topic's last record ({@link RelayTail}): a new writer continues where the stream stood
 * after it; {@code start} is used only by a relay that never wrote a record. A writer killed between an event's
 * pieces leaves it unfinished; its successor relays that event again from piece 0 and the reader drops the
 * unfinished copy ({@link PieceAssembler}).
 *
 * <p>One writer per topic, even when an owner that lost the relay (frozen past its group session, then resumed) still
 * holds records: the writer's producer is transactional, with the topic's name as its {@code transactional.id}, and
 * commits what it relayed every {@link #COMMIT_RECORDS} records or {@link #COMMIT_INTERVAL}, and whenever the stream
 * pauses. A new writer's {@code initTransactions()} aborts its predecessor's open transaction and fences it: whatever the
 * old one still sends or commits is refused (RELAY_FENCED), and it stops for good. Readers read committed records
 * only, so the topic's last committed record stays the checkpoint.
 *
 * <p>Threading: {@link #start()} and {@link #close()} from the owner's thread; the writer's own thread reads the
 * stream and produces. A broken stream is opened again from the last relayed point after
 * {@code tidemark.dm.retry-initial-backoff}; a record Kafka refuses stops the writer ({@link #failure()}), since
 * going on would leave a gap.
 */
public final class RelayWriter implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayWriter.class);
    /** a transaction is committed after this many records at most... */
    static final int COMMIT_RECORDS = 500;
    /** ...or once it is this old, at the next event: bounds how late readers see an event under a steady stream */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    /** how long the stream is polled while a transaction is open: a pause this long commits it */
    private static final long IDLE_COMMIT_MILLIS = 20;

    private final String sourceId;
    private final String topic;
    private final DatabaseEndpoint endpoint;
    private final String password;
    private final long serverId;
    private final BinlogPosition start;
    private final RelaySettings relay;
    private final SyncSettings sync;
    private final Timeouts timeouts;
    private final Map<String, Object> adminConfig;
    private final Map<String, Object> consumerConfig;
    private final String transactionalId;
    private final Producer<String, byte[]> producer;
    private final Thread thread;

    private volatile boolean closing;
    private volatile TidemarkException failure;
    private volatile BinlogStream stream;
    /** where the source's stream continues after the last relayed event; the writer thread's */
    private volatile BinlogPosition resume;
    private String lastFile;
    private String file;
    private String openGtid;
    /** records sent in the open Kafka transaction (0: none is open), and when it began; the writer thread's */
    private int uncommitted;
    private long transactionStart;

    /**
     * @param topic          the source's relay topic ({@code TopicCatalog#relay})
     * @param serverId       the replica server id the relay reads the binlog as (unique among the source's replicas)
     * @param start          where a relay that never wrote a record starts reading; null: where the source is now
     * @param adminConfig    the service's Kafka admin settings
     * @param producerConfig the service's producer settings ({@code KafkaClients#producerProperties}: idempotent,
     *                       acks=all, which keeps the pieces of an event in order); the writer makes it transactional
     * @param consumerConfig the service's consumer settings, for reading the checkpoint
     */
    public RelayWriter(String sourceId, String topic, DatabaseEndpoint endpoint, String password, long serverId,
                       BinlogPosition start, RelaySettings relay, SyncSettings sync, Timeouts timeouts,
                       Map<String, Object> adminConfig, Map<String, Object> producerConfig,
                       Map<String, Object> consumerConfig) {
        this.sourceId = sourceId;
        this.topic = topic;
        this.endpoint = endpoint;
        this.password = password;
        this.serverId = serverId;
        this.start = start;
        this.relay = relay;
        this.sync = sync;
        this.timeouts = timeouts;
        this.adminConfig = adminConfig;
        this.consumerConfig = RelayReader.readerConfig(consumerConfig);
        // the topic names the transactional id: one per source and installation, so any writer of the topic fences
        // every earlier one, on whichever dm-service it ran
        this.transactionalId = topic;
        Map<String, Object> transactional = new HashMap<>(producerConfig);
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        this.producer = new KafkaProducer<>(transactional, new StringSerializer(), new ByteArraySerializer());
        this.thread = Thread.ofPlatform().name("relay-" + sourceId).daemon().unstarted(this::run);
    }

    /**
     * Creates or checks the topic, fences every earlier writer of the topic, reads the checkpoint and starts
     * relaying.
     *
     * @throws TidemarkException RELAY_TOPIC_MISCONFIGURED, RELAY_RECORD_UNREADABLE, KAFKA_UNAVAILABLE
     */
    public void start() {
        try (Admin admin = Admin.create(adminConfig)) {
            RelayTopic.ensure(admin, topic, relay);
        }
        try {
            // before the checkpoint is read: an earlier writer's open transaction is aborted by now, and nothing it
            // still sends can land after the checkpoint
            producer.initTransactions();
        } catch (KafkaException e) {
            throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, "the relay of source " + sourceId
                    + " (transactional id " + transactionalId + ")", e.toString());
        }
        RelayPiece tail;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            tail = RelayTail.last(consumer, topic);
        }
        if (tail == null) {
            resume = start;
            LOGGER.info("relay of source {} starts at {} into {}", sourceId, start == null ? "the source's position"
                    : start, topic);
        } else if (tail.last()) {
            resume = BinlogPosition.ofFilePosition(tail.resumeFile(), tail.resumePos());
            lastFile = tail.file();
            openGtid = tail.openGtid();
            LOGGER.info("relay of source {} continues at {} after {} {}:{} in {}", sourceId, resume, tail.type(),
                    tail.file(), tail.pos(), topic);
        } else {
            // killed between the pieces of an event: relay it again, whole
            resume = BinlogPosition.ofFilePosition(tail.file(), tail.pos());
            lastFile = tail.file();
            openGtid = tail.gtid();
            LOGGER.info("relay of source {} relays {} {}:{} again (only {} of its {} pieces were written)", sourceId,
                    tail.type(), tail.file(), tail.pos(), tail.piece() + 1, tail.pieces());
        }
        thread.start();
    }

    /** where the source's stream continues after the last event handed to Kafka */
    public BinlogPosition relayed() {
        return resume;
    }

    /** why the writer stopped for good, or null while it runs */
    public TidemarkException failure() {
        return failure;
    }

    private void run() {
        while (!closing && failure == null) {
            BinlogStream s = null;
            try {
                // the kit's replication checks, as a task's: a start the source purged fails for good, naming it
                SourceFacts facts = SourceFacts.read(endpoint, password, timeouts, null);
                Prechecks.run(SourceChecks.forReplication(resume), facts).throwIfFailed();
                if (resume == null) {
                    resume = facts.position().value();
                    LOGGER.info("relay of source {} starts where the source is now, {}", sourceId, resume);
                }
                file = resume.file();
                s = new BinlogStream(endpoint, password, serverId, resume, false, sync, timeouts,
                        new RawEventDeserializer());
                s.requestAnnotateRows();
                stream = s;
                s.open();
                while (!closing && failure == null) {
                    EventSource.Item item = s.poll(uncommitted > 0 ? IDLE_COMMIT_MILLIS : 200);
                    if (item instanceof EventSource.Received(Event event)) {
                        relay(event);
                        if (uncommitted >= COMMIT_RECORDS
                                || System.nanoTime() - transactionStart >= COMMIT_INTERVAL.toNanos()) {
                            commit();
                        }
                    } else if (item instanceof EventSource.Broken(TidemarkException error)) {
                        throw error;
                    } else if (item == null) {
                        commit();
                    }
                }
            } catch (TidemarkException e) {
                if (closing) {
                    break;
                }
                commit();
                if (failure != null) {
                    break;
                }
                if (!e.error().retriable()) {
                    failure = e;
                    LOGGER.error("relay of source {} stopped at {}: {}", sourceId, resume, e.getMessage());
                    break;
                }
                LOGGER.warn("relay of source {} reconnects from {}: {}", sourceId, resume, e.getMessage());
                pause(sync.retryInitialBackoff());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                if (s != null) {
                    s.close();
                }
            }
        }
        // what was relayed before close() is handed to Kafka; what a failed writer left open is taken back
        if (failure == null) {
            commit();
        }
        if (failure != null && failure.error() != ErrorCode.RELAY_FENCED && uncommitted > 0) {
            try {
                producer.abortTransaction();
            } catch (KafkaException | IllegalStateException e) {
                // IllegalStateException: the commit that failed timed out, and the client then allows only that
                // commit again, not an abort — the next writer's initTransactions aborts it either way
                LOGGER.warn("relay of source {}: its open transaction was not aborted ({}); Kafka aborts it after"
                        + " transaction.timeout.ms or when the next writer starts", sourceId, e.toString());
            }
        }
    }

    /** commits the open transaction, if any: its records become visible to readers, and the checkpoint moves */
    private void commit() {
        if (uncommitted == 0 || failure != null) {
            return;
        }
        try {
            producer.commitTransaction();
            uncommitted = 0;
        } catch (KafkaException e) {
            fail("binlog events of source " + sourceId + " to " + topic + " (commit up to " + resume + ")", e);
        }
    }

    /**
     * Stops the writer for good (it never writes into the topic again): RELAY_FENCED when a newer writer fenced it,
     * else KAFKA_UNAVAILABLE, since going on past a record Kafka refused would leave a gap.
     */
    private synchronized void fail(String what, Throwable e) {
        if (failure != null) {
            return;
        }
        if (fenced(e)) {
            failure = new TidemarkException(ErrorCode.RELAY_FENCED, e, sourceId, topic, transactionalId);
            LOGGER.error("relay of source {} was fenced by a newer writer of {} and stops relaying (what it had not"
                    + " committed, up to {}, is discarded): {} ({})", sourceId, topic, resume, failure.getMessage(),
                    e.toString());
        } else {
            failure = new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, what, e.toString());
            LOGGER.error("relay of source {} stopped: {}", sourceId, failure.getMessage());
        }
    }

    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void relay(Event event) {
        RawEventHeader h = event.getHeader();
        EventType type = h.getEventType();
        if (type == EventType.HEARTBEAT) {
            return;
        }
        Object data = EventDataWrapper.internal(event.getData());
        if (h.getNextPosition() == 0) {
            // made up by the source at the stream's start: the rotate names the file the stream reads; the format
            // description is relayed once per file only, for a relay that starts inside a file (the real one at
            // position 4 was never relayed)
            if (type == EventType.ROTATE) {
                file = ((RotateEventData) data).getBinlogFilename();
            } else if (type == EventType.FORMAT_DESCRIPTION && !file.equals(lastFile)) {
                long at = resume.file().equals(file) ? resume.pos() : 4;
                send(type, at, at, BinlogPosition.ofFilePosition(file, at), openGtid, openGtid, h.raw());
            }
            return;
        }
        String gtid = switch (data) {
            case GtidEventData g -> g.getMySqlGtid().toString();
            // the library leaves the event's server id out of its data: it is the header's
            case MariadbGtidEventData m -> m.getDomainId() + "-" + h.getServerId() + "-" + m.getSequence();
            default -> openGtid;
        };
        String stillOpen = gtid;
        if (type == EventType.XID || data instanceof QueryEventData q && !"BEGIN".equalsIgnoreCase(q.getSql())) {
            stillOpen = null;
        }
        BinlogPosition after = data instanceof RotateEventData r
                ? BinlogPosition.ofFilePosition(r.getBinlogFilename(), r.getBinlogPosition())
                : BinlogPosition.ofFilePosition(file, h.getNextPosition());
        send(type, h.position(), h.getNextPosition(), after, gtid, stillOpen, h.raw());
        openGtid = stillOpen;
        lastFile = file;
        file = after.file();
    }

    private void send(EventType type, long pos, long next, BinlogPosition after, String gtid, String stillOpen,
                      byte[] raw) {
        int pieceBytes = relay.pieceBytes();
        int pieces = Math.max(1, (raw.length + pieceBytes - 1) / pieceBytes);
        for (int i = 0; i < pieces; i++) {
            byte[] slice = pieces == 1 ? raw
                    : Arrays.copyOfRange(raw, i * pieceBytes, Math.min(raw.length, (i + 1) * pieceBytes));
            RelayPiece piece = new RelayPiece(type.name(), file, pos, next, after.file(), after.pos(), gtid,
                    stillOpen, i, pieces, raw.length, slice);
            String what = "binlog event " + file + ":" + pos + " of source " + sourceId + " to " + topic;
            try {
                if (uncommitted == 0) {
                    producer.beginTransaction();
                    transactionStart = System.nanoTime();
                }
                uncommitted++;
                producer.send(new ProducerRecord<>(topic, 0, null, sourceId, slice, piece.headers()), (meta, e) -> {
                    if (e != null) {
                        fail(what, e);
                    }
                });
            } catch (KafkaException e) {
                // fenced, or send() gave up (the producer's buffer stayed full for max.block.ms)
                fail(what, e);
                return;
            }
        }
        resume = after;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** stops reading, commits what was relayed and waits for it to be written */
    @Override
    public void close() {
        closing = true;
        BinlogStream s = stream;
        if (s != null) {
            s.close();
        }
        try {
            thread.join(sync.stopTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(sync.stopTimeout());
    }
}
