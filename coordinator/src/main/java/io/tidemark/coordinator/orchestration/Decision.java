package io.tidemark.coordinator.orchestration;

import io.tidemark.coordinator.migration.Migration;

import java.util.List;

/** The orchestrator's answer: the migration as it should be, and the commands to publish before it is saved. */
record Decision(Migration next, List<Outgoing> commands) {
    Decision {
        commands = List.copyOf(commands);
    }

    static Decision stay(Migration m) {
        return new Decision(m, List.of());
    }

    static Decision of(Migration m, Outgoing command) {
        return new Decision(m, List.of(command));
    }
}
