package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.mysql.MysqlType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which columns each server numbers in the table map's optional metadata (the real servers' table maps are
 * checked by MySqlBinlogFilesIT and MariaDbBinlogFilesIT, every column type before and after every other).
 */
class TableMapEventTest {

    private static final int BINARY = 63;
    private static final int UTF8MB4_GENERAL = 45;
    private static final int LATIN1 = 8;

    /** (id INT, g GEOMETRY, t TEXT, y YEAR, n TINYINT UNSIGNED, l VARCHAR(8) latin1). */
    private static ByteBuf tableMap(int[] columnCharsets, int signedness) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(1).writeBytes("s".getBytes(StandardCharsets.UTF_8)).writeByte(0);
        b.writeByte(1).writeBytes("t".getBytes(StandardCharsets.UTF_8)).writeByte(0);
        int[] types = {MysqlType.LONG, MysqlType.GEOMETRY, MysqlType.BLOB, MysqlType.YEAR, MysqlType.TINY,
                MysqlType.VARCHAR};
        b.writeByte(types.length);
        for (int type : types) {
            b.writeByte(type);
        }
        b.writeByte(4).writeByte(4).writeByte(2).writeShortLE(8); // GEOMETRY, BLOB: length bytes; VARCHAR: max
        b.writeByte(0b111110); // nullable
        b.writeByte(1).writeByte(1).writeByte(signedness); // SIGNEDNESS
        b.writeByte(3).writeByte(columnCharsets.length); // COLUMN_CHARSET
        for (int collation : columnCharsets) {
            b.writeByte(collation);
        }
        return b;
    }

    @Test
    void mariaDbNumbersGeometryAmongTheCharacterColumns() {
        TableMapEvent map = TableMapEvent.decode(7, tableMap(new int[]{BINARY, UTF8MB4_GENERAL, LATIN1}, 0), true);
        assertThat(map.optional().collations()).containsExactly(-1, BINARY, UTF8MB4_GENERAL, -1, -1, LATIN1);
    }

    @Test
    void mySqlDoesNot() {
        TableMapEvent map = TableMapEvent.decode(7, tableMap(new int[]{UTF8MB4_GENERAL, LATIN1}, 0), false);
        assertThat(map.optional().collations()).containsExactly(-1, -1, UTF8MB4_GENERAL, -1, -1, LATIN1);
    }

    @Test
    void bothGiveYearASignednessBit() {
        // bits in column order of the counted columns: id, y, n; only n is unsigned
        for (boolean mariadb : new boolean[]{true, false}) {
            int[] charsets = mariadb ? new int[]{BINARY, UTF8MB4_GENERAL, LATIN1} : new int[]{UTF8MB4_GENERAL, LATIN1};
            TableMapEvent map = TableMapEvent.decode(7, tableMap(charsets, 0b0010_0000), mariadb);
            assertThat(map.optional().unsigned()).as("mariadb=%s", mariadb)
                    .containsExactly(false, false, false, false, true, false);
        }
    }
}
