package dev.canalboot.binlog;

import dev.canalboot.source.SourceCounters;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TransactionBoundary;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchAssemblerTest {

    private final List<List<ChangeEvent>> batches = new ArrayList<>();
    private final List<BinlogCheckpoint> checkpoints = new ArrayList<>();
    private final BatchAssembler assembler = new BatchAssembler(1000,
            new BinlogCheckpoint("binlog.000001", 4, null, null), (batch, end) -> {
                batches.add(batch.decode());
                checkpoints.add(end);
            }, new SourceCounters(() -> "test"));

    @Test
    void aReadEndingMidTransactionDeliversTheTransactionsCompletedBeforeIt() {
        ChangeEvent begin1 = event(TransactionBoundary.Kind.BEGIN, 100);
        ChangeEvent commit1 = event(TransactionBoundary.Kind.COMMIT, 200);
        ChangeEvent begin2 = event(TransactionBoundary.Kind.BEGIN, 300);
        assembler.onChange(begin1);
        assembler.onChange(commit1);
        assembler.onPosition("binlog.000001", 250, null, true);
        assembler.onChange(begin2);
        assembler.flushAtTransactionEnd(); // the read ended inside the second transaction

        assertThat(batches).containsExactly(List.of(begin1, commit1));
        assertThat(checkpoints).containsExactly(new BinlogCheckpoint("binlog.000001", 250, null, null));

        ChangeEvent commit2 = event(TransactionBoundary.Kind.COMMIT, 400);
        assembler.onChange(commit2);
        assembler.onPosition("binlog.000001", 450, null, true);
        assembler.flushAtTransactionEnd();

        assertThat(batches).containsExactly(List.of(begin1, commit1), List.of(begin2, commit2));
        assertThat(checkpoints.get(1)).isEqualTo(new BinlogCheckpoint("binlog.000001", 450, null, null));
    }

    @Test
    void aReadInsideTheFirstTransactionDeliversNothing() {
        assembler.onChange(event(TransactionBoundary.Kind.BEGIN, 100));
        assembler.flushAtTransactionEnd();

        assertThat(batches).isEmpty();
    }

    private static ChangeEvent event(TransactionBoundary.Kind kind, long offset) {
        return new TransactionBoundary("test", kind, null, new SourcePosition("binlog.000001", offset, null),
                Instant.EPOCH);
    }
}
