package io.tidemark.deploy.cli;

/** Migration views in the coordinator's JSON shape (MigrationView), for the fake coordinator to answer. */
final class Views {
    static final String ID = "tidb-lightning-data-k3f9a";

    private Views() {
    }

    /** a mode-import view of phase {@code phase} whose {@code tables} are the given table objects */
    static String view(String phase, String... tables) {
        return view(phase, null, tables);
    }

    /** a failed view with its {@code error} object */
    static String failed(String error, String... tables) {
        return view("failed", error, tables);
    }

    private static String view(String phase, String error, String[] tables) {
        return """
                {"id": "%s", "name": "tidb-lightning-data", "mode": "import", "phase": "%s",
                 "source": null, "target": {"host": "10.0.1.5", "port": 4000, "user": "tidemark"},
                 "filter": ["*.*"], "storage": "s3://my-bucket/aurora-export?region=us-west-2",
                 "tables": [%s], "error": %s, "warnings": [],
                 "createdAt": "2026-12-02T10:00:00Z", "updatedAt": "2026-12-02T10:00:05Z"}"""
                .formatted(ID, phase, String.join(",", tables), error == null ? "null" : error);
    }

    static String table(String name, String state, int chunksDone, int chunksTotal, long rows) {
        return """
                {"table": "%s", "state": "%s", "rowsDumped": 0, "rowsImported": %d, "chunksDone": %d,
                 "chunksTotal": %d, "snapshotPoint": null}""".formatted(name, state, rows, chunksDone, chunksTotal);
    }

    static String verified(String name, long rows, long rowsInFiles, long rowsInTarget) {
        return """
                {"table": "%s", "state": "imported", "rowsDumped": 0, "rowsImported": %d, "chunksDone": 2,
                 "chunksTotal": 2, "rowsInFiles": %d, "rowsInTarget": %d}"""
                .formatted(name, rows, rowsInFiles, rowsInTarget);
    }

    /** the 201 answer: the view plus the notes on the seed's physical-import keys */
    static String accepted(String view) {
        return view.substring(0, view.lastIndexOf('}')) + """
                , "notes": [
                  {"line": 8, "key": "tidb.status-port", "text": "not used: Tidemark talks to TiDB over SQL only"},
                  {"line": 15, "key": "tikv-importer.backend", "text": "imported logically, through the target's SQL interface"}]}""";
    }
}
