package dev.canalboot.sample;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/** A row of {@code shop.orders}; columns map by name ({@code created_at} fills {@code createdAt}). */
public record Order(long id, String customer, BigDecimal amount, String status, LocalDateTime createdAt) {
}
