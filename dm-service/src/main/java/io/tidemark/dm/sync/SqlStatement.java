package io.tidemark.dm.sync;

import java.util.Arrays;
import java.util.List;

/** One parameterised statement for the target, and the table it changes (for messages); {@link SqlText} writes it. */
record SqlStatement(String subject, String sql, List<Object> params) {
    SqlStatement {
        params = java.util.Collections.unmodifiableList(Arrays.asList(params.toArray()));
    }
}
