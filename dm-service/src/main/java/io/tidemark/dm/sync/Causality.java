package io.tidemark.dm.sync;

import io.tidemark.common.table.TableRef;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which apply worker a row change goes to (DM's causality): every value of a unique index the change touches — the
 * primary key and each other unique index, before and after an UPDATE — is a key; a key already given to a worker since
 * the workers last committed sends the change to that worker, so changes of one key stay in order on one session. A
 * change whose keys are held by two different workers (an UPDATE moving a row to a key another worker holds, an
 * INSERT whose primary and unique values were used by changes on two workers) is a {@link Route.Conflict}: every worker
 * commits first, then the change goes where its first key hashes. A table without a real key has nothing to tell its
 * rows apart by, so its changes stay in order on the checkpoint's own session ({@link Route.Serial}), committed with
 * the checkpoint — which keeps such tables exact after a kill.
 *
 * <p>Keys are compared loosely on purpose: strings folded (case, accents, trailing spaces, as the usual {@code _ci}
 * collations do), decimals without trailing zeros. Two values the target would call equal must never land on two
 * workers; two it calls different may share one at no cost but parallelism. The keys held are forgotten at every
 * commit of the workers ({@link #clear()}); {@link #size()} lets the caller commit early to bound them.
 * Not thread-safe: the sync session's thread only.
 */
final class Causality {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    /** where a change goes */
    sealed interface Route {
        /** to worker {@code index}, after what that worker already holds */
        record Worker(int index) implements Route {
        }

        /** on the checkpoint's session, in order: the table has no key */
        record Serial() implements Route {
        }

        /** every worker commits first, then worker {@code index} takes it */
        record Conflict(int index) implements Route {
        }
    }

    private static final Route SERIAL = new Route.Serial();

    /**
     * One unique index's values in one row of one target table, folded. Its hash is computed once: a route hashes each
     * key up to three times (look-up, hold, pick a worker), and hashing a record of lists was most of routing's cost.
     */
    private static final class Key {
        private final TableRef table;
        private final int index;
        private final Object[] values;
        private final int hash;

        Key(TableRef table, int index, Object[] values) {
            this.table = table;
            this.index = index;
            this.values = values;
            this.hash = 31 * (31 * table.hashCode() + index) + Arrays.hashCode(values);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && index == k.index && Arrays.equals(values, k.values)
                    && table.equals(k.table);
        }
    }

    private final int workers;
    private final Map<Key, Integer> held = new HashMap<>();

    Causality(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.workers = workers;
    }

    /**
     * @param before the row before the change (UPDATE, DELETE); null for an INSERT
     * @param after  the row after the change (INSERT, UPDATE); null for a DELETE
     */
    Route route(TableSchema schema, Object[] before, Object[] after) {
        if (schema.keyKind() == TableSchema.KeyKind.ALL_COLUMNS) {
            return SERIAL;
        }
        List<Key> keys = new ArrayList<>(2 * schema.uniques().size());
        addKeys(keys, schema, before);
        addKeys(keys, schema, after);
        if (keys.isEmpty()) {
            return SERIAL;
        }
        int owner = -1;
        for (Key k : keys) {
            Integer w = held.get(k);
            if (w == null) {
                continue;
            }
            if (owner >= 0 && owner != w) {
                int chosen = hashed(keys.getFirst());
                held.clear(); // the caller commits every worker before the change: nothing is held any more
                keys.forEach(key -> held.put(key, chosen));
                return new Route.Conflict(chosen);
            }
            owner = w;
        }
        int chosen = owner >= 0 ? owner : hashed(keys.getFirst());
        keys.forEach(key -> held.putIfAbsent(key, chosen));
        return new Route.Worker(chosen);
    }

    /** every worker committed: no order between their changes is left to keep */
    void clear() {
        held.clear();
    }

    /** the keys held since the last commit of the workers */
    int size() {
        return held.size();
    }

    private int hashed(Key key) {
        return Math.floorMod(key.hashCode() * 0x9E3779B9, workers);
    }

    /** the row's values of every unique index; one with a NULL is left out, as NULLs never clash in a unique index */
    private static void addKeys(List<Key> keys, TableSchema schema, Object[] row) {
        if (row == null) {
            return;
        }
        List<List<Integer>> uniques = schema.uniques();
        next:
        for (int u = 0; u < uniques.size(); u++) {
            List<Integer> columns = uniques.get(u);
            Object[] values = new Object[columns.size()];
            for (int j = 0; j < values.length; j++) {
                Object v = row[columns.get(j)];
                if (v == null) {
                    continue next;
                }
                values[j] = fold(v);
            }
            keys.add(new Key(schema.table(), u, values));
        }
    }

    static Object fold(Object v) {
        return switch (v) {
            case String s -> MARKS.matcher(Normalizer.normalize(s.stripTrailing(), Normalizer.Form.NFD)).replaceAll("")
                    .toLowerCase(Locale.ROOT);
            case byte[] b -> ByteBuffer.wrap(b);
            case BigDecimal d -> d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            default -> v;
        };
    }
}
