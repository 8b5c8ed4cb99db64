package dev.canalboot.readme;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.FileCheckpointStore;
import java.nio.file.Path;
import java.time.Duration;

/** README snippet, compiled: a binlog source with a checkpoint store (Checkpoints). ReadmeSnippetsTest checks the README still shows these lines. */
class CheckpointsSnippet {

    BinlogChangeSource example(BinlogSourceSettings settings) {
        CheckpointStore store = new FileCheckpointStore(Path.of("canal-checkpoints"));   // or new JdbcCheckpointStore(dataSource)
        BinlogChangeSource source = new BinlogChangeSource(settings, store,
                new CheckpointPolicy(true, Duration.ZERO));   // checkpoint wins; save at every acknowledged batch
        return source;
    }
}
