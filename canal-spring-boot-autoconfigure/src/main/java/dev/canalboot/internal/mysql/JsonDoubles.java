package dev.canalboot.internal.mysql;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A JSON double as MySQL prints it ({@code SELECT} of a JSON column): the shortest digits that read back as the
 * same double, in plain notation while the decimal exponent is within 15 places either side (and always when the
 * number has digits after the point), else {@code 1.5e300} style, and a {@code .0} on whole numbers in plain
 * notation. The rule was read off the server: {@code 1e-15 → 0.000000000000001}, {@code 1e-16 → 1e-16},
 * {@code 1e14 → 100000000000000.0}, {@code 1e15 → 1e15}, {@code 1.6605903194087922e15 → 1660590319408792.2}.
 */
public final class JsonDoubles {

    /** Plain notation for a decimal point at most this many places left of the first digit, less one. */
    private static final int MIN_PLAIN_POINT = -14;
    /** Plain notation for a whole number with at most this many digits. */
    private static final int MAX_PLAIN_POINT = 15;

    private JsonDoubles() {
    }

    public static String text(double d) {
        if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(d)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int len = digits.length();
        int point = len - shortest.scale(); // the value is 0.<digits> × 10^point
        StringBuilder sb = new StringBuilder(len + 24);
        if (d < 0) {
            sb.append('-');
        }
        if (point >= MIN_PLAIN_POINT && (point <= MAX_PLAIN_POINT || point < len)) {
            if (point <= 0) {
                sb.append("0.");
                sb.append("0".repeat(-point));
                sb.append(digits);
            } else if (point < len) {
                sb.append(digits, 0, point).append('.').append(digits, point, len);
            } else {
                sb.append(digits).append("0".repeat(point - len)).append(".0");
            }
        } else {
            sb.append(digits.charAt(0));
            if (len > 1) {
                sb.append('.').append(digits, 1, len);
            }
            sb.append('e').append(point - 1);
        }
        return sb.toString();
    }

    /**
     * The shortest decimal that reads back as {@code d} (positive, finite), the nearest one where several are as
     * short. {@link Double#toString} reads back but is not always the shortest before Java 19, so it only bounds
     * the search: a decimal of n digits that reads back is one of n + 1 digits too, so the lengths are searched
     * downwards from it until none reads back.
     */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        BigDecimal best = new BigDecimal(Double.toString(d));
        for (int n = best.stripTrailingZeros().precision(); n >= 1; n--) {
            BigDecimal candidate = readsBack(exact, n, d);
            if (candidate == null) {
                break;
            }
            best = candidate;
        }
        return best;
    }

    /** The nearest n-digit decimal to {@code exact} that reads back as {@code d}, or null. */
    private static BigDecimal readsBack(BigDecimal exact, int n, double d) {
        BigDecimal nearest = exact.round(new MathContext(n, RoundingMode.HALF_EVEN));
        if (nearest.doubleValue() == d) {
            return nearest;
        }
        // Next to a power of two the doubles below are twice as dense as above: the other neighbour may read back
        RoundingMode other = nearest.compareTo(exact) > 0 ? RoundingMode.DOWN : RoundingMode.UP;
        BigDecimal neighbour = exact.round(new MathContext(n, other));
        return neighbour.doubleValue() == d ? neighbour : null;
    }
}
