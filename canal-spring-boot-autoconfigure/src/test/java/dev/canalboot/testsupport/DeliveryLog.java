package dev.canalboot.testsupport;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a crash-test consumer appends, fsync'd before it acknowledges: a {@code RUN} line when a process starts,
 * then {@code id transaction ;} per delivered row of the watched table. A kill can tear the last line of a run:
 * the closing {@code ;} tells a whole line from a torn one, and {@code RUN} starts on a line of its own.
 * {@link DeliveryCheck} reads it back.
 */
public final class DeliveryLog implements AutoCloseable {

    private final FileChannel channel;
    private final String table;

    /** @param table the qualified table ({@code schema.table}) whose rows are logged; its key column is {@code id} */
    public DeliveryLog(Path file, String table) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        this.table = table;
        write("\nRUN\n");
    }

    /** Appends the batch's rows of the table and forces them to disk; returns how many. */
    public int append(ChangeBatch batch) throws IOException {
        StringBuilder lines = new StringBuilder();
        int rows = 0;
        for (ChangeEvent event : batch.events()) {
            if (event instanceof RowChange row && row.qualifiedTable().equals(table)) {
                String transaction = row.position().gtid() != null ? row.position().gtid() : row.position().file();
                lines.append(row.row().getLong("id")).append(' ').append(transaction).append(" ;\n");
                rows++;
            }
        }
        if (rows > 0) {
            write(lines.toString());
        }
        return rows;
    }

    private void write(String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
