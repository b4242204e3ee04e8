package io.tidemark.testkit;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.serde.MessageCodec;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What the rolling-upgrade tests put on a topic: a valid command, and the same command as a producer one release
 * ahead writes it. Which consumer reads them (a container, a plain consumer, a queue) is the test's own.
 */
public final class NewerVersions {
    private static final SecretBox BOX = SecretBox.fromBase64Key(SecretBox.generateKey());

    private NewerVersions() {
    }

    /** a valid replication task of {@code migration} (its password sealed): a command every consumer can read */
    public static ReplicationTask task(String migration) {
        MigrationId id = MigrationId.of(migration);
        DatabaseEndpoint source = new DatabaseEndpoint("src", 3306, "tidemark", BOX.seal("pw"));
        return new ReplicationTask(ReplicationTask.idFor(id), id, 1, ReplicationTask.Desired.RUNNING, source, source,
                List.of("shop.*"), null, null, 1_000_000);
    }

    /** the message as a producer one release ahead writes it: the same fields, a higher version */
    public static byte[] asVersion(Object message, int version) {
        ObjectNode json = (ObjectNode) MessageCodec.mapper().readTree(MessageCodec.write(message));
        json.put(MessageCodec.VERSION_FIELD, version);
        return MessageCodec.mapper().writeValueAsBytes(json);
    }
}
