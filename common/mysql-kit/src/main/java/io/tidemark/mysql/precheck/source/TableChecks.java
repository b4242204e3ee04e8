package io.tidemark.mysql.precheck.source;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceFacts.Tables;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The filter selects tables, and the account may read every one of them. */
final class TableChecks {
    /** a report names this many tables, then counts the rest */
    private static final int NAMED = 10;

    private TableChecks() {
    }

    static Fact<Tables> tables(SourceFacts f) {
        if (f.tables() == null) {
            throw new IllegalStateException("the source facts were read without a table filter; read them with the"
                    + " migration's filter to run the table checks");
        }
        return f.tables();
    }

    static String names(Collection<TableRef> tables) {
        String named = tables.stream().limit(NAMED).map(TableRef::toString).collect(Collectors.joining(", "));
        return tables.size() > NAMED ? named + " and " + (tables.size() - NAMED) + " more" : named;
    }

    static final class Selected implements Precheck<SourceFacts> {
        @Override
        public String name() {
            return SourceChecks.TABLES_SELECTED;
        }

        @Override
        public Set<String> needs() {
            return Set.of(SourceChecks.LOGIN);
        }

        @Override
        public CheckResult check(SourceFacts f) {
            Fact<Tables> fact = tables(f);
            if (!fact.known()) {
                return CheckResult.fail(name(), fact.error(), fact.error().error().remedy());
            }
            Tables t = fact.value();
            if (t.selected().isEmpty()) {
                return CheckResult.fail(name(), new TidemarkException(ErrorCode.SOURCE_TABLE_NOT_FOUND,
                                t.filter().rules(), f.endpoint()),
                        "check the filter rules against SHOW DATABASES and SHOW FULL TABLES on the source; tables the"
                                + " account may not SELECT are invisible to it (GRANT SELECT ON db.* TO "
                                + f.account() + ")");
            }
            String selected = t.selected().size() + (t.selected().size() == 1 ? " table" : " tables") + " selected";
            return CheckResult.pass(name(), t.skipped().isEmpty() ? selected : selected
                    + "; views and sequences skipped (no rows of their own): " + names(t.skipped()));
        }
    }

    static final class SelectGranted implements Precheck<SourceFacts> {
        @Override
        public String name() {
            return SourceChecks.SELECT_PRIVILEGE;
        }

        @Override
        public Set<String> needs() {
            return Set.of(SourceChecks.LOGIN, SourceChecks.TABLES_SELECTED);
        }

        @Override
        public CheckResult check(SourceFacts f) {
            Fact<Tables> fact = tables(f);
            if (!fact.known()) {
                return CheckResult.fail(name(), fact.error(), fact.error().error().remedy());
            }
            Map<TableRef, TidemarkException> unreadable = fact.value().unreadable();
            if (unreadable.isEmpty()) {
                int n = fact.value().selected().size();
                return CheckResult.pass(name(), n == 1 ? "SELECT works on the selected table"
                        : "SELECT works on all " + n + " selected tables");
            }
            TidemarkException first = unreadable.values().iterator().next();
            if (first.error() != ErrorCode.SOURCE_PRIVILEGE_MISSING) {
                return CheckResult.fail(name(), first, first.error().remedy());
            }
            Set<String> schemas = new TreeSet<>();
            unreadable.keySet().forEach(t -> schemas.add(t.schema()));
            String grants = schemas.stream().map(s -> "GRANT SELECT ON " + TableRef.quote(s) + ".* TO " + f.account())
                    .collect(Collectors.joining("; "));
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.SOURCE_PRIVILEGE_MISSING, f.endpoint(),
                    "SELECT is denied on " + names(List.copyOf(unreadable.keySet())) + " (" + first.detail() + ")"),
                    grants);
        }
    }
}
