package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A TiDB Lightning file Tidemark cannot run, with every problem found in it at once (each names its key, line, value
 * and fix), so one round of edits fixes the file. A {@link TidemarkException} of {@link ErrorCode#INVALID_SPEC}: the
 * API answers it as any invalid request.
 */
public class LightningConfigException extends TidemarkException {
    private final List<Problem> problems;

    public LightningConfigException(List<Problem> problems) {
        super(ErrorCode.INVALID_SPEC, summary(problems));
        this.problems = problems.stream().sorted(Problem.IN_FILE_ORDER).toList();
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
            return sorted.getFirst().toString();
        }
        return sorted.size() + " problems in the TiDB Lightning file: " + sorted.stream()
                .map(Problem::toString).collect(Collectors.joining(" | "));
    }
}
