package dev.canalboot.test.examples;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The application the README's testing examples test. */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    @Bean
    InvoiceBook invoicing() {
        return new InvoiceBook();
    }

    /** Keeps the invoiced orders (stands for the real invoicing service). */
    public static class InvoiceBook implements Invoicing {

        private final List<Order> invoiced = new CopyOnWriteArrayList<>();
        private final List<Order> amended = new CopyOnWriteArrayList<>();

        @Override
        public void invoice(Order order) {
            invoiced.add(order);
        }

        @Override
        public void amend(Order before, Order after) {
            amended.add(after);
        }

        public List<Order> invoiced() {
            return List.copyOf(invoiced);
        }

        public List<Order> amended() {
            return List.copyOf(amended);
        }
    }
}
