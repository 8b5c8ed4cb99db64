package dev.canalboot.bench.jvm;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The throughput curves of the cold runs of one server and workload as a PNG: rows/s in each
 * {@value ContenderJvm#SAMPLE_MILLIS} ms sample against the seconds since the contender's start, one line per
 * contender (its cold run with the median rows/s) but the limit, from the CSV files the child JVMs wrote.
 */
final class ColdCurveChart {

    private ColdCurveChart() {
    }

    static void write(Path png, String title, Collection<Outcome> outcomes) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection lines = new XYSeriesCollection();
        for (Outcome outcome : outcomes) {
            RunReport median = Outcome.median(outcome.cold);
            // The limit counts its rows at the binlog's end only: it has no curve
            if (median == null || outcome.contender().equals(JvmContenders.LIMIT)) {
                continue;
            }
            XYSeries series = new XYSeries(outcome.contender());
            for (double[] point : read(outcome.coldCurves.get(outcome.cold.indexOf(median)))) {
                series.add(point[0], point[1]);
            }
            lines.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "seconds since the contender's start",
                "rows/s (" + ContenderJvm.SAMPLE_MILLIS + " ms samples)", lines, PlotOrientation.VERTICAL, true, false, false);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }

    /** (seconds, rows/s) of each sample of a child's CSV ({@code ms,rows,rows_per_s,cpu_ms,heap_mb}). */
    static List<double[]> read(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).filter(line -> !line.isBlank()).map(line -> {
            String[] f = line.split(",");
            return new double[]{Long.parseLong(f[0]) / 1000.0, Double.parseDouble(f[2])};
        }).toList();
    }
}
