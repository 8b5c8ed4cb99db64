package dev.canalboot.internal.binlog.value;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.jspecify.annotations.Nullable;

/**
 * MySQL temporal storage formats as written in row images. Methods return {@code null} for zero or
 * otherwise unrepresentable dates; the caller applies the zero-date policy.
 */
public final class Temporals {

    private static final long DATETIMEF_INT_OFS = 0x8000000000L;
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;

    private Temporals() {
    }

    /** Bytes of the fractional seconds of a TIME2, DATETIME2 or TIMESTAMP2 value with {@code fsp} digits. */
    public static int fractionBytes(int fsp) {
        return (fsp + 1) / 2;
    }

    /**
     * The last date one column decoded, handed out again while rows keep the same date: rows written close
     * together mostly share it, and {@code LocalDate.of} validates and allocates. Holds one immutable
     * reference, so it is safe even if it were shared.
     */
    public static final class LastDate {

        private LocalDate last;

        /** @throws DateTimeException for a date that does not exist */
        LocalDate of(int year, int month, int day) {
            LocalDate date = last;
            if (date == null || date.getDayOfMonth() != day || date.getMonthValue() != month
                    || date.getYear() != year) {
                date = LocalDate.of(year, month, day);
                last = date;
            }
            return date;
        }
    }

    /** DATE: 3 bytes little-endian, day in bits 0-4, month in 5-8, year above. */
    public static @Nullable LocalDate date(ByteReader in, LastDate dates) {
        int v = in.u24();
        int year = v >>> 9;
        int month = (v >>> 5) & 0x0f;
        int day = v & 0x1f;
        if (month == 0 || day == 0) {
            return null;
        }
        try {
            return dates.of(year, month, day);
        } catch (DateTimeException e) {
            return null; // invalid dates stored with ALLOW_INVALID_DATES: treated as zero dates
        }
    }

    /**
     * DATETIME2: 5 bytes big-endian packed (year*13+month, day, hour, minute, second) plus the fraction. The
     * integer part is read as one byte and one int, and split in int arithmetic: this runs for every such
     * column of every row.
     */
    public static @Nullable LocalDateTime datetime2(ByteReader in, int fsp, LastDate dates) {
        int high = in.u8();
        long intPart = ((long) high << 32 | in.u32be()) - DATETIMEF_INT_OFS;
        int micros = switch (fsp) {
            case 1, 2 -> in.s8() * 10_000;
            case 3, 4 -> in.s16be() * 100;
            case 5, 6 -> in.s24be();
            default -> 0;
        };
        if (intPart < 0 || micros < 0) {
            return null;
        }
        int ymd = (int) (intPart >>> 17);
        int ym = ymd >>> 5;
        int hms = (int) intPart & 0x1ffff;
        return datetime(ym / 13, ym % 13, ymd & 0x1f, hms >>> 12, (hms >>> 6) & 0x3f, hms & 0x3f, micros, dates);
    }

    /** DATETIME (before 5.6): 8 bytes little-endian, the decimal number YYYYMMDDhhmmss. */
    public static LocalDateTime datetime(ByteReader in, LastDate dates) {
        long v = in.s64();
        long date = v / 1_000_000;
        long time = v % 1_000_000;
        return datetime((int) (date / 10_000), (int) (date / 100 % 100), (int) (date % 100), (int) (time / 10_000),
                (int) (time / 100 % 100), (int) (time % 100), 0, dates);
    }

    /** TIMESTAMP2: 4 bytes big-endian seconds since the epoch plus the fraction; 0 is the zero timestamp. */
    public static @Nullable Instant timestamp2(ByteReader in, int fsp) {
        long seconds = in.u32be();
        int micros = switch (fsp) {
            case 1, 2 -> in.u8() * 10_000;
            case 3, 4 -> in.u16be() * 100;
            case 5, 6 -> in.u24be();
            default -> 0;
        };
        if (seconds == 0 && micros == 0) {
            return null;
        }
        return Instant.ofEpochSecond(seconds, micros * 1000L);
    }

    /** TIMESTAMP (before 5.6): 4 bytes little-endian seconds. */
    public static Instant timestamp(ByteReader in) {
        long seconds = in.u32();
        return seconds == 0 ? null : Instant.ofEpochSecond(seconds);
    }

    /**
     * TIME2: 3 bytes big-endian (sign, hour, minute, second) offset by 2^23, then the fraction; negative
     * values borrow from the integer part as MySQL's my_time_packed_from_binary describes.
     */
    public static Duration time2(ByteReader in, int fsp) {
        long packed;
        switch (fsp) {
            case 1, 2 -> {
                long intPart = in.unsignedBE(3) - TIMEF_INT_OFS;
                int frac = in.u8();
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                packed = (intPart << 24) + frac * 10_000L;
            }
            case 3, 4 -> {
                long intPart = in.unsignedBE(3) - TIMEF_INT_OFS;
                int frac = in.u16be();
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                packed = (intPart << 24) + frac * 100L;
            }
            case 5, 6 -> packed = in.unsignedBE(6) - TIMEF_OFS;
            default -> packed = (in.unsignedBE(3) - TIMEF_INT_OFS) << 24;
        }
        boolean negative = packed < 0;
        long magnitude = Math.abs(packed);
        long hms = magnitude >>> 24;
        long micros = magnitude & 0xffffff;
        long hours = (hms >>> 12) & 0x3ff;
        long minutes = (hms >>> 6) & 0x3f;
        long seconds = hms & 0x3f;
        long totalMicros = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000L + micros;
        return Duration.ofNanos((negative ? -totalMicros : totalMicros) * 1000L);
    }

    /** TIME (before 5.6): 3 bytes little-endian signed, the decimal number hhmmss. */
    public static Duration time(ByteReader in) {
        int v = in.s24();
        int magnitude = Math.abs(v);
        long seconds = (magnitude / 10_000) * 3600L + (magnitude / 100 % 100) * 60L + magnitude % 100;
        return Duration.ofSeconds(v < 0 ? -seconds : seconds);
    }

    private static @Nullable LocalDateTime datetime(int year, int month, int day, int hour, int minute, int second,
                                          int micros, LastDate dates) {
        if (month == 0 || day == 0) {
            return null;
        }
        try {
            return LocalDateTime.of(dates.of(year, month, day), LocalTime.of(hour, minute, second, micros * 1000));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
