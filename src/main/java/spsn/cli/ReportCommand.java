package spsn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import spsn.SpsnException;
import spsn.io.OutputFolder;
import spsn.report.PlotWriter;
import spsn.report.ReportData;
import spsn.report.ReportWriter;
import spsn.report.ResultsScanner;

/** {@code spsn report}: the paper's tables and plots from every results file under an outputs folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Summarises every outputs/**/results_*.json as the paper's tables (test accuracy, "
                + "seconds per epoch; mean ± std over seeds beside the paper's numbers) in a Markdown "
                + "report, with PNG plots.")
public class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--outputs", paramLabel = "DIR", defaultValue = "outputs",
            description = "Folder searched (recursively) for results_*.json (default: ${DEFAULT-VALUE}).")
    Path outputs;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Report file to write (default: <outputs>/report.md).")
    Path out;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Folder for the PNG plots (default: <outputs>/report).")
    Path plots;

    @Option(names = "--no-plots", description = "Write the Markdown report only.")
    boolean noPlots;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        Path reportFile = out != null ? out : outputs.resolve("report.md");
        ReportWriter.requireReplaceable(reportFile);
        Path plotDir = plots != null ? plots : outputs.resolve("report");
        if (!noPlots) {
            OutputFolder.require("--plots", plotDir, "the PNG plots");
        }
        ResultsScanner.ScanResult scan = ResultsScanner.scan(outputs);
        if (scan.runs().isEmpty() && scan.unreadable().isEmpty()) {
            throw SpsnException.data("no results_*.json under " + outputs
                    + "; train first (scripts/paper.sh) or pass --outputs");
        }
        ReportData data = ReportData.of(scan);
        List<Path> plotFiles = List.of();
        if (!noPlots) {
            plotFiles = PlotWriter.write(data, plotDir);
            stdout.println("Wrote " + plotFiles.size() + " plots to " + plotDir);
        }
        ReportWriter.write(data, reportFile, plotFiles);
        stdout.println("Wrote report to " + reportFile + " (" + data.tableRunCount() + " runs in the tables, "
                + data.otherRuns().size() + " other, " + data.partialRuns().size() + " partial skipped, "
                + data.unreadable().size() + " unreadable skipped"
                + (data.evaluations().isEmpty() ? "" : ", " + data.evaluations().size() + " test-only shown apart")
                + (data.duplicates().isEmpty() ? "" : ", " + data.duplicates().size() + " duplicates counted once")
                + ")");
        stdout.flush();
        return 0;
    }
}
