package dev.canalboot.kafka;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WellFormedUtf8Test {

    @Test
    void everyCodePointEncodedByTheJdkIsWellFormed() {
        StringBuilder text = new StringBuilder();
        for (int cp = 0; cp <= 0x10FFFF; cp += cp < 0x3000 ? 1 : 97) {
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                text.appendCodePoint(cp);
            }
        }
        text.appendCodePoint(0x10FFFF);
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(WellFormedUtf8.firstMalformed(bytes, 0, bytes.length)).isEqualTo(-1);
    }

    @Test
    void asciiOfEveryLengthAndAlignmentIsWellFormed() {
        byte[] bytes = new byte[140];
        java.util.Arrays.fill(bytes, (byte) 'x');
        for (int from = 0; from < 9; from++) {
            for (int to = from; to <= bytes.length; to++) {
                assertThat(WellFormedUtf8.firstMalformed(bytes, from, to)).as("[%d, %d)", from, to).isEqualTo(-1);
            }
        }
    }

    @Test
    void aMalformedByteIsFoundWhereverItStands() {
        byte[] bytes = new byte[100];
        for (int at = 0; at < bytes.length; at++) {
            java.util.Arrays.fill(bytes, (byte) 'x');
            bytes[at] = (byte) 0xFF;
            assertThat(WellFormedUtf8.firstMalformed(bytes, 0, bytes.length)).isEqualTo(at);
        }
    }

    @Test
    void knownMalformedSequencesAreFoundAtTheirFirstByte() {
        int[][] sequences = {{0x80}, {0xBF}, {0xC0, 0x80}, {0xC1, 0xBF}, {0xC3}, {0xC3, 0x41}, {0xE0, 0x9F, 0x80},
                {0xE6, 0x97}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xF0, 0x8F, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80},
                {0xF5, 0x80, 0x80, 0x80}, {0xF8, 0x80, 0x80, 0x80, 0x80}, {0xFE}, {0xFF}, {0xF0, 0x9F, 0x98}};
        for (int[] sequence : sequences) {
            byte[] bytes = new byte[11 + sequence.length]; // past the first eight-byte block, then the sequence
            java.util.Arrays.fill(bytes, (byte) 'a');
            for (int i = 0; i < sequence.length; i++) {
                bytes[11 + i] = (byte) sequence[i];
            }
            assertThat(WellFormedUtf8.firstMalformed(bytes, 0, bytes.length))
                    .as("bytes %s", java.util.Arrays.toString(sequence)).isEqualTo(11);
        }
    }

    @Test
    void onlyTheRangeAskedIsChecked() {
        byte[] bytes = {(byte) 0xFF, 'a', 'b', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF};
        assertThat(WellFormedUtf8.firstMalformed(bytes, 1, 5)).isEqualTo(-1);
        assertThat(WellFormedUtf8.firstMalformed(bytes, 1, 4)).as("a sequence cut by the range's end").isEqualTo(3);
        assertThat(WellFormedUtf8.firstMalformed(bytes, 0, 5)).isZero();
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(2026);
        CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int malformed = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) { // mostly ASCII and well-formed sequences, now and then any byte
                int pick = random.nextInt(10);
                bytes[i] = (byte) (pick < 5 ? 'a' + random.nextInt(26) : pick < 9 ? 0x80 + random.nextInt(0x80)
                        : random.nextInt(256));
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CoderResult result = jdk.reset().decode(in, CharBuffer.allocate(bytes.length + 1), true);
            int expected = result.isError() ? in.position() : -1;
            if (expected < 0 && jdk.flush(CharBuffer.allocate(2)).isError()) {
                expected = in.position();
            }
            assertThat(WellFormedUtf8.firstMalformed(bytes, 0, bytes.length))
                    .as("round %d: %s", round, java.util.Arrays.toString(bytes)).isEqualTo(expected);
            malformed += expected >= 0 ? 1 : 0;
        }
        assertThat(malformed).as("both kinds were tried").isBetween(1_000, 19_000);
    }
}
