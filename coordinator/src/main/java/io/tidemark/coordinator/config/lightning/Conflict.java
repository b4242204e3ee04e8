package io.tidemark.coordinator.config.lightning;

import java.util.Optional;

/**
 * The {@code [conflict]} section of TiDB Lightning v8 and later; only {@code strategy} is implemented. As in TiDB
 * Lightning, {@code strategy = ""} (or {@code "none"}) leaves the choice to {@code on-duplicate} or the default; see
 * {@link LightningConfig#onDuplicate()}.
 */
public record Conflict(Optional<DuplicateBehaviour> strategy, Origin origin) {
    public Conflict {
        strategy = strategy == null ? Optional.empty() : strategy;
    }

    static Conflict read(TomlSection s) {
        Optional<DuplicateBehaviour> strategy = s.string("strategy")
                .filter(v -> !v.isBlank() && !v.strip().equalsIgnoreCase("none"))
                .flatMap(v -> {
                    Optional<DuplicateBehaviour> b = DuplicateBehaviour.of(v);
                    if (b.isEmpty()) {
                        s.fail("strategy", v, "is not one of \"replace\", \"ignore\", \"error\", \"\"",
                                "write strategy = \"replace\" (the row in the file wins) or \"error\"");
                    }
                    return b;
                });
        return new Conflict(strategy, s.origin());
    }
}
