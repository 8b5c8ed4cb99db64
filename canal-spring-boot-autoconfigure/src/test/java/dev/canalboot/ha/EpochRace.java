package dev.canalboot.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Several instances claiming a source's next epoch at once, for every {@link EpochSource}. */
final class EpochRace {

    private EpochRace() {
    }

    /** Four claimants claim three times each, all at once: the epochs handed out are 1..12, none twice. */
    static void assertConcurrentClaimsGetDistinctConsecutiveEpochs(EpochSource epochs) throws Exception {
        int claimants = 4;
        ExecutorService pool = Executors.newFixedThreadPool(claimants);
        try {
            List<Callable<Long>> claims = new ArrayList<>();
            for (int i = 0; i < claimants * 3; i++) {
                String holder = "i" + (i % claimants);
                claims.add(() -> epochs.next("s", holder).value());
            }
            List<Long> values = new ArrayList<>();
            for (Future<Long> f : pool.invokeAll(claims)) {
                values.add(f.get());
            }
            assertThat(values).as("no epoch handed out twice").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, claimants * 3L).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
        assertThat(epochs.current("s").orElseThrow().value()).isEqualTo(claimants * 3L);
    }
}
