package io.tidemark.common.command;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvFormatTest {
    @Test
    void whatLoadDataReadsIsLoadable() {
        assertThat(CsvFormat.dumpling().unloadable()).isEmpty();
        assertThat(CsvFormat.dumpling().lineEnd()).isEqualTo("\n");
        assertThat(new CsvFormat("|", "'", "\r\n", false, List.of("NULL"), true).unloadable()).isEmpty();
        assertThat(new CsvFormat("||", "", "##", true, List.of(), false).unloadable()).isEmpty();
    }

    @Test
    void whatLoadDataCannotReadSaysWhy() {
        assertThat(new CsvFormat(",", "\"\"", "", true, List.of("\\N"), true).unloadable()).get().asString()
                .contains("delimiter \"\" is more than one character");
        assertThat(new CsvFormat(",", "\"", "", true, List.of("\\N", "NULL"), true).unloadable()).get().asString()
                .contains("2 NULL markers");
        assertThat(new CsvFormat(",", "\"", "", true, List.of(""), true).unloadable()).get().asString()
                .contains("NULL marker (an empty field) is not one LOAD DATA reads as NULL");
        assertThat(new CsvFormat(",", "\"", "", true, List.of("\\N"), false).unloadable()).isPresent();
        assertThat(new CsvFormat(",", "", "", true, List.of("NULL"), true).unloadable()).isPresent();
    }
}
