package dev.canalboot.snapshot;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader's typing of text-protocol cells without a String (its server round trips: ChunkReaderIT). */
class ChunkReaderTest {

    @Test
    void decimalOfUpToEighteenDigitsIsTheValueTheTextGives() {
        for (String text : new String[] {"0.00", "-0.50", "123.45", "-999999999999999.99", "-9999999999999999.99",
                "999999999999999999", "-1", "7.000000", "0"}) {
            int scale = text.contains(".") ? text.length() - text.indexOf('.') - 1 : 0;
            BigDecimal fast = ChunkReader.decimal(bytes(text), scale);
            assertThat(fast).as(text).isEqualTo(new BigDecimal(text).setScale(scale));
            assertThat(fast.scale()).as(text).isEqualTo(scale);
        }
    }

    @Test
    void anythingElseIsLeftToTheConverter() {
        assertThat(ChunkReader.decimal(bytes("9999999999999999999"), 0)).as("19 digits").isNull();
        assertThat(ChunkReader.decimal(bytes("99999999999.99999999"), 8)).as("19 digits").isNull();
        assertThat(ChunkReader.decimal(bytes("99999999999999999999"), 0)).as("20 digits").isNull();
        assertThat(ChunkReader.decimal(bytes("1.5"), 2)).as("another scale than the column's").isNull();
        assertThat(ChunkReader.decimal(bytes("15"), 2)).as("no point where the column has a scale").isNull();
        for (String text : new String[] {"", "-", ".5", "5.", "1.2.3", "1e5", "+1", "--1", " 1"}) {
            assertThat(ChunkReader.decimal(bytes(text), 1)).as("'" + text + "'").isNull();
            assertThat(ChunkReader.decimal(bytes(text), 0)).as("'" + text + "'").isNull();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
