package dev.canalboot.kafka;

import dev.canalboot.bench.kafka.SourceBench;
import dev.canalboot.bench.measure.Sink;
import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.ZeroDatePolicy;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Kafka source benchmark's decoding alone, without a broker: the flat messages of {@link SourceBench} (the same
 * bytes), held in memory, decoded again and again on one thread by (a) the Kafka source's flat-message decoding
 * ({@link FlatMessageDecoding}: the JSON read into the model's rows, every value typed), and (b) the plain
 * consumer's Jackson data binding into {@link SourceBench.PlainFlatMessage}; both read every value, as in the
 * benchmark. Prints per pass and contender the thread's CPU ns and allocated bytes per row: figures that a machine
 * loaded by other jobs moves far less than rows/s. The passes alternate; the median of the passes after the first
 * half (the JIT settled) is reported with the ratio.
 * <p>
 * In the source's package because the decoding classes are not public.
 * {@code java -cp <benchmarks class path> dev.canalboot.kafka.KafkaDecodeMain [messages=100000] [passes=20] [both|ours|plain]}
 */
public final class KafkaDecodeMain {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private KafkaDecodeMain() {
    }

    public static void main(String[] args) {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String only = args.length > 2 ? args[2] : "both"; // ours or plain alone, for a profiler
        byte[][] records = new byte[messages][];
        for (int i = 0; i < messages; i++) {
            records[i] = SourceBench.message(i + 1).getBytes(StandardCharsets.UTF_8);
        }
        FlatMessageReader reader = new FlatMessageReader("bench");
        FlatMessageConverter converter = new FlatMessageConverter("bench",
                new CanalValueConverter(ZoneOffset.UTC, ZeroDatePolicy.NULL));
        ObjectMapper json = JsonMapper.builder().build();
        Sink sink = new Sink();
        double[][] oursPasses = new double[passes][];
        double[][] plainPasses = new double[passes][];
        for (int pass = 0; pass < passes; pass++) {
            oursPasses[pass] = only.equals("plain") ? new double[2] : measure(() -> ours(reader, converter, records, sink));
            plainPasses[pass] = only.equals("ours") ? new double[2] : measure(() -> plain(json, records, sink));
            System.out.printf(Locale.ROOT, "pass %2d  ours %7.0f ns/row %6.0f B/row   plain %7.0f ns/row %6.0f B/row%n",
                    pass + 1, oursPasses[pass][0], oursPasses[pass][1], plainPasses[pass][0], plainPasses[pass][1]);
        }
        double[] o = median(oursPasses, passes / 2);
        double[] p = median(plainPasses, passes / 2);
        System.out.printf(Locale.ROOT, "median of passes %d-%d: ours %.0f ns/row %.0f B/row, plain %.0f ns/row %.0f"
                        + " B/row; ours / plain: %.2f× the CPU per row, %.2f× the bytes per row (sink %d)%n",
                passes / 2 + 1, passes, o[0], o[1], p[0], p[1], o[0] / p[0], o[1] / p[1], sink.state());
    }

    private interface Pass {
        long run();
    }

    /** {ns per row, bytes per row} of this thread over one pass. */
    private static double[] measure(Pass pass) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        long rows = pass.run();
        return new double[] {(double) (THREADS.getCurrentThreadCpuTime() - cpu) / rows,
                (double) (THREADS.getCurrentThreadAllocatedBytes() - bytes) / rows};
    }

    /** As the source decodes a poll's records (500 a batch) and the benchmark's listener reads them. */
    private static long ours(FlatMessageReader reader, FlatMessageConverter converter, byte[][] records, Sink sink) {
        long rows = 0;
        List<ChangeEvent> events = new ArrayList<>(500);
        for (int i = 0; i < records.length; i++) {
            converter.convert(reader.read(records[i]), events);
            if (events.size() == 500 || i == records.length - 1) {
                for (ChangeEvent event : events) {
                    if (event instanceof RowChange change) {
                        Row row = change.row();
                        for (int c = 0; c < row.schema().size(); c++) {
                            sink.consume(row.get(c));
                        }
                        rows++;
                    }
                }
                events = new ArrayList<>(500);
            }
        }
        return rows;
    }

    private static long plain(ObjectMapper json, byte[][] records, Sink sink) {
        long rows = 0;
        for (byte[] record : records) {
            SourceBench.PlainFlatMessage message = json.readValue(record, SourceBench.PlainFlatMessage.class);
            for (Map<String, String> row : message.data()) {
                row.values().forEach(sink::consume);
                rows++;
            }
        }
        return rows;
    }

    private static double[] median(double[][] passes, int from) {
        double[] ns = Arrays.stream(passes, from, passes.length).mapToDouble(p -> p[0]).sorted().toArray();
        double[] bytes = Arrays.stream(passes, from, passes.length).mapToDouble(p -> p[1]).sorted().toArray();
        return new double[] {ns[ns.length / 2], bytes[bytes.length / 2]};
    }
}
