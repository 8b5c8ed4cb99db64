package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GtidSetTest {

    static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String B = "0c0f0a0b-1111-2222-3333-444455556666";

    @Test
    void parsesAndFormatsSortedMergedIntervals() {
        GtidSet set = GtidSet.parse(A + ":1-5:7:6,\n" + B + ":1-3");
        assertThat(set.toString()).isEqualTo(B + ":1-3," + A + ":1-7");
        assertThat(GtidSet.parse(set.toString())).isEqualTo(set);
        assertThat(GtidSet.parse("")).isEqualTo(GtidSet.EMPTY);
        assertThat(GtidSet.parse(" ").isEmpty()).isTrue();
    }

    @Test
    void addingAGtidExtendsOrJoinsIntervals() {
        GtidSet set = GtidSet.parse(A + ":1-3:5");
        assertThat(set.add(A + ":4").toString()).isEqualTo(A + ":1-5");
        assertThat(set.add(A + ":9").toString()).isEqualTo(A + ":1-3:5:9");
        assertThat(set.add(B + ":1").toString()).isEqualTo(B + ":1," + A + ":1-3:5");
        assertThat(set.toString()).as("immutable").isEqualTo(A + ":1-3:5");
        assertThat(set.contains(A + ":2")).isTrue();
        assertThat(set.contains(A + ":4")).isFalse();
        assertThat(set.contains(B + ":1")).isFalse();
    }

    @Test
    void malformedSetsAreErrorsQuotingThePart() {
        assertThatThrownBy(() -> GtidSet.parse("nonsense:1")).hasMessageContaining("'nonsense:1'");
        assertThatThrownBy(() -> GtidSet.parse(A + ":5-2")).hasMessageContaining("'5-2'");
        assertThatThrownBy(() -> GtidSet.parse(A)).hasMessageContaining("no interval");
        assertThatThrownBy(() -> GtidSet.parse(A + ":x")).hasMessageContaining("'x'");
    }

    @Test
    void encodesAsTheDumpCommandExpects() {
        GtidSet set = GtidSet.parse(A + ":1-5:7");
        ByteBuf buf = Unpooled.buffer();
        set.encode(buf);
        assertThat(buf.readableBytes()).isEqualTo(set.encodedLength());
        assertThat(buf.readLongLE()).isEqualTo(1);
        UUID uuid = new UUID(buf.readLong(), buf.readLong());
        assertThat(uuid.toString()).isEqualTo(A);
        assertThat(buf.readLongLE()).isEqualTo(2);
        // intervals are sent with an exclusive end
        assertThat(new long[]{buf.readLongLE(), buf.readLongLE(), buf.readLongLE(), buf.readLongLE()})
                .containsExactly(1, 6, 7, 8);
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void subtractLeavesWhatTheOtherSetLacks() {
        String a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        String b = "4e11fa47-71ca-11e1-9e33-c80aa9429562";
        GtidSet set = GtidSet.parse(a + ":1-10:20-30," + b + ":5");
        assertThat(set.subtract(GtidSet.parse(a + ":1-30," + b + ":1-9")).isEmpty()).isTrue();
        assertThat(set.subtract(GtidSet.parse(a + ":3-5:25")).toString())
                .isEqualTo(a + ":1-2:6-10:20-24:26-30," + b + ":5");
        assertThat(set.subtract(GtidSet.EMPTY)).isEqualTo(set);
        assertThat(GtidSet.EMPTY.subtract(set).isEmpty()).isTrue();
    }
}
