package dev.canalboot.internal.mysql;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonDoubles} against the server itself (MySQL 8.0.31): for doubles across the whole range (every decimal
 * exponent, powers of two and their neighbours, subnormals, random bit patterns), the text of
 * {@code CAST(CAST(x AS DOUBLE) AS JSON)} is ours.
 */
class JsonDoublesIT {

    @Test
    void doublesPrintAsTheServerPrintsThemInJson() throws Exception {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.MIN_NORMAL, -Double.MAX_VALUE));
        for (int e = -323; e <= 308; e++) {
            values.add(Double.parseDouble("1e" + e));
            values.add(Double.parseDouble("-7.5e" + e));
            values.add(Double.parseDouble("1.2345678901234567e" + e));
        }
        for (int e = -1074; e <= 1023; e += 5) {
            values.add(Math.scalb(1.0, e));
            values.add(Math.nextDown(Math.scalb(1.0, e)));
        }
        Random random = new Random(20261206L);
        for (int i = 0; i < 500; i++) {
            values.add(Double.longBitsToDouble(random.nextLong()));
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
        }
        values.removeIf(d -> d.isNaN() || d.isInfinite());

        EmbeddedDatabase mysql = TestServers.mysql();
        List<String> different = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(null), mysql.rootUser(), mysql.rootPassword());
             PreparedStatement select = c.prepareStatement("SELECT CAST(CAST(? AS DOUBLE) AS JSON)")) {
            for (double d : values) {
                select.setString(1, Double.toString(d)); // read back by the server as the same double
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    String server = rs.getString(1);
                    String ours = JsonDoubles.text(d);
                    if (!server.equals(ours)) {
                        different.add(d + ": server " + server + ", ours " + ours);
                    }
                }
            }
        }
        assertThat(different).as("of %d doubles", values.size()).isEmpty();
    }
}
