package io.tidemark.coordinator.config.dm;

import io.tidemark.coordinator.config.lightning.Note;
import io.tidemark.coordinator.config.lightning.Position;
import io.tidemark.coordinator.config.lightning.Problem;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * What reading one DM file found: the problems that stop it (all of them, not just the first) and the notes on keys
 * accepted but not used as DM uses them. Not thread-safe: one per file read.
 */
final class Findings {
    private final String kind;
    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();

    Findings(String kind, String file) {
        this.kind = kind;
        this.file = file;
    }

    static Position at(Node node) {
        return node == null ? Position.UNKNOWN
                : new Position(node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    void problem(String path, Node node, String value, String what, String fix) {
        problems.add(new Problem(file, path, at(node), value, what, fix));
    }

    void problem(String path, Position at, String value, String what, String fix) {
        problems.add(new Problem(file, path, at, value, what, fix));
    }

    void note(String path, Node node, String text) {
        notes.add(new Note(path, at(node).line(), text));
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    List<Note> notes() {
        return notes.stream().sorted(java.util.Comparator.comparingInt(Note::line)).toList(); // in file order
    }

    /** @throws DmConfigException with every problem found, when there is one */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new DmConfigException(kind, file, problems);
        }
    }

    void fail(String path, Node node, String what, String fix) {
        problem(path, node, null, what, fix);
        throwIfAny();
    }
}
