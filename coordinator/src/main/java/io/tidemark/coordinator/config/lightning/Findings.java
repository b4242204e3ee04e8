package io.tidemark.coordinator.config.lightning;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What reading one file found: its problems and its notes. Sections report into it as they are read, so the user gets
 * every problem of the file in one answer; a key is faulted once (when the reader found it unreadable, the record
 * built without it does not fault it again as missing).
 */
final class Findings {
    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> faultedKeys = new HashSet<>();
    private final List<Note> notes = new ArrayList<>();
    private final List<TomlSection> sections = new ArrayList<>();

    Findings(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void problem(Problem problem) {
        if (problem.key() == null || faultedKeys.add(problem.key())) {
            problems.add(problem);
        }
    }

    void note(Note note) {
        notes.add(note);
    }

    List<Note> notes() {
        return List.copyOf(notes);
    }

    void opened(TomlSection section) {
        sections.add(section);
    }

    /** runs a record's construction; what it finds wrong joins the file's problems and null is returned */
    <T> T build(Supplier<T> make) {
        try {
            return make.get();
        } catch (LightningConfigException e) {
            e.problems().forEach(this::problem);
            return null;
        }
    }

    /** every key no reader took is unsupported or unknown: faulted, never ignored */
    void finishSections() {
        sections.forEach(TomlSection::faultUnreadKeys);
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new LightningConfigException(problems);
        }
    }
}
