package dev.canalboot.test.examples;

import dev.canalboot.listener.AfterImage;
import dev.canalboot.listener.BeforeImage;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.ChangeType;
import org.springframework.stereotype.Component;

/** The listener under test: every new order is invoiced, a changed amount amended. */
@Component
public class OrderListener {

    private final Invoicing invoicing;

    public OrderListener(Invoicing invoicing) {
        this.invoicing = invoicing;
    }

    @CanalListener(id = "invoice-new-orders", table = "shop.orders", events = ChangeType.INSERT)
    public void onNewOrder(Order order) {
        invoicing.invoice(order);
    }

    @CanalListener(id = "amend-changed-orders", table = "shop.orders", events = ChangeType.UPDATE)
    public void onChangedOrder(@BeforeImage Order before, @AfterImage Order after) {
        if (before.amount().compareTo(after.amount()) != 0) {
            invoicing.amend(before, after);
        }
    }
}
