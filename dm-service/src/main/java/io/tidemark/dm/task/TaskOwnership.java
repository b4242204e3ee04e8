package io.tidemark.dm.task;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.own.Ownership;
import io.tidemark.kit.kafka.KafkaClients;
import org.springframework.stereotype.Component;

/**
 * Task ownership: the worker assigned a partition of the compacted task topic runs its replication tasks
 * ({@link Ownership}); a new owner resumes each from its checkpoint.
 */
@Component
class TaskOwnership extends Ownership<Command, ReplicationTask> {
    TaskOwnership(KafkaClients clients, TopicCatalog topics, TaskSupervisor supervisor) {
        super(clients, topics.replicationGroup(), topics.replicationTasks(), Command.class, ReplicationTask.class,
                supervisor, "dm-task-ownership");
    }
}
