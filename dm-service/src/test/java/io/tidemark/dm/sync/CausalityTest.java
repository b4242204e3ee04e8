package io.tidemark.dm.sync;

import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CausalityTest {
    private static final TableRef ORDERS = TableRef.of("shop", "orders");

    /** orders (id PRIMARY KEY, code UNIQUE NULL, note) */
    private static final TableSchema KEYED = new TableSchema(ORDERS, List.of(
            new Column("id", "int", "int(11)", null, false, false),
            new Column("code", "varchar", "varchar(20)", "utf8mb4", true, false),
            new Column("note", "varchar", "varchar(20)", "utf8mb4", true, false)),
            List.of(0), TableSchema.KeyKind.PRIMARY, List.of(List.of(0), List.of(1)));

    /** log (at, line): no key */
    private static final TableSchema KEYLESS = new TableSchema(TableRef.of("shop", "log"), List.of(
            new Column("at", "int", "int(11)", null, true, false),
            new Column("line", "varchar", "varchar(20)", "utf8mb4", true, false)),
            List.of(0, 1), TableSchema.KeyKind.ALL_COLUMNS);

    private static Object[] row(Object id, Object code) {
        return new Object[] {id, code, "x"};
    }

    private static int worker(Causality.Route r) {
        return switch (r) {
            case Causality.Route.Worker w -> w.index();
            case Causality.Route.Conflict c -> throw new AssertionError("unexpected conflict " + c);
            case Causality.Route.Serial s -> throw new AssertionError("unexpected serial");
        };
    }

    @Test
    void changesOfOneKeyGoToOneWorkerAndDifferentKeysSpreadOverAll() {
        Causality c = new Causality(4);
        Set<Integer> used = new HashSet<>();
        for (long id = 0; id < 200; id++) {
            int insert = worker(c.route(KEYED, null, row(id, null)));
            int update = worker(c.route(KEYED, row(id, null), row(id, null)));
            int delete = worker(c.route(KEYED, row(id, null), null));
            assertThat(update).isEqualTo(insert);
            assertThat(delete).isEqualTo(insert);
            used.add(insert);
        }
        assertThat(used).containsExactlyInAnyOrder(0, 1, 2, 3);
        // and after the workers committed (nothing held) the same key hashes to the same worker again
        int before = worker(c.route(KEYED, null, row(7L, null)));
        c.clear();
        assertThat(worker(c.route(KEYED, null, row(7L, null)))).isEqualTo(before);
    }

    @Test
    void anUpdateThatChangesTheKeyFollowsTheOldKeysWorkerAndTakesTheNewKeyWithIt() {
        Causality c = new Causality(4);
        long a = 1;
        int wa = worker(c.route(KEYED, null, row(a, null)));
        long b = otherWorkerKey(wa, 4);
        c.clear();
        // given row a on its worker, and key b not touched since the last commit
        assertThat(worker(c.route(KEYED, null, row(a, null)))).isEqualTo(wa);

        // when a moves to b, then b changes again: both on a's worker, in order, without a commit
        assertThat(worker(c.route(KEYED, row(a, null), row(b, null)))).isEqualTo(wa);
        assertThat(worker(c.route(KEYED, row(b, null), row(b, null)))).isEqualTo(wa);
        // and a new row a (the freed key) also follows, after the move
        assertThat(worker(c.route(KEYED, null, row(a, null)))).isEqualTo(wa);
    }

    @Test
    void anUpdateMovingARowToAKeyAnotherWorkerHoldsIsAConflictAndNothingIsHeldApartAfterIt() {
        Causality c = new Causality(4);
        long a = 1;
        int wa = worker(c.route(KEYED, null, row(a, null)));
        long b = otherWorkerKey(wa, 4);
        c.clear();
        worker(c.route(KEYED, null, row(a, null)));
        int wb = worker(c.route(KEYED, row(b, null), null)); // b deleted on its own worker
        assertThat(wb).isNotEqualTo(wa);

        Causality.Route move = c.route(KEYED, row(a, null), row(b, null));

        assertThat(move).isInstanceOf(Causality.Route.Conflict.class);
        int chosen = ((Causality.Route.Conflict) move).index();
        assertThat(c.size()).isEqualTo(2); // the workers committed: only the move's own keys are held
        assertThat(worker(c.route(KEYED, row(b, null), null))).isEqualTo(chosen);
        assertThat(worker(c.route(KEYED, null, row(a, null)))).isEqualTo(chosen);
    }

    @Test
    void aSecondUniqueIndexKeepsRowsSharingItsValueInOrderButItsNullsDoNot() {
        Causality c = new Causality(4);
        int first = worker(c.route(KEYED, row(10L, "A-1"), null)); // delete id 10 freeing code A-1
        // an insert of another id with the freed code must come after that delete: on the same worker
        Causality.Route reuse = c.route(KEYED, null, row(otherWorkerKey(first, 4), "a-1 "));
        assertThat(reuse).isInstanceOf(Causality.Route.Worker.class);
        assertThat(worker(reuse)).isEqualTo(first);

        // NULL codes never clash: rows with a NULL code spread by their id alone
        Causality fresh = new Causality(4);
        Set<Integer> used = new HashSet<>();
        for (long id = 0; id < 100; id++) {
            used.add(worker(fresh.route(KEYED, null, row(id, null))));
        }
        assertThat(used).hasSize(4);
    }

    @Test
    void aTableWithoutAKeyStaysSerialOnTheCheckpointsSession() {
        Causality c = new Causality(4);
        for (int i = 0; i < 20; i++) {
            assertThat(c.route(KEYLESS, null, new Object[] {i, "line"})).isInstanceOf(Causality.Route.Serial.class);
            assertThat(c.route(KEYLESS, new Object[] {i, "line"}, null)).isInstanceOf(Causality.Route.Serial.class);
        }
        assertThat(c.size()).isZero();
    }

    @Test
    void aKeyedTableWithoutUniqueValuesToRouteByStaysSerial() {
        // as SchemaCache gives a table with a unique index on a column prefix: whole values cannot tell clashes apart
        TableSchema prefixed = new TableSchema(ORDERS, KEYED.columns(), List.of(0), TableSchema.KeyKind.PRIMARY,
                List.of());
        Causality c = new Causality(4);
        assertThat(c.route(prefixed, null, row(1L, "a"))).isInstanceOf(Causality.Route.Serial.class);
        assertThat(c.route(prefixed, row(1L, "a"), row(2L, "b"))).isInstanceOf(Causality.Route.Serial.class);
    }

    @Test
    void keysCompareAsACaseAndAccentInsensitiveCollationWouldAndDecimalsByValue() {
        assertThat(Causality.fold("Café  ")).isEqualTo(Causality.fold("cafe"));
        assertThat(Causality.fold(new java.math.BigDecimal("1.50"))).isEqualTo(Causality.fold(new java.math.BigDecimal("1.5")));
        assertThat(Causality.fold(new byte[] {1, 2})).isEqualTo(Causality.fold(new byte[] {1, 2}));
        assertThat(Map.of(Causality.fold("ABC"), 1)).containsKey(Causality.fold("abc"));
    }

    @Test
    void theTargetsUniqueIndexesAreEveryKeyPrimaryFirstAndNullableOnesIncluded() {
        List<Column> columns = KEYED.columns();
        java.util.Map<String, List<String>> indexes = new java.util.LinkedHashMap<>();
        indexes.put("uk_code", List.of("code"));
        indexes.put("PRIMARY", List.of("id"));
        indexes.put("uk_note_code", List.of("note", "code"));

        TableSchema chosen = SchemaCache.choose(ORDERS, columns, indexes);

        assertThat(chosen.keyKind()).isEqualTo(TableSchema.KeyKind.PRIMARY);
        assertThat(chosen.key()).containsExactly(0);
        assertThat(chosen.uniques()).containsExactly(List.of(0), List.of(1), List.of(2, 1));
        // without a primary key the NOT NULL unique index is the key, and the nullable one still orders changes
        java.util.Map<String, List<String>> noPrimary = new java.util.LinkedHashMap<>();
        noPrimary.put("uk_code", List.of("code"));
        noPrimary.put("uk_id", List.of("id"));
        TableSchema byUnique = SchemaCache.choose(ORDERS, columns, noPrimary);
        assertThat(byUnique.keyKind()).isEqualTo(TableSchema.KeyKind.UNIQUE_NOT_NULL);
        assertThat(byUnique.key()).containsExactly(0);
        assertThat(byUnique.uniques()).containsExactly(List.of(1), List.of(0));
    }

    /** a key that a fresh router sends elsewhere than {@code worker} */
    private static long otherWorkerKey(int worker, int workers) {
        for (long k = 2; ; k++) {
            Causality probe = new Causality(workers);
            if (worker(probe.route(KEYED, null, row(k, null))) != worker) {
                return k;
            }
        }
    }
}
