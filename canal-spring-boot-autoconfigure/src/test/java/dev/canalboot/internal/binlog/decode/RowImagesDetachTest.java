package dev.canalboot.internal.binlog.decode;

import dev.canalboot.internal.binlog.event.TableMapEvent;
import dev.canalboot.internal.binlog.value.ByteReader;
import dev.canalboot.internal.mysql.MysqlType;
import dev.canalboot.internal.binlog.value.TableDecoder;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.ZeroDatePolicy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Row images handed on undecoded: the same rows, and no more allocation than the copy of their bytes needs. */
class RowImagesDetachTest {

    private static final int ROWS = 500;

    /** (id INT, name VARCHAR(10) utf8mb4) rows as an insert event holds them: null bitmap, int, length, bytes. */
    private static byte[] images() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < ROWS; i++) {
            byte[] name = ("n" + i).getBytes(StandardCharsets.UTF_8);
            out.write(0);
            out.write(i & 0xff);
            out.write((i >>> 8) & 0xff);
            out.write(0);
            out.write(0);
            out.write(name.length);
            out.write(name, 0, name.length);
        }
        return out.toByteArray();
    }

    private static RowImages insert(byte[] bytes) {
        TableMapEvent map = new TableMapEvent(7, "db", "t", new int[]{MysqlType.LONG, MysqlType.VARCHAR},
                new int[]{0, 40}, new boolean[]{false, true}, new TableMapEvent.OptionalMetadata(
                new boolean[]{false, false}, new int[]{-1, 255}, List.of("id", "name"), List.of(), List.of(),
                new int[]{0}));
        TableDecoder table = TableDecoder.build(map, null, ZeroDatePolicy.NULL);
        byte[] present = {0x03};
        return new RowImages("main", table, ChangeType.INSERT, false, present, 2, present, 2, ByteReader.of(bytes),
                new SourcePosition("binlog.000001", 4, null), Instant.EPOCH);
    }

    @Test
    void detachedRowsDecodeAsTheEagerOnes() {
        byte[] bytes = images();
        List<RowChange> eager = new ArrayList<>();
        insert(bytes).decode(eager::add);
        RowImages detached = insert(bytes).detach("binlog.000001:4");
        List<RowChange> later = new ArrayList<>();
        detached.decodeDetached(later::add);
        assertThat(detached.rows()).isEqualTo(ROWS);
        assertThat(later).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            assertThat(later.get(i).after()).isEqualTo(eager.get(i).after());
        }
        assertThat(later.get(ROWS - 1).after().get("name")).isEqualTo("n" + (ROWS - 1));
    }

    @Test
    void detachingAllocatesTheCopyAndOneRowStartArray() {
        byte[] bytes = images();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int warm = 0; warm < 3; warm++) {
            insert(bytes).detach("w");
        }
        RowImages images = insert(bytes);
        long before = threads.getThreadAllocatedBytes(id);
        RowImages detached = images.detach("binlog.000001:4");
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // the copy, about one int per row start (sized from the first, shortest row here), and the instance; growing
        // the starts from 16 and trimming them took about three times as much
        long needed = bytes.length + 4L * (bytes.length / 8 + 2);
        assertThat(detached.rows()).isEqualTo(ROWS);
        assertThat(allocated).as("bytes allocated by detach, %d needed", needed).isLessThan(needed + 512);
    }
}
