package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * FORMAT_DESCRIPTION_EVENT bodies laid out from the replication protocol description: binlog version, 50 bytes of
 * server version, create timestamp, header length, post-header lengths, and for checksum-aware servers the
 * checksum algorithm and the event's own 4-byte checksum.
 */
class FormatDescriptionEventTest {

    private static ByteBuf body(int binlogVersion, String serverVersion, int headerLength, int[] postHeaders,
                                int checksumAlgorithm) {
        ByteBuf b = Unpooled.buffer();
        b.writeShortLE(binlogVersion);
        byte[] version = new byte[50];
        byte[] text = serverVersion.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, version, 0, text.length);
        b.writeBytes(version).writeIntLE(0).writeByte(headerLength);
        for (int p : postHeaders) {
            b.writeByte(p);
        }
        if (checksumAlgorithm >= 0) {
            b.writeByte(checksumAlgorithm).writeIntLE(0x12345678);
        }
        return b;
    }

    private static int[] postHeaders(int types) {
        int[] p = new int[types];
        p[EventType.QUERY - 1] = 13;
        p[EventType.TABLE_MAP - 1] = 8;
        if (types >= EventType.WRITE_ROWS_V2) {
            p[EventType.WRITE_ROWS_V2 - 1] = 10;
        }
        p[EventType.FORMAT_DESCRIPTION - 1] = 0x62;
        p[types - 1] = 0xc8; // above 127: read unsigned
        return p;
    }

    @Test
    void mySqlWithCrc32() {
        FormatDescriptionEvent fde = FormatDescriptionEvent.decode(body(4, "8.0.36", 19, postHeaders(41), 1));
        assertThat(fde.binlogVersion()).isEqualTo(4);
        assertThat(fde.serverVersion()).isEqualTo("8.0.36");
        assertThat(fde.headerLength()).isEqualTo(19);
        assertThat(fde.checksumAlgorithm()).isEqualTo(FormatDescriptionEvent.CHECKSUM_CRC32);
        assertThat(fde.checksumOn()).isTrue();
        assertThat(fde.isMariaDb()).isFalse();
        assertThat(fde.postHeaderLengths()).as("the checksum algorithm and checksum are not type lengths")
                .hasSize(41);
        assertThat(fde.postHeaderLength(EventType.QUERY)).isEqualTo(13);
        assertThat(fde.postHeaderLength(EventType.TABLE_MAP)).isEqualTo(8);
        assertThat(fde.postHeaderLength(EventType.WRITE_ROWS_V2)).isEqualTo(10);
        assertThat(fde.postHeaderLength(41)).isEqualTo(0xc8);
    }

    @Test
    void typesTheServerDoesNotKnowHaveNoPostHeader() {
        FormatDescriptionEvent fde = FormatDescriptionEvent.decode(body(4, "8.0.36", 19, postHeaders(41), 0));
        assertThat(fde.postHeaderLength(0)).isZero();
        assertThat(fde.postHeaderLength(42)).isZero();
        assertThat(fde.postHeaderLength(EventType.MARIADB_GTID)).isZero();
        assertThat(fde.checksumOn()).isFalse();
    }

    @Test
    void mariaDbWithChecksumsOff() {
        FormatDescriptionEvent fde = FormatDescriptionEvent.decode(
                body(4, "11.4.5-MariaDB-log", 19, postHeaders(171), 0));
        assertThat(fde.isMariaDb()).isTrue();
        assertThat(fde.checksumAlgorithm()).isEqualTo(FormatDescriptionEvent.CHECKSUM_OFF);
        assertThat(fde.postHeaderLengths()).hasSize(171);
        assertThat(fde.postHeaderLength(171)).isEqualTo(0xc8);
    }

    @Test
    void aServerBeforeChecksumsHasOnlyPostHeaderLengths() {
        FormatDescriptionEvent fde = FormatDescriptionEvent.decode(body(4, "5.5.62-log", 19, postHeaders(27), -1));
        assertThat(fde.checksumAlgorithm()).isEqualTo(FormatDescriptionEvent.CHECKSUM_UNDEFINED);
        assertThat(fde.checksumOn()).isFalse();
        assertThat(fde.postHeaderLengths()).hasSize(27);
        assertThat(fde.postHeaderLength(27)).isEqualTo(0xc8);
    }

    @Test
    void checksumsCameWithMySql561AndMariaDb53() {
        assertThat(FormatDescriptionEvent.checksumAware("5.6.0")).isFalse();
        assertThat(FormatDescriptionEvent.checksumAware("5.6.1")).isTrue();
        assertThat(FormatDescriptionEvent.checksumAware("5.6.10-log")).isTrue();
        assertThat(FormatDescriptionEvent.checksumAware("5.5.62")).isFalse();
        assertThat(FormatDescriptionEvent.checksumAware("5.7.44")).isTrue();
        assertThat(FormatDescriptionEvent.checksumAware("8.0.36")).isTrue();
        assertThat(FormatDescriptionEvent.checksumAware("4.1.22")).isFalse();
        assertThat(FormatDescriptionEvent.checksumAware("5.2.14-MariaDB")).isFalse();
        assertThat(FormatDescriptionEvent.checksumAware("5.3.0-MariaDB")).isTrue();
        assertThat(FormatDescriptionEvent.checksumAware("10.0.1-MariaDB")).isTrue();
    }

    @Test
    void aShortBodyIsADecodeError() {
        assertThatThrownBy(() -> FormatDescriptionEvent.decode(Unpooled.buffer().writeZero(56)))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("format description event body of 56 bytes is shorter than its fixed part");
    }

    @Test
    void otherBinlogVersionsOrHeaderLengthsAreNamed() {
        assertThatThrownBy(() -> FormatDescriptionEvent.decode(body(3, "4.0.30", 13, new int[0], -1)))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("unsupported binlog format version 3 with header length 13 (server 4.0.30)");
        assertThatThrownBy(() -> FormatDescriptionEvent.decode(body(4, "8.0.36", 23, postHeaders(41), 1)))
                .isInstanceOf(BinlogDecodeException.class).hasMessageContaining("header length 23");
    }

    @Test
    void anUnknownChecksumAlgorithmOrAMissingOneIsADecodeError() {
        assertThatThrownBy(() -> FormatDescriptionEvent.decode(body(4, "8.0.36", 19, postHeaders(41), 2)))
                .isInstanceOf(BinlogDecodeException.class).hasMessage("unsupported binlog checksum algorithm 2");
        assertThatThrownBy(() -> FormatDescriptionEvent.decode(body(4, "8.0.36", 19, new int[] {1, 2}, -1)))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("format description event of 8.0.36 lacks its checksum algorithm");
    }
}
