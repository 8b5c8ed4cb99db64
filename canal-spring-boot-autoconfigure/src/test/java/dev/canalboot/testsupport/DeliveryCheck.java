package dev.canalboot.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link DeliveryLog} written by consumers that were killed and restarted, and checks at-least-once
 * delivery of whole transactions. The workload's transaction {@code t} holds rows {@code t * 100 + 0 .. size(t) - 1}.
 * <ul>
 * <li>every committed row appears;</li>
 * <li>the rows of a transaction carry one transaction id and appear together, in order, complete — except the
 * last transaction of a run that was killed, which may be cut short (it was never acknowledged);</li>
 * <li>each run after the first starts at the first row of a transaction (resume is at a transaction end).</li>
 * </ul>
 */
public final class DeliveryCheck {

    public record Result(int runs, long rows, long distinctRows, long duplicates, List<String> problems) {
    }

    private DeliveryCheck() {
    }

    public static long rowId(long transaction, int index) {
        return transaction * 100 + index;
    }

    private static final Pattern ROW = Pattern.compile("(\\d+) (\\S+) ;");

    /** The ids present in the log so far (for waiting until everything arrived); torn lines do not count. */
    public static Set<Long> delivered(Path log) throws IOException {
        Set<Long> ids = new HashSet<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                ids.add(Long.parseLong(row.group(1)));
            }
        }
        return ids;
    }

    /**
     * @param transactions number of committed transactions (numbered 1..n)
     * @param size         rows of transaction t
     */
    public static Result check(Path log, long transactions, LongUnaryOperator size) throws IOException {
        List<String> problems = new ArrayList<>();
        List<List<String[]>> runs = new ArrayList<>();
        List<String> torn = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (line.equals("RUN")) {
                runs.add(new ArrayList<>());
                torn.clear();
            } else if (row.matches()) {
                if (!torn.isEmpty()) {
                    problems.add("torn line(s) " + torn + " in the middle of run " + (runs.size() - 1));
                    torn.clear();
                }
                runs.get(runs.size() - 1).add(new String[]{row.group(1), row.group(2)});
            } else if (!line.isBlank()) {
                torn.add(line); // the last line of a killed run; an error anywhere else
            }
        }
        if (!torn.isEmpty()) {
            problems.add("torn line(s) " + torn + " at the end of the last run, which was not killed mid-write");
        }
        Map<Long, Integer> seen = new HashMap<>();
        Map<Long, String> transactionIds = new HashMap<>();
        long rows = 0;
        for (int r = 0; r < runs.size(); r++) {
            List<String[]> run = runs.get(r);
            boolean lastRun = r == runs.size() - 1;
            int i = 0;
            while (i < run.size()) {
                long id = Long.parseLong(run.get(i)[0]);
                long t = id / 100;
                int expected = (int) size.applyAsLong(t);
                if (id % 100 != 0) {
                    problems.add("run " + r + " row " + i + ": transaction " + t + " starts at its row " + id % 100
                            + " (resume inside a transaction)");
                }
                int k = 0;
                while (i < run.size() && Long.parseLong(run.get(i)[0]) / 100 == t && k < expected) {
                    long rowId = Long.parseLong(run.get(i)[0]);
                    if (rowId != rowId(t, k)) {
                        problems.add("run " + r + ": transaction " + t + " has row " + rowId + " where " + rowId(t, k)
                                + " was expected");
                    }
                    String txId = run.get(i)[1];
                    String known = transactionIds.putIfAbsent(t, txId);
                    if (known != null && !known.equals(txId)) {
                        problems.add("transaction " + t + " came as " + known + " and as " + txId);
                    }
                    seen.merge(rowId, 1, Integer::sum);
                    rows++;
                    i++;
                    k++;
                }
                boolean cutByKill = i == run.size() && !lastRun;
                if (k < expected && !cutByKill) {
                    problems.add("run " + r + ": transaction " + t + " delivered " + k + " of " + expected + " rows");
                }
            }
        }
        for (long t = 1; t <= transactions; t++) {
            for (int k = 0; k < size.applyAsLong(t); k++) {
                if (!seen.containsKey(rowId(t, k))) {
                    problems.add("row " + rowId(t, k) + " of transaction " + t + " was never delivered");
                    if (problems.size() > 50) {
                        return new Result(runs.size(), rows, seen.size(), rows - seen.size(), problems);
                    }
                }
            }
        }
        return new Result(runs.size(), rows, seen.size(), rows - seen.size(), problems);
    }
}
