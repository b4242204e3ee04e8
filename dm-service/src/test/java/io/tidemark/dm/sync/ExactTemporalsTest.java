package io.tidemark.dm.sync;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Encodings built as MySQL's my_time.cc packs them, decoded back to the literal text. */
class ExactTemporalsTest {
    private static byte[] be(long v, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = bytes - 1; i >= 0; i--) {
            out[i] = (byte) (v & 0xFF);
            v >>= 8;
        }
        return out;
    }

    private static byte[] datetime2Int(int y, int mo, int d, int h, int mi, int s) {
        long ym = y * 13L + mo;
        long ymd = (ym << 5) | d;
        long hms = ((long) h << 12) | ((long) mi << 6) | s;
        return be(((ymd << 17) | hms) + 0x8000000000L, 5);
    }

    @Test
    void datesIncludingZeroAndPartlyZeroSurvive() {
        assertThat(ExactTemporals.date(0)).isEqualTo("0000-00-00");
        assertThat(ExactTemporals.date((2024 << 9) | (2 << 5) | 29)).isEqualTo("2024-02-29");
        assertThat(ExactTemporals.date((2024 << 9))).isEqualTo("2024-00-00");
        assertThat(ExactTemporals.date((1 << 9) | (1 << 5) | 1)).isEqualTo("0001-01-01");
    }

    @Test
    void datetime2WithEachFractionWidth() {
        assertThat(ExactTemporals.datetime2(datetime2Int(9999, 12, 31, 23, 59, 59), be(999999, 3), 6))
                .isEqualTo("9999-12-31 23:59:59.999999");
        assertThat(ExactTemporals.datetime2(datetime2Int(2020, 1, 1, 0, 0, 0), be(1230, 2), 3))
                .isEqualTo("2020-01-01 00:00:00.123");
        assertThat(ExactTemporals.datetime2(datetime2Int(2020, 1, 1, 0, 0, 0), be(50, 1), 1))
                .isEqualTo("2020-01-01 00:00:00.5");
        assertThat(ExactTemporals.datetime2(datetime2Int(0, 0, 0, 0, 0, 0), new byte[0], 0))
                .isEqualTo("0000-00-00 00:00:00");
    }

    @Test
    void timestamp2IsUtcAndZeroIsTheZeroTimestamp() {
        assertThat(ExactTemporals.timestamp2(be(1, 4), be(1, 3), 6)).isEqualTo("1970-01-01 00:00:01.000001");
        assertThat(ExactTemporals.timestamp2(be(2147483647L, 4), new byte[0], 0)).isEqualTo("2038-01-19 03:14:07");
        assertThat(ExactTemporals.timestamp2(be(0, 4), be(0, 3), 6)).isEqualTo("0000-00-00 00:00:00.000000");
    }

    @Test
    void time2KeepsSignAndHoursAbove24() {
        long hms = (838L << 12) | (59 << 6) | 59;
        assertThat(ExactTemporals.time2(be(hms + 0x800000L, 3), new byte[0], 0)).isEqualTo("838:59:59");
        // -838:59:59.000000 packed with six fraction digits
        long packed = -((hms << 24)) + 0x800000000000L;
        byte[] six = be(packed, 6);
        assertThat(ExactTemporals.time2(java.util.Arrays.copyOf(six, 3), java.util.Arrays.copyOfRange(six, 3, 6), 6))
                .isEqualTo("-838:59:59.000000");
        // -00:00:00.5 with fsp 1: int part -1 and fraction 0x100 - 50
        assertThat(ExactTemporals.time2(be(-1 + 0x800000L, 3), be(0x100 - 50, 1), 1)).isEqualTo("-00:00:00.5");
        assertThat(ExactTemporals.time2(be(((12L << 12) | (34 << 6) | 56) + 0x800000L, 3), be(7890, 2), 3))
                .isEqualTo("12:34:56.789");
    }

    @Test
    void digitsAreWrittenAsFormatsZeroPaddingWroteThem() {
        for (long v : new long[] {0, 7, 42, 999, 1000, 9999, 12345, 16777215, -1, -42, -12345}) {
            for (int width : new int[] {2, 4, 6}) {
                assertThat(ExactTemporals.pad(new StringBuilder(), v, width))
                        .hasToString(String.format(java.util.Locale.ROOT, "%0" + width + "d", v));
            }
            for (int fsp = 0; fsp <= 6; fsp++) {
                String six = v < 0 ? null : String.format(java.util.Locale.ROOT, "%06d", v);
                if (six != null) {
                    assertThat(ExactTemporals.fractionText(v, fsp)).isEqualTo(fsp == 0 ? "" : "." + six.substring(0, fsp));
                }
            }
        }
    }

    @Test
    void oldFormatsAndYear() {
        assertThat(ExactTemporals.datetime(20240229123456L)).isEqualTo("2024-02-29 12:34:56");
        assertThat(ExactTemporals.time(-((12 * 10000) + 3456) & 0xFFFFFF)).isEqualTo("-12:34:56");
        assertThat(ExactTemporals.timestamp(0)).isEqualTo("0000-00-00 00:00:00");
        assertThat(ExactTemporals.year(0)).isZero();
        assertThat(ExactTemporals.year(255)).isEqualTo(2155);
    }
}
