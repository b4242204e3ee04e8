package io.tidemark.lightning.plan;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.layout.UnreadableCompression;
import io.tidemark.common.table.TableRef;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses the files of an import's tables that are compressed as the import does not read ({@link UnreadableCompression}):
 * the plan stops before anything is created or queued, rather than leave a table out or import it short. Files of
 * tables the import does not take are let be.
 */
final class UnreadableFiles {
    private static final int NAMED = 5;

    private UnreadableFiles() {
    }

    /**
     * @param wanted the tables asked for; empty: all. A {@code CREATE DATABASE} file counts when a table of its
     *               database is asked for.
     * @throws TidemarkException {@link ErrorCode#FILE_COMPRESSION_UNSUPPORTED} naming the first such file, what it
     *                           holds and the others
     */
    static void refuse(Collection<UnreadableCompression> found, Collection<TableRef> wanted) {
        Set<TableRef> tables = Set.copyOf(wanted);
        Set<String> databases = wanted.stream().map(TableRef::schema).collect(Collectors.toSet());
        List<UnreadableCompression> refused = found.stream().filter(u -> wanted.isEmpty()
                || (u.createsDatabase() ? databases.contains(u.table().schema()) : tables.contains(u.table())))
                .toList();
        if (!refused.isEmpty()) {
            throw refusal(refused);
        }
    }

    static TidemarkException refusal(List<UnreadableCompression> refused) {
        UnreadableCompression first = refused.getFirst();
        List<UnreadableCompression> others = refused.subList(1, refused.size());
        String more = others.isEmpty() ? "" : " (and " + others.size() + " more: " + others.stream().limit(NAMED)
                .map(UnreadableCompression::path).collect(Collectors.joining(", "))
                + (others.size() > NAMED ? ", …" : "") + ")";
        return new TidemarkException(ErrorCode.FILE_COMPRESSION_UNSUPPORTED, first.path() + more,
                first.compression(), "it holds " + first.holds() + ", which the import would leave out");
    }
}
