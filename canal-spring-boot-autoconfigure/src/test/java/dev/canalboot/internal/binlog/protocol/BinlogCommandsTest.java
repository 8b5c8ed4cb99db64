package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The replication commands, compared byte for byte with their layout in the MySQL protocol documentation. */
class BinlogCommandsTest {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void comBinlogDumpIsPositionFlagsServerIdThenTheFileName() {
        ByteBuf cmd = BinlogCommands.dump(ALLOC, 0x01020304L, "binlog.000042", 0x0A0B0C0DL);

        assertThat(hex(cmd)).isEqualTo("12"      // COM_BINLOG_DUMP
                + "0d0c0b0a"                      // position, 4 bytes LE
                + "0000"                          // flags
                + "04030201"                      // server id, 4 bytes LE
                + ByteBufUtil.hexDump("binlog.000042".getBytes())); // file name to the end, no NUL
    }

    @Test
    void comBinlogDumpCarriesUnsignedValuesAboveTwoToThe31() {
        ByteBuf cmd = BinlogCommands.dump(ALLOC, 4_294_967_295L, "b.1", 3_000_000_000L);

        assertThat(cmd.getUnsignedIntLE(1)).isEqualTo(3_000_000_000L);
        assertThat(cmd.getUnsignedIntLE(7)).isEqualTo(4_294_967_295L);
    }

    @Test
    void comBinlogDumpGtidSendsTheExecutedSetWithoutAFileName() {
        GtidSet executed = GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42:50");

        ByteBuf cmd = BinlogCommands.dumpGtid(ALLOC, 7, executed);

        assertThat(hex(cmd)).isEqualTo("1e"      // COM_BINLOG_DUMP_GTID
                + "0400"                          // flags: BINLOG_THROUGH_GTID
                + "07000000"                      // server id
                + "00000000"                      // file name length: none
                + "0400000000000000"              // position 4
                + "40000000"                      // GTID data length: 8 + 16 + 8 + 2 * 16 = 64
                + "0100000000000000"              // one UUID
                + "3e11fa4771ca11e19e33c80aa9429562"
                + "0200000000000000"              // two intervals, end exclusive
                + "0100000000000000" + "2b00000000000000"
                + "3200000000000000" + "3300000000000000");
    }

    @Test
    void comBinlogDumpGtidWithAnEmptySetAsksForEverything() {
        ByteBuf cmd = BinlogCommands.dumpGtid(ALLOC, 1, GtidSet.EMPTY);

        assertThat(cmd.getIntLE(19)).isEqualTo(8);
        assertThat(cmd.getLongLE(23)).isZero();
        assertThat(cmd.readableBytes()).isEqualTo(31);
    }

    @Test
    void semiSyncAckIsIndicatorPositionThenFileName() {
        ByteBuf ack = BinlogCommands.semiSyncAck(ALLOC, "binlog.000007", 0x0102030405L);

        assertThat(hex(ack)).isEqualTo("ef"      // semi-sync indicator
                + "0504030201000000"              // position, 8 bytes LE
                + ByteBufUtil.hexDump("binlog.000007".getBytes()));
    }

    private static String hex(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }
}
