package dev.canalboot.listener.container;

/**
 * Thrown before a listener call when the container's delivery permit (high availability: the leader's lease) says
 * this instance may no longer deliver: the batch is rolled back and the container stops, without failing.
 */
final class DeliveryRevokedException extends RuntimeException {

    DeliveryRevokedException(String sourceName) {
        super("Source '" + sourceName + "': this instance may no longer deliver (its leadership lease ran out)",
                null, false, false);
    }
}
