package io.tidemark.coordinator.config.dm;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.config.lightning.Problem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A DM source or task file Tidemark cannot use, with every problem found in it at once (each names its key path, line,
 * value and fix), so one round of edits fixes the file. The API answers 400 with every problem on its own, as for a
 * TiDB Lightning file: the same {@link Problem} shape, so a client shows both alike.
 */
public class DmConfigException extends TidemarkException {
    private final List<Problem> problems;

    DmConfigException(String kind, String file, List<Problem> problems) {
        super(ErrorCode.INVALID_DM_CONFIG, kind, file, summary(problems));
        this.problems = problems.stream().sorted(Problem.IN_FILE_ORDER).toList();
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
        return sorted.size() + " problems: " + sorted.stream().map(Problem::describe)
                .collect(Collectors.joining(" | "));
    }
}
