package io.tidemark.coordinator.config.lightning;

import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads TiDB Lightning configuration files. */
public final class LightningConfigs {
    private LightningConfigs() {
    }

    /**
     * Parses and validates a TiDB Lightning TOML file.
     *
     * @param toml     the file's text
     * @param fileName the file's name as the user gave it, used in every message
     * @return the configuration, with {@link LightningConfig#notes() notes} on the keys Tidemark handles its own way
     * @throws LightningConfigException listing every problem of the file at once, in the file's order: a file that
     *                                  does not parse (each error with line, column and what was expected), a key
     *                                  Tidemark does not implement or know (with the nearest known key), a value of
     *                                  the wrong type or out of range, a seed placeholder left in, a bad regular
     *                                  expression in a rule, contradicting settings
     */
    public static LightningConfig parse(String toml, String fileName) {
        Objects.requireNonNull(toml, "toml");
        String file = fileName == null ? "" : fileName;
        TomlParseResult document = Toml.parse(toml);
        if (document.hasErrors()) {
            throw new LightningConfigException(ParseErrors.of(document.errors(), toml, file));
        }
        Findings findings = new Findings(file);
        TomlSection root = TomlSection.root(document, findings);

        TomlSection lightningSection = root.section("lightning");
        Lightning lightning = findings.build(() -> Lightning.read(lightningSection));
        TomlSection tidbSection = root.section("tidb");
        Tidb tidb = findings.build(() -> Tidb.read(tidbSection));
        Mydumper mydumper = Mydumper.read(root.section("mydumper"), findings);
        TomlSection importerSection = root.section("tikv-importer");
        TikvImporter importer = findings.build(() -> TikvImporter.read(importerSection));
        TomlSection conflictSection = root.section("conflict");
        Conflict conflict = findings.build(() -> Conflict.read(conflictSection));
        TomlSection checkpointSection = root.section("checkpoint");
        Checkpoint checkpoint = findings.build(() -> Checkpoint.read(checkpointSection));
        TomlSection postRestoreSection = root.section("post-restore");
        PostRestore postRestore = findings.build(() -> PostRestore.read(postRestoreSection));
        TomlSection cronSection = root.section("cron");
        Cron cron = findings.build(() -> Cron.read(cronSection));
        Tidb.refuseCertificates(root.section("security"));
        List<Route> routes = new ArrayList<>();
        List<TomlSection> routeSections = root.tables("routes");
        for (int i = 0; i < routeSections.size(); i++) {
            int index = i + 1;
            TomlSection route = routeSections.get(i);
            Optional.ofNullable(findings.build(() -> Route.read(index, route))).ifPresent(routes::add);
        }
        if (importer != null && conflict != null) {
            LightningConfig.duplicatesClash(importer, conflict).ifPresent(findings::problem);
        }

        findings.finishSections();
        findings.throwIfAny();
        return new LightningConfig(file, lightning, tidb, mydumper, importer, conflict, checkpoint, postRestore,
                cron, routes, findings.notes());
    }
}
