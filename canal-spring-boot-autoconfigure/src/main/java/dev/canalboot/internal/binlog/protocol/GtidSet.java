package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A MySQL GTID set, {@code uuid:1-5:7,uuid2:1-3}: per server UUID, sorted disjoint closed intervals of
 * transaction numbers. Immutable; {@link #add} returns a new set.
 */
public final class GtidSet {

    /** A closed interval of transaction numbers. */
    public record Interval(long start, long end) {
        public Interval {
            if (start < 1 || end < start) {
                throw new IllegalArgumentException("Invalid GTID interval " + start + "-" + end);
            }
        }

        @Override
        public String toString() {
            return start == end ? Long.toString(start) : start + "-" + end;
        }
    }

    public static final GtidSet EMPTY = new GtidSet(new TreeMap<>());

    private final TreeMap<UUID, List<Interval>> sets;

    private GtidSet(TreeMap<UUID, List<Interval>> sets) {
        this.sets = sets;
    }

    /**
     * Parses {@code uuid:1-5:7,uuid2:1-3}; whitespace (MySQL prints newlines after commas) is ignored and an
     * empty string is the empty set. A malformed set is an error quoting the offending part.
     */
    public static GtidSet parse(String text) {
        TreeMap<UUID, List<Interval>> sets = new TreeMap<>();
        String compact = text == null ? "" : text.replaceAll("\\s", "");
        if (compact.isEmpty()) {
            return EMPTY;
        }
        for (String part : compact.split(",")) {
            String[] pieces = part.split(":");
            if (pieces.length < 2) {
                throw new IllegalArgumentException("GTID set part '" + part + "' has no interval (expected uuid:n[-m])");
            }
            UUID uuid;
            try {
                uuid = UUID.fromString(pieces[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("GTID set part '" + part + "' does not start with a server UUID");
            }
            List<Interval> intervals = new ArrayList<>(sets.getOrDefault(uuid, List.of()));
            for (int i = 1; i < pieces.length; i++) {
                String[] range = pieces[i].split("-", -1);
                try {
                    long start = Long.parseLong(range[0]);
                    long end = range.length > 1 ? Long.parseLong(range[1]) : start;
                    if (range.length > 2) {
                        throw new NumberFormatException();
                    }
                    intervals.add(new Interval(start, end));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("GTID set part '" + part + "' has an invalid interval '"
                            + pieces[i] + "'");
                }
            }
            sets.put(uuid, normalize(intervals));
        }
        return new GtidSet(sets);
    }

    /** This set plus one transaction, given as {@code uuid:n}. */
    public GtidSet add(String gtid) {
        int colon = gtid.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("GTID '" + gtid + "' is not uuid:number");
        }
        UUID uuid = UUID.fromString(gtid.substring(0, colon));
        long number = Long.parseLong(gtid.substring(colon + 1));
        TreeMap<UUID, List<Interval>> copy = new TreeMap<>(sets);
        List<Interval> intervals = new ArrayList<>(copy.getOrDefault(uuid, List.of()));
        intervals.add(new Interval(number, number));
        copy.put(uuid, normalize(intervals));
        return new GtidSet(copy);
    }

    public boolean contains(String gtid) {
        int colon = gtid.lastIndexOf(':');
        List<Interval> intervals = sets.get(UUID.fromString(gtid.substring(0, colon)));
        long number = Long.parseLong(gtid.substring(colon + 1));
        return intervals != null && intervals.stream().anyMatch(i -> i.start() <= number && number <= i.end());
    }

    /** The transactions of this set that {@code other} does not hold. */
    public GtidSet subtract(GtidSet other) {
        TreeMap<UUID, List<Interval>> left = new TreeMap<>();
        for (Map.Entry<UUID, List<Interval>> e : sets.entrySet()) {
            List<Interval> remaining = new ArrayList<>(e.getValue());
            for (Interval cut : other.sets.getOrDefault(e.getKey(), List.of())) {
                List<Interval> next = new ArrayList<>();
                for (Interval i : remaining) {
                    if (cut.end() < i.start() || cut.start() > i.end()) {
                        next.add(i);
                        continue;
                    }
                    if (i.start() < cut.start()) {
                        next.add(new Interval(i.start(), cut.start() - 1));
                    }
                    if (i.end() > cut.end()) {
                        next.add(new Interval(cut.end() + 1, i.end()));
                    }
                }
                remaining = next;
            }
            if (!remaining.isEmpty()) {
                left.put(e.getKey(), List.copyOf(remaining));
            }
        }
        return left.isEmpty() ? EMPTY : new GtidSet(left);
    }

    public boolean isEmpty() {
        return sets.isEmpty();
    }

    public Map<UUID, List<Interval>> intervals() {
        return Collections.unmodifiableMap(sets);
    }

    private static List<Interval> normalize(List<Interval> intervals) {
        intervals.sort((a, b) -> Long.compare(a.start(), b.start()));
        List<Interval> merged = new ArrayList<>();
        for (Interval next : intervals) {
            if (!merged.isEmpty() && next.start() <= merged.get(merged.size() - 1).end() + 1) {
                Interval last = merged.remove(merged.size() - 1);
                merged.add(new Interval(last.start(), Math.max(last.end(), next.end())));
            } else {
                merged.add(next);
            }
        }
        return List.copyOf(merged);
    }

    /**
     * The binary form COM_BINLOG_DUMP_GTID carries: 8-byte count of UUIDs; per UUID its 16 bytes, an 8-byte
     * interval count, and per interval 8-byte start and 8-byte exclusive end (all little-endian).
     */
    public void encode(ByteBuf out) {
        out.writeLongLE(sets.size());
        for (Map.Entry<UUID, List<Interval>> e : sets.entrySet()) {
            out.writeLong(e.getKey().getMostSignificantBits());
            out.writeLong(e.getKey().getLeastSignificantBits());
            out.writeLongLE(e.getValue().size());
            for (Interval interval : e.getValue()) {
                out.writeLongLE(interval.start());
                out.writeLongLE(interval.end() + 1);
            }
        }
    }

    public int encodedLength() {
        int length = 8;
        for (List<Interval> intervals : sets.values()) {
            length += 16 + 8 + intervals.size() * 16;
        }
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtidSet other && sets.equals(other.sets);
    }

    @Override
    public int hashCode() {
        return sets.hashCode();
    }

    /** The MySQL text form, UUIDs in lower case and sorted. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<UUID, List<Interval>> e : sets.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(e.getKey().toString().toLowerCase(Locale.ROOT));
            for (Interval interval : e.getValue()) {
                sb.append(':').append(interval);
            }
        }
        return sb.toString();
    }
}
