package dev.canalboot.test.examples;

/** What the application does with a new order (a remote call in real life: it can fail). */
public interface Invoicing {

    void invoice(Order order);

    /** The order's amount changed after it was invoiced. */
    void amend(Order before, Order after);
}
