package io.tidemark.coordinator.api;

import java.util.List;

/**
 * What {@code POST /api/v1/tasks/check} answers (dmctl's check-task): each source's migration with every precheck
 * (PASS, WARN, FAIL with its instruction), and the notes on the file's keys.
 *
 * @param passed true when no check of any source failed
 */
record TaskCheck(String name, boolean passed, List<Instance> instances, List<String> notes) {
    record Instance(String sourceId, String migration, boolean passed, List<CheckView> checks) {
    }
}
