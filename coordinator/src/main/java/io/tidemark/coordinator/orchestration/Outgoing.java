package io.tidemark.coordinator.orchestration;

import io.tidemark.common.command.Command;

/** A command to publish: where, under which key. */
record Outgoing(String topic, String key, Command command) {
}
