package dev.canalboot.bench.jmh;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link DecoderBenchmark} over the events captured during the throughput runs (one forked JVM, GC
 * profiler on) and renders ns/row and bytes/row per decoder.
 */
public final class JmhSection {

    private static final List<String> DECODERS = List.of("ours", "connectorFast", "connectorDefault");

    private JmhSection() {
    }

    /** @param captured event set name → rows in its rows event */
    public static String run(Path eventsDir, Map<String, Integer> captured) throws Exception {
        if (captured.isEmpty()) {
            return "## Decoder microbenchmarks\n\nNo events captured.\n";
        }
        Options options = new OptionsBuilder()
                .include(DecoderBenchmark.class.getName() + "\\.")
                .param("events", captured.keySet().toArray(String[]::new))
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-D" + DecoderBenchmark.EVENTS_DIR + "=" + eventsDir.toAbsolutePath(), "-Xmx1g")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Map<String, double[]>> byEvents = new LinkedHashMap<>();
        for (RunResult result : results) {
            String events = result.getParams().getParam("events");
            String benchmark = result.getParams().getBenchmark();
            String decoder = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            double rows = captured.get(events);
            double nsPerRow = result.getPrimaryResult().getScore() / rows;
            double bytesPerRow = allocationPerOp(result) / rows;
            byEvents.computeIfAbsent(events, k -> new LinkedHashMap<>()).put(decoder, new double[]{nsPerRow, bytesPerRow});
        }
        StringBuilder out = new StringBuilder("## Decoder microbenchmarks (JMH, one real rows event, every value read)\n\n");
        out.append("| events | rows/event | ours ns/row | connector fast ns/row | connector default ns/row"
                + " | ours vs fast | ours B/row | fast B/row | default B/row |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<String, Map<String, double[]>> e : byEvents.entrySet()) {
            Map<String, double[]> d = e.getValue();
            out.append(String.format(Locale.ROOT, "| %s | %d |", e.getKey(), captured.get(e.getKey())));
            for (String decoder : DECODERS) {
                out.append(cell(d.get(decoder), 0));
            }
            double[] ours = d.get("ours");
            double[] fast = d.get("connectorFast");
            out.append(ours == null || fast == null ? " — |"
                    : String.format(Locale.ROOT, " %.2f× |", fast[0] / ours[0]));
            for (String decoder : DECODERS) {
                out.append(cell(d.get(decoder), 1));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String cell(double[] values, int index) {
        return values == null ? " — |" : String.format(Locale.ROOT, " %,.0f |", values[index]);
    }

    private static double allocationPerOp(RunResult result) {
        Map<String, Result> secondary = result.getSecondaryResults();
        for (String key : List.of("gc.alloc.rate.norm", "·gc.alloc.rate.norm")) {
            Result r = secondary.get(key);
            if (r != null) {
                return r.getScore();
            }
        }
        return Double.NaN;
    }
}
