package io.tidemark.lightning.target;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTextTest {

    @Test
    void composedTextBecomesOneCharPerUtf8ByteAndReadsBack() {
        String composed = "USE `ünïcode`; -- 表 😀";

        String view = SessionText.utf8(composed);

        assertThat(view.chars()).allMatch(c -> c <= 0xFF);
        assertThat(view.getBytes(StandardCharsets.ISO_8859_1)).containsExactly(composed.getBytes(StandardCharsets.UTF_8));
        assertThat(SessionText.readable(view)).isEqualTo(composed);
    }

    @Test
    void everyByteValueSurvivesTheView() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }

        String view = SessionText.ofBytes(all, 0, all.length);

        assertThat(view).hasSize(256);
        assertThat(view.getBytes(StandardCharsets.ISO_8859_1)).containsExactly(all);
    }
}
