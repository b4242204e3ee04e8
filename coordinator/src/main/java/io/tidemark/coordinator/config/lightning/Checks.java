package io.tidemark.coordinator.config.lightning;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a record's compact constructor finds wrong, so that a section with three bad keys reports all three,
 * then throws them together. Each message names the key's TOML path and line from the record's {@link Origin}.
 */
final class Checks {
    private final Origin origin;
    private final List<Problem> problems = new ArrayList<>();

    Checks(Origin origin) {
        this.origin = origin == null ? Origin.of("") : origin;
    }

    /**
     * @param value the value as written, rendered the TOML way by {@link TomlValues#render}; null when the key is
     *              not set
     */
    void fail(String key, Object value, String what, String fix) {
        String rendered = value == null ? null : TomlValues.render(value);
        String says = value == null && !origin.has(key) ? "is not set" + (what.isEmpty() ? "" : ": " + what) : what;
        problems.add(new Problem(origin.file(), origin.path(key), origin.at(key), rendered, says, fix));
    }

    /** a secret's problem: the value is never shown */
    void failSecret(String key, String what, String fix) {
        problems.add(new Problem(origin.file(), origin.path(key), origin.at(key), "(hidden)", what, fix));
    }

    void add(Problem problem) {
        problems.add(problem);
    }

    boolean ok() {
        return problems.isEmpty();
    }

    void done() {
        if (!problems.isEmpty()) {
            throw new LightningConfigException(problems);
        }
    }
}
