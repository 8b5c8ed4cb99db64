package dev.canalboot.test.examples;

import dev.canalboot.listener.container.DeadLetterHandler;
import dev.canalboot.listener.container.ListenerFailure;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Orders that failed on every attempt ({@code canal.listener.error-handler=dead-letter}). */
@Component
public class ParkedOrders implements DeadLetterHandler {

    private final List<ListenerFailure> parked = new CopyOnWriteArrayList<>();

    @Override
    public void handle(ListenerFailure failure) {
        parked.add(failure);
    }

    public List<ListenerFailure> parked() {
        return List.copyOf(parked);
    }
}
