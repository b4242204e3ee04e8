package io.tidemark.snapshot.support;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Holds a dump in the middle, at one table's data read, with a metadata lock — deterministically past the
 * prechecks, which read every table too ({@code SELECT * … LIMIT 0}, in name order). A gate table that sorts after
 * the held one is write-locked first, so the prechecks stop there, having read the held table already; then the held
 * table is write-locked and the gate opened: the prechecks finish and the dump's own SELECT of the held table waits.
 * The source's process list shows who waits.
 */
public final class TableHold implements AutoCloseable {
    private static final String WAITING = "Waiting for table metadata lock";

    private final Connection gateSession;
    private final Connection heldSession;
    private final TableRef held;
    private final TableRef gate;

    private TableHold(Connection gateSession, Connection heldSession, TableRef held, TableRef gate) {
        this.gateSession = gateSession;
        this.heldSession = heldSession;
        this.held = held;
        this.gate = gate;
    }

    /** closes the gate; send the request after this, then {@link #awaitDumpHeld} */
    public static TableHold prepare(LocalMariaDb source, TableRef held, TableRef gate) throws SQLException {
        if (gate.compareTo(held) <= 0) {
            throw new IllegalArgumentException("the gate " + gate + " must sort after " + held);
        }
        TableHold hold = new TableHold(TestDatabases.connect(source), TestDatabases.connect(source), held, gate);
        hold.execute(hold.gateSession, "LOCK TABLES " + gate.quoted() + " WRITE");
        return hold;
    }

    /**
     * Waits until the prechecks stop at the gate, locks the held table, opens the gate, and waits until the dump's
     * read of the held table waits on the lock.
     *
     * @return the process list id of the session reading the held table
     */
    public long awaitDumpHeld(Duration within) throws SQLException {
        await().atMost(within).until(() -> !waiters(gate, true).isEmpty());
        execute(heldSession, "LOCK TABLES " + held.quoted() + " WRITE");
        execute(gateSession, "UNLOCK TABLES");
        return await().atMost(within).until(() -> waiters(held, false), w -> w.size() == 1).getFirst();
    }

    /** lets the dump go on */
    public void release() throws SQLException {
        execute(heldSession, "UNLOCK TABLES");
    }

    /** sessions waiting to read the held table: the dump's read, and a precheck's when {@code prechecks} */
    public List<Long> readersOfHeld(boolean prechecks) throws SQLException {
        List<Long> ids = new ArrayList<>(waiters(held, false));
        if (prechecks) {
            ids.addAll(waiters(held, true));
        }
        return ids;
    }

    /** every session waiting on a metadata lock, with its statement: for messages */
    public List<String> waiting() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = heldSession.createStatement();
             ResultSet rs = st.executeQuery("SELECT ID, INFO FROM information_schema.PROCESSLIST WHERE STATE = '"
                     + WAITING + "'")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + ": " + rs.getString(2));
            }
        }
        return out;
    }

    private List<Long> waiters(TableRef table, boolean precheck) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement st = heldSession.createStatement();
             ResultSet rs = st.executeQuery("SELECT ID, INFO FROM information_schema.PROCESSLIST WHERE STATE = '"
                     + WAITING + "' AND INFO LIKE '%FROM " + table.quoted().replace("'", "''") + "%'")) {
            while (rs.next()) {
                if (rs.getString(2).endsWith(" LIMIT 0") == precheck) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private void execute(Connection session, String sql) throws SQLException {
        try (Statement st = session.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        gateSession.close();
        heldSession.close();
    }
}
