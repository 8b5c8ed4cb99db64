package dev.canalboot.bench.concurrency;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows/s against listener concurrency as a PNG, both axes logarithmic: one line per contender and listener; a
 * contender measured at one level only (Debezium's engine, serial) is drawn flat across the levels measured.
 */
final class ConcurrencyChart {

    private ConcurrencyChart() {
    }

    static void write(Path png, List<ConcurrencyBenchMain.Result> results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, XYSeries> lines = new LinkedHashMap<>();
        int maxLevel = results.stream().mapToInt(ConcurrencyBenchMain.Result::concurrency).max().orElse(1);
        for (ConcurrencyBenchMain.Result result : results) {
            String name = result.contender() + ", listener " + result.listener();
            lines.computeIfAbsent(name, XYSeries::new).add(result.concurrency(), result.rowsPerSecond());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries line : lines.values()) {
            if (line.getItemCount() == 1 && maxLevel > 1) {
                line.add(maxLevel, line.getY(0)); // a single level: drawn flat for comparison
            }
            data.addSeries(line);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Rows/s against listener concurrency",
                "listener concurrency", "rows/s", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis concurrency = new LogAxis("listener concurrency");
        concurrency.setBase(2);
        concurrency.setTickUnit(new NumberTickUnit(1)); // a tick per doubling, labelled 1, 2, 4, ...
        concurrency.setNumberFormatOverride(new DecimalFormat("0"));
        plot.setDomainAxis(concurrency);
        LogAxis rowsPerSecond = new LogAxis("rows/s");
        rowsPerSecond.setNumberFormatOverride(new DecimalFormat("#,##0"));
        plot.setRangeAxis(rowsPerSecond);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }
}
