package io.tidemark.coordinator.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tidemark.coordinator.config.lightning.Note;

import java.util.List;

/**
 * What {@code POST /api/v1/imports} answers: the migration the TiDB Lightning file became, as
 * {@code GET /api/v1/migrations/{id}} shows it, and what Tidemark does instead of the keys it handles its own way.
 */
record ImportView(@JsonUnwrapped MigrationView migration, List<NoteView> notes) {
    /** a key of the file Tidemark handles its own way: where it is, and what Tidemark does instead */
    record NoteView(int line, String key, String text) {
        static NoteView of(Note n) {
            return new NoteView(n.line(), n.key(), n.text());
        }
    }

    static List<NoteView> notes(List<Note> notes) {
        return notes.stream().map(NoteView::of).toList();
    }
}
