package io.tidemark.coordinator.config.lightning;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What the import does with a row whose primary or unique key the target already holds — TiDB Lightning's
 * {@code [tikv-importer] on-duplicate} (up to v7) and {@code [conflict] strategy} (v8 on), which Tidemark reads as one
 * setting.
 */
public enum DuplicateBehaviour {
    /** the file's row replaces the target's ({@code REPLACE INTO}) */
    REPLACE("replace"),
    /** the target's row stays, the file's is dropped ({@code INSERT IGNORE}) */
    IGNORE("ignore"),
    /** the import stops with an error naming the table */
    ERROR("error");

    private final String word;

    DuplicateBehaviour(String word) {
        this.word = word;
    }

    /** the word TiDB Lightning's files use */
    public String word() {
        return word;
    }

    static Optional<DuplicateBehaviour> of(String word) {
        return Arrays.stream(values()).filter(b -> b.word.equals(word.strip().toLowerCase(Locale.ROOT))).findFirst();
    }
}
