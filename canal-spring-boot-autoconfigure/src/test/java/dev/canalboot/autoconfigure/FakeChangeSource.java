package dev.canalboot.autoconfigure;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceState;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A source fed by the test: batches offered to {@link #batches} are polled by the listener container. */
class FakeChangeSource implements ChangeSource {

    final String name;
    final SourceProperties properties;
    final BlockingQueue<ChangeBatch> batches = new LinkedBlockingQueue<>();
    final BlockingQueue<ChangeBatch> acked = new LinkedBlockingQueue<>();
    final AtomicInteger starts = new AtomicInteger();
    private volatile SourceState state = SourceState.IDLE;

    FakeChangeSource(String name) {
        this(name, null);
    }

    FakeChangeSource(String name, SourceProperties properties) {
        this.name = name;
        this.properties = properties;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        starts.incrementAndGet();
        state = SourceState.CONNECTED;
    }

    @Override
    public ChangeBatch poll(Duration timeout) throws InterruptedException {
        return batches.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void ack(ChangeBatch batch) {
        acked.add(batch);
    }

    @Override
    public void rollback(ChangeBatch batch) {
        List<ChangeBatch> rest = List.copyOf(batches);
        batches.clear();
        batches.add(batch);
        batches.addAll(rest);
    }

    @Override
    public void close() {
        state = SourceState.STOPPED;
    }

    @Override
    public SourceState state() {
        return state;
    }
}
