package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A TiDB Lightning file Tidemark cannot run, with every problem found in it at once (each names its key, line, value
 * and fix), so one round of edits fixes the file. A {@link TidemarkException} of
 * {@link ErrorCode#INVALID_LIGHTNING_CONFIG}: the API answers 400 with every problem on its own.
 */
public class LightningConfigException extends TidemarkException {
    private final List<Problem> problems;

    public LightningConfigException(List<Problem> problems) {
        super(ErrorCode.INVALID_LIGHTNING_CONFIG, fileOf(problems), summary(problems));
        this.problems = problems.stream().sorted(Problem.IN_FILE_ORDER).toList();
    }

    /** the file the problems are in, as the user named it */
    private static String fileOf(List<Problem> problems) {
        return problems.stream().map(Problem::file).filter(f -> !f.isEmpty()).findFirst().orElse("(unnamed)");
    }

    static LightningConfigException of(Problem problem) {
        return new LightningConfigException(List.of(problem));
    }

    /** every problem, in the order of the file */
    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        List<Problem> sorted = problems.stream().sorted(Problem.IN_FILE_ORDER).toList();
        if (sorted.size() == 1) {
            return sorted.getFirst().describe();
        }
        return sorted.size() + " problems: " + sorted.stream()
                .map(Problem::describe).collect(Collectors.joining(" | "));
    }
}
