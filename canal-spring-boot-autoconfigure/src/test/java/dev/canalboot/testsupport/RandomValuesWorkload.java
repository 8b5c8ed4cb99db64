package dev.canalboot.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A table with columns of every storage width and seeded random rows: DECIMAL of 15 precisions by up to 4 scales,
 * an ENUM of 300 elements (two bytes), a SET of 64 (eight), BIT from 1 to 64, TIME/DATETIME/TIMESTAMP of each
 * fraction, FLOAT and DOUBLE; one value in ten NULL. Values are SQL literals; TIMESTAMPs are given as epoch
 * seconds, so the session's zone does not matter.
 */
public final class RandomValuesWorkload {

    private static final int[] DECIMAL_PRECISIONS = {1, 2, 4, 8, 9, 10, 17, 18, 19, 27, 28, 36, 45, 64, 65};

    private final String table;
    private final Random random;
    private final List<String> columns = new ArrayList<>();
    private final List<Supplier<String>> values = new ArrayList<>();

    public RandomValuesWorkload(String qualifiedTable, long seed) {
        this.table = qualifiedTable;
        this.random = new Random(seed);
        decimals();
        enumAndSet();
        for (int n : new int[]{1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64}) {
            column("b" + n + " BIT(" + n + ")", () -> "b'" + Long.toBinaryString(
                    n == 64 ? random.nextLong() : random.nextLong() & ((1L << n) - 1)) + "'");
        }
        for (int n = 0; n <= 6; n++) {
            int digits = n;
            column("t" + n + " TIME(" + n + ")", () -> "'" + (random.nextBoolean() ? "-" : "") + random.nextInt(839)
                    + ":" + random.nextInt(60) + ":" + random.nextInt(60) + fraction(digits) + "'");
            column("dt" + n + " DATETIME(" + n + ")", () -> "'" + (1000 + random.nextInt(9000)) + "-"
                    + (1 + random.nextInt(12)) + "-" + (1 + random.nextInt(28)) + " " + random.nextInt(24) + ":"
                    + random.nextInt(60) + ":" + random.nextInt(60) + fraction(digits) + "'");
            column("ts" + n + " TIMESTAMP(" + n + ") NULL", () -> "FROM_UNIXTIME(" + (1 + random.nextInt(2_000_000_000))
                    + fraction(digits) + ")");
        }
        column("f FLOAT", () -> Float.toString((float) (random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10))));
        column("dbl DOUBLE", () -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(200) - 100)));
        column("f73 FLOAT(7,3)", () -> String.format(java.util.Locale.ROOT, "%.3f", random.nextDouble() * 9999 - 5000));
    }

    public String createTable() {
        return "CREATE TABLE " + table + " (id INT PRIMARY KEY, " + String.join(", ", columns) + ")";
    }

    /** {@code rows} INSERT statements, ids 0 to rows - 1. */
    public List<String> inserts(int rows) {
        List<String> inserts = new ArrayList<>();
        for (int id = 0; id < rows; id++) {
            StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES (" + id);
            for (Supplier<String> value : values) {
                insert.append(", ").append(random.nextInt(10) == 0 ? "NULL" : value.get());
            }
            inserts.add(insert.append(")").toString());
        }
        return inserts;
    }

    private void decimals() {
        for (int precision : DECIMAL_PRECISIONS) {
            for (int scale : new int[]{0, 1, precision / 2, Math.min(precision, 30)}) {
                String name = "d_" + precision + "_" + scale;
                if (scale > precision || scale > 30 || columns.stream().anyMatch(c -> c.startsWith(name + " "))) {
                    continue;
                }
                column(name + " DECIMAL(" + precision + "," + scale + ")", () -> decimal(precision, scale));
            }
        }
    }

    private String decimal(int precision, int scale) {
        StringBuilder v = new StringBuilder(random.nextBoolean() ? "-" : "");
        int integerDigits = precision - scale == 0 ? 0 : random.nextInt(precision - scale + 1);
        if (integerDigits == 0) {
            v.append('0');
        }
        for (int k = 0; k < integerDigits; k++) {
            v.append((char) (k == 0 ? '1' + random.nextInt(9) : '0' + random.nextInt(10)));
        }
        if (scale > 0) {
            v.append('.');
            int significant = random.nextInt(scale + 1);
            for (int k = 0; k < scale; k++) {
                v.append(k < significant ? (char) ('0' + random.nextInt(10)) : '0');
            }
        }
        return v.toString();
    }

    private void enumAndSet() {
        List<String> elements = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            elements.add("'v" + k + "'");
        }
        column("e300 ENUM(" + String.join(",", elements) + ")", () -> "'v" + random.nextInt(300) + "'");
        List<String> members = new ArrayList<>();
        for (int k = 0; k < 64; k++) {
            members.add("'m" + k + "'");
        }
        column("s64 SET(" + String.join(",", members) + ")", () -> {
            List<String> chosen = new ArrayList<>();
            for (int k = 0; k < 64; k++) {
                if (random.nextInt(4) == 0) {
                    chosen.add("m" + k);
                }
            }
            return "'" + String.join(",", chosen) + "'";
        });
    }

    private String fraction(int digits) {
        return digits == 0 ? "" : "." + String.format("%06d", random.nextInt(1_000_000)).substring(0, digits);
    }

    private void column(String definition, Supplier<String> value) {
        columns.add(definition);
        values.add(value);
    }
}
