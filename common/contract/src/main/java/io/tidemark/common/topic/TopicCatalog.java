package io.tidemark.common.topic;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one catalog of Tidemark's Kafka topics and consumer groups, all named under one prefix
 * ({@code tidemark.topic-prefix}, default {@code tidemark}) so several installations can share a Kafka cluster
 * without reading each other's commands. Every service builds its names from the same catalog; nothing spells a
 * topic name by hand.
 *
 * @param prefix the first part of every name: letters, digits, '.', '_' and '-', at most 200 characters
 */
public record TopicCatalog(String prefix) {
    /** Kafka's legal topic characters, leaving room for the longest suffix under its 249-character limit */
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    public static final String DEFAULT_PREFIX = "tidemark";
    /** the catalog under the default prefix: what a single installation and the tests use */
    public static final TopicCatalog DEFAULT = new TopicCatalog(DEFAULT_PREFIX);

    public TopicCatalog {
        if (prefix == null || !LEGAL.matcher(prefix).matches() || prefix.endsWith(".")) {
            throw new IllegalArgumentException("tidemark.topic-prefix is '" + prefix + "': use 1 to 200 letters, digits,"
                    + " '.', '_' or '-', not ending in '.', e.g. 'tidemark' or 'tidemark-prod'");
        }
    }

    /** compacted; key migration id; the coordinator's durable state, rebuilt on its restart */
    public String migrations() {
        return prefix + ".migrations";
    }

    /**
     * compacted; key chunk id (which starts with its migration's id); each import chunk's progress, written when it
     * changes, so a migration's record on {@link #migrations()} stays small however many chunks its import has
     */
    public String migrationChunks() {
        return prefix + ".migrations.chunks";
    }

    /** compacted; key {@code source/ID} or {@code task/NAME}; DM source and task files the coordinator accepted */
    public String dmConfigs() {
        return prefix + ".dm.configs";
    }

    /** compacted desired state; key source-id; a DM source's relay, wanted running or stopped (DesiredRelay) */
    public String dmRelays() {
        return prefix + ".dm.relays";
    }

    /** work; key migration id; coordinator → snapshot-service group */
    public String snapshotCommands() {
        return prefix + ".snapshot.commands";
    }

    /** work; key migration id; coordinator → lightning-service group (planning) */
    public String importCommands() {
        return prefix + ".import.commands";
    }

    /** work queue; key chunk id; lightning planner → lightning worker group */
    public String importChunks() {
        return prefix + ".import.chunks";
    }

    /** compacted desired state; key task id; partition assignment = task ownership */
    public String replicationTasks() {
        return prefix + ".replication.tasks";
    }

    /**
     * one partition, no key order needed beyond it; one DM source's binlog spooled once (DM's relay log), read by every
     * task of that source. {@code sourceId} is the DM source-id, which must be a legal topic name part.
     */
    public String relay(String sourceId) {
        if (sourceId == null || !LEGAL.matcher(sourceId).matches()) {
            throw new IllegalArgumentException("source-id '" + sourceId + "' cannot name a relay topic: use 1 to 200"
                    + " letters, digits, '.', '_' or '-'");
        }
        return prefix + ".relay." + sourceId;
    }

    /** public event stream; key migration id; every service → coordinator and monitoring */
    public String status() {
        return prefix + ".status";
    }

    /**
     * compacted, one partition; key {@code leader}; the coordinators' election: the member of
     * {@link #coordinatorLeaderGroup()} assigned its partition 0 is the active coordinator, and writes its URL here
     */
    public String coordinatorLeader() {
        return prefix + ".coordinator.leader";
    }

    /**
     * the transactional.id of the active coordinator's producer: one per installation, so the producer of a new active
     * coordinator fences the one of any coordinator before it
     */
    public String coordinatorTransactionalId() {
        return prefix + "-coordinator-active";
    }

    /* consumer groups: one per role, so each role scales on its own */

    /** every coordinator instance; the one assigned partition 0 of {@link #coordinatorLeader()} is the active one */
    public String coordinatorLeaderGroup() {
        return prefix + "-coordinator-leader";
    }

    public String coordinatorGroup() {
        return prefix + "-coordinator";
    }

    public String snapshotGroup() {
        return prefix + "-snapshot";
    }

    public String importPlannerGroup() {
        return prefix + "-import-planner";
    }

    public String importWorkerGroup() {
        return prefix + "-import-worker";
    }

    /**
     * the import workers' KIP-932 share group, where the cluster has share groups: a group id is of one type, so it is
     * not {@link #importWorkerGroup()}, the consumer group of clusters without them
     */
    public String importWorkerShareGroup() {
        return prefix + "-import-worker-share";
    }

    public String replicationGroup() {
        return prefix + "-replication";
    }

    /** dm-service's relay owners: the member assigned a source's key of {@link #dmRelays()} runs its relay */
    public String relayGroup() {
        return prefix + "-relay";
    }

    /** every topic and how it is created: services declare all of them, whichever starts first creates them */
    public List<TopicSpec> specs() {
        return List.of(
                new TopicSpec(migrations(), true),
                new TopicSpec(migrationChunks(), true),
                new TopicSpec(dmConfigs(), true),
                new TopicSpec(dmRelays(), true),
                new TopicSpec(snapshotCommands(), false),
                new TopicSpec(importCommands(), false),
                new TopicSpec(importChunks(), false),
                new TopicSpec(replicationTasks(), true),
                new TopicSpec(status(), false),
                new TopicSpec(coordinatorLeader(), true, 1));
    }
}
