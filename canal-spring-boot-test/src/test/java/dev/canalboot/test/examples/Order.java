package dev.canalboot.test.examples;

import java.math.BigDecimal;

/** A row of {@code shop.orders}, mapped by column name. */
public record Order(long id, String customer, BigDecimal amount) {
}
