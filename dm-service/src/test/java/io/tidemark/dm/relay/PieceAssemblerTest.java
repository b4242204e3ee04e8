package io.tidemark.dm.relay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PieceAssemblerTest {
    private final PieceAssembler assembler = new PieceAssembler();
    private long offset;

    @Test
    void putsAnEventTogetherFromItsPiecesInOrder() {
        byte[] event = bytes(10, 1);

        List<RelayedEvent> out = feed(pieces("b.000001", 100, event, 4));

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.bytes()).isEqualTo(event);
            assertThat(e.pos()).isEqualTo(100);
            assertThat(e.offset()).isZero();
        });
    }

    @Test
    void dropsAnEventAWriterLeftUnfinishedAndKeepsItsSuccessorsWholeCopy() {
        byte[] event = bytes(10, 2);
        List<RelayPiece> unfinished = pieces("b.000001", 100, event, 4).subList(0, 2);
        List<RelayPiece> again = pieces("b.000001", 100, event, 4);

        assertThat(feed(unfinished)).isEmpty();
        List<RelayedEvent> out = feed(again);

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.bytes()).isEqualTo(event);
            assertThat(e.offset()).isEqualTo(2);
        });
    }

    @Test
    void dropsAnEventRelayedTwiceAndSkipsPiecesWithoutTheirStart() {
        byte[] first = bytes(6, 3);
        byte[] second = bytes(6, 4);
        List<RelayPiece> secondPieces = pieces("b.000001", 200, second, 3);

        List<RelayedEvent> out = new ArrayList<>();
        out.addAll(feed(secondPieces.subList(1, 3)));
        out.addAll(feed(pieces("b.000001", 100, first, 1)));
        out.addAll(feed(pieces("b.000001", 100, first, 1)));
        out.addAll(feed(secondPieces));
        out.addAll(feed(pieces("b.000002", 4, first, 2)));

        assertThat(out).extracting(e -> e.file() + ":" + e.pos())
                .containsExactly("b.000001:100", "b.000001:200", "b.000002:4");
    }

    @Test
    void aPieceOfAnotherEventInTheMiddleDropsTheUnfinishedOne() {
        byte[] event = bytes(9, 5);
        List<RelayPiece> a = pieces("b.000001", 100, event, 3);
        List<RelayPiece> b = pieces("b.000001", 300, event, 3);

        List<RelayedEvent> out = feed(List.of(a.get(0), b.get(1), a.get(1), a.get(2)));

        assertThat(out).isEmpty();
    }

    private List<RelayedEvent> feed(List<RelayPiece> pieces) {
        List<RelayedEvent> out = new ArrayList<>();
        for (RelayPiece p : pieces) {
            RelayedEvent e = assembler.add(p, offset++);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<RelayPiece> pieces(String file, long pos, byte[] event, int count) {
        int size = (event.length + count - 1) / count;
        List<RelayPiece> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] slice = Arrays.copyOfRange(event, Math.min(event.length, i * size),
                    Math.min(event.length, (i + 1) * size));
            out.add(new RelayPiece("WRITE_ROWS", file, pos, pos + event.length, file, pos + event.length, "0-1-7",
                    null, i, count, event.length, slice));
        }
        return out;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
