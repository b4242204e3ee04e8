package io.tidemark.coordinator.precheck;

import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.compat.CompatFacts;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.precheck.target.TargetFacts;

import java.util.Map;

/**
 * Everything the prechecks of one migration look at, read before any check runs ({@link FactsReader}): the kit's
 * source and target facts, and what only the coordinator, holding both ends at once, can read. An item that could
 * not be read carries its error, so every check still reports. An immutable value.
 *
 * @param source       null for mode import, which reads no source (so are {@code identity} and {@code sourceTables})
 * @param identity     whether source and target are one server
 * @param sourceTables the definitions of the source tables the filter selects, by {@link TableDefinition#key()}
 * @param targetTables the definitions of the target tables the filter selects (for an import: the routed tables its
 *                     files go to), with whether they hold rows
 * @param compat       what the TiDB-compatibility checks look at; null for mode import
 */
record MigrationFacts(MigrationSpec spec, SourceFacts source, TargetFacts target, Fact<ServerIdentity> identity,
                      Fact<Map<String, TableDefinition>> sourceTables,
                      Fact<Map<String, TableDefinition>> targetTables, Fact<CompatFacts> compat) {
}
