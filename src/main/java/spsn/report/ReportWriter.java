package spsn.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import spsn.SpsnException;
import spsn.io.AtomicFiles;

/**
 * Writes the report as Markdown: per dataset the paper's two tables (test accuracy, seconds per
 * epoch) with our mean ± std beside the paper's numbers, then the runs used, the runs outside
 * the paper's setting, what was skipped and the plots. The text depends only on its input, in a
 * fixed order, so it can be compared with an expected file.
 */
public final class ReportWriter {

    private static final String NONE = "–";

    private ReportWriter() {
    }

    /** The first line of every report: a file that starts otherwise was not written by this command. */
    static final String TITLE = "# SPSN reproduction report";

    /**
     * Refuses {@code out} unless it is absent or a report this command wrote: {@code --out}
     * must never overwrite a results file, or any other file, by mistake.
     *
     * @throws SpsnException (usage) naming the file and what it is
     */
    public static void requireReplaceable(Path out) {
        if (Files.isDirectory(out)) {
            throw SpsnException.usage("--out " + out + ": is a folder; give the report's file name, e.g. "
                    + out.resolve("report.md"));
        }
        if (!Files.exists(out)) {
            return;
        }
        String first;
        try (var lines = Files.lines(out, StandardCharsets.UTF_8)) {
            first = lines.findFirst().orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            first = "";
        }
        if (!first.equals(TITLE)) {
            String what = out.getFileName().toString().startsWith("results_") || first.startsWith("{")
                    ? "a results file" : "a file this command did not write";
            throw SpsnException.usage("--out " + out + ": refusing to overwrite " + what + "; give another file name"
                    + " (an earlier report there would be replaced)");
        }
    }

    /** Renders the report and writes it to {@code out} (UTF-8), creating its folder. */
    public static void write(ReportData data, Path out, List<Path> plots) {
        Path folder = out.toAbsolutePath().getParent();
        List<String> links = new ArrayList<>();
        for (Path plot : plots) {
            links.add(link(folder, plot));
        }
        try {
            Files.createDirectories(folder);
            AtomicFiles.writeString(out, render(data, links));
        } catch (IOException e) {
            throw SpsnException.data("cannot write report " + out + ": " + e.getMessage(), e);
        }
    }

    /** The Markdown text; {@code plotLinks} are image paths relative to the report's folder. */
    public static String render(ReportData data, List<String> plotLinks) {
        StringBuilder md = new StringBuilder();
        md.append(TITLE).append("\n\n");
        md.append("Runs in the tables: ").append(data.tableRunCount())
                .append(". Other runs: ").append(data.otherRuns().size())
                .append(". Partial runs skipped: ").append(data.partialRuns().size())
                .append(". Unreadable files skipped: ").append(data.unreadable().size()).append('.');
        if (!data.evaluations().isEmpty()) {
            md.append(" Test-only evaluations (apart): ").append(data.evaluations().size()).append('.');
        }
        if (!data.duplicates().isEmpty()) {
            md.append(" Duplicates (same seed and settings, counted once): ").append(data.duplicates().size())
                    .append('.');
        }
        md.append("\n\n");
        md.append("Each cell is the mean ± sample standard deviation over runs (one per seed), n the number "
                + "of runs; a single run shows its value alone; ").append(NONE).append(" means no run. "
                + "The \"Paper\" columns are the published numbers (SHD, seed 0, 200 epochs, GPU).\n");
        for (ReportData.Section section : data.sections()) {
            appendSection(md, section);
        }
        appendRunsUsed(md, data);
        appendParaLif(md, data.otherRuns());
        appendOtherRuns(md, data.otherRuns());
        appendEvaluations(md, data.evaluations());
        appendDuplicates(md, data.duplicates());
        appendSkipped(md, data);
        if (!plotLinks.isEmpty()) {
            md.append("\n## Plots\n\n");
            for (String link : plotLinks) {
                md.append("![").append(plotTitle(link)).append("](").append(link).append(")\n");
            }
        }
        return md.toString();
    }

    private static void appendSection(StringBuilder md, ReportData.Section section) {
        md.append("\n## ").append(section.title()).append("\n\n");
        if (!section.comparableToPaper()) {
            md.append("The paper has no numbers for this dataset.\n\n");
        }
        md.append("### Test accuracy (%)\n\n");
        appendTable(md, section, RunResult::testAccuracyPercent, 2, PaperNumbers::accuracy, 2);
        md.append("\n### Training time (seconds per epoch)\n\n");
        appendTable(md, section, RunResult::secondsPerEpoch, 2, PaperNumbers::secondsPerEpoch, 1);
    }

    private static void appendTable(StringBuilder md, ReportData.Section section, ToDoubleFunction<RunResult> value,
                                    int decimals, BiFunction<String, Configuration, OptionalDouble> paper,
                                    int paperDecimals) {
        boolean withPaper = section.comparableToPaper();
        StringBuilder header = new StringBuilder("| Neuron |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Configuration c : Configuration.COLUMNS) {
            header.append(' ').append(c.title()).append(" |");
            rule.append("---:|");
            if (withPaper) {
                header.append(" Paper |");
                rule.append("---:|");
            }
        }
        md.append(header).append('\n').append(rule).append('\n');
        for (String neuron : PaperNumbers.NEURONS) {
            md.append("| ").append(neuron).append(" |");
            for (Configuration c : Configuration.COLUMNS) {
                List<Double> values = section.cell(neuron, c).stream().map(r -> value.applyAsDouble(r)).toList();
                md.append(' ').append(Stats.of(values).format(decimals)).append(" |");
                if (withPaper) {
                    OptionalDouble p = paper.apply(neuron, c);
                    md.append(' ').append(p.isPresent() ? fixed(p.getAsDouble(), paperDecimals) : NONE).append(" |");
                }
            }
            md.append('\n');
        }
    }

    private static void appendRunsUsed(StringBuilder md, ReportData data) {
        md.append("\n## Runs used\n\n");
        if (data.tableRunCount() == 0) {
            md.append("None.\n");
            return;
        }
        md.append("| File | Dataset | Configuration | Neuron | Seed | Epochs | Test accuracy (%) | s/epoch |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|\n");
        for (ReportData.Section section : data.sections()) {
            for (RunResult r : section.runs()) {
                String config = r.config().title();
                if (r.config() == Configuration.DATA_AUGMENTATION_REGULARIZATION) {
                    config += " (reg_thr " + plain(r.regThr()) + ")";
                }
                md.append("| ").append(r.name()).append(" | ").append(r.dataset()).append(" | ").append(config)
                        .append(" | ").append(r.neuron()).append(" | ").append(seed(r))
                        .append(" | ").append(r.epochs())
                        .append(" | ").append(fixed(r.testAccuracyPercent(), 2))
                        .append(" | ").append(fixed(r.secondsPerEpoch(), 2)).append(" |\n");
            }
        }
    }

    /** ParaLIF's variants, by their PARAMS: feed-forward or recurrent, fixed or learnable time constants. */
    private static final List<String> PARALIF_VARIANTS = List.of("feed-forward", "recurrent", "feed-forward, learn τ",
            "recurrent, learn τ");

    private static String paraLifVariant(RunResult r) {
        boolean recurrent = r.settings().network().recurrent();
        boolean learnTau = r.settings().neuron().learnTau();
        return PARALIF_VARIANTS.get((recurrent ? 1 : 0) + (learnTau ? 2 : 0));
    }

    /**
     * One table per dataset of the runs of ParaLIF's neurons (every mode a row, in the registry's
     * order), test accuracy mean ± std over seeds per variant; the runs are also listed below.
     */
    private static void appendParaLif(StringBuilder md, List<RunResult> others) {
        List<RunResult> runs = others.stream().filter(r -> {
            spsn.model.NeuronType type = spsn.model.NeuronType.byName(r.neuron());
            return type != null && type.family() == spsn.model.NeuronFamily.PARALIF;
        }).toList();
        if (runs.isEmpty()) {
            return;
        }
        for (String dataset : runs.stream().map(RunResult::dataset).distinct().sorted().toList()) {
            md.append("\n## ParaLIF on ").append(dataset).append("\n\nTest accuracy (%), mean ± std over runs.\n\n");
            md.append("| Neuron |");
            for (String variant : PARALIF_VARIANTS) {
                md.append(' ').append(variant).append(" |");
            }
            md.append("\n|---|").append("---:|".repeat(PARALIF_VARIANTS.size())).append('\n');
            for (spsn.model.NeuronType type : spsn.model.NeuronType.values()) {
                List<RunResult> mine = runs.stream()
                        .filter(r -> r.dataset().equals(dataset) && r.neuron().equals(type.cliName())).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                md.append("| ").append(type.cliName()).append(" |");
                for (String variant : PARALIF_VARIANTS) {
                    List<Double> values = mine.stream().filter(r -> paraLifVariant(r).equals(variant))
                            .map(RunResult::testAccuracyPercent).toList();
                    md.append(' ').append(values.isEmpty() ? NONE : Stats.of(values).format(2)).append(" |");
                }
                md.append('\n');
            }
        }
    }

    private static void appendOtherRuns(StringBuilder md, List<RunResult> others) {
        if (others.isEmpty()) {
            return;
        }
        md.append("\n## Other runs\n\nNot in the tables: their setting is not one of the paper's.\n\n");
        md.append("| File | Dataset | Neuron | Seed | Epochs | Augmentation | reg_thr | Test accuracy (%) | s/epoch "
                + "| Differs from the paper |\n");
        md.append("|---|---|---|---:|---:|---|---:|---:|---:|---|\n");
        for (RunResult r : others) {
            md.append("| ").append(r.name()).append(" | ").append(r.dataset()).append(" | ").append(r.neuron())
                    .append(" | ").append(seed(r)).append(" | ").append(r.epochs())
                    .append(" | ").append(r.dataAugmentation() ? "yes" : "no")
                    .append(" | ").append(plain(r.regThr()))
                    .append(" | ").append(fixed(r.testAccuracyPercent(), 2))
                    .append(" | ").append(fixed(r.secondsPerEpoch(), 2))
                    .append(" | ").append(String.join("; ", r.deviations())).append(" |\n");
        }
    }

    /** Test-only runs: a saved model tested, nothing trained (no epochs, no training time). */
    private static void appendEvaluations(StringBuilder md, List<RunResult> evaluations) {
        if (evaluations.isEmpty()) {
            return;
        }
        md.append("\n## Test-only evaluations\n\nSaved models tested without training (--load_model, "
                + "--nb_epochs 0); not in the tables, which compare training runs.\n\n");
        md.append("| File | Dataset | Neuron | Model | Seed | Test accuracy (%) | Test s |\n");
        md.append("|---|---|---|---|---:|---:|---:|\n");
        for (RunResult r : evaluations) {
            Object model = r.settings().network().loadModel();
            md.append("| ").append(r.name()).append(" | ").append(r.dataset()).append(" | ").append(r.neuron())
                    .append(" | ").append(model == null ? NONE : model.toString())
                    .append(" | ").append(seed(r))
                    .append(" | ").append(fixed(r.testAccuracyPercent(), 2))
                    .append(" | ").append(fixed(r.testDuration(), 2)).append(" |\n");
        }
    }

    private static void appendDuplicates(StringBuilder md, List<ReportData.Duplicate> duplicates) {
        if (duplicates.isEmpty()) {
            return;
        }
        md.append("\n## Duplicates\n\nThese runs repeat an earlier file's seed and settings: the same experiment,"
                + " counted once (as that file) so that it does not pass for a second seed.\n\n");
        for (ReportData.Duplicate d : duplicates) {
            md.append("- ").append(d.run().name()).append(": seed ").append(seed(d.run()))
                    .append(", same settings as ").append(d.original().name());
            double a = d.run().testAccuracyPercent();
            double b = d.original().testAccuracyPercent();
            if (Double.compare(a, b) != 0) {
                md.append(" (test accuracy ").append(fixed(a, 2)).append(" against ").append(fixed(b, 2))
                        .append(": not repeatable on its device)");
            }
            md.append('\n');
        }
    }

    private static void appendSkipped(StringBuilder md, ReportData data) {
        if (data.partialRuns().isEmpty() && data.unreadable().isEmpty()) {
            return;
        }
        md.append("\n## Skipped\n\n");
        for (RunResult r : data.partialRuns()) {
            md.append("- Partial run (interrupted before its end): ").append(r.name()).append(" (")
                    .append(r.neuron()).append(", seed ").append(seed(r)).append(", ")
                    .append(r.lossHist().size()).append(" of ").append(r.epochs()).append(" epochs done)\n");
        }
        for (ResultsScanner.Unreadable u : data.unreadable()) {
            md.append("- Unreadable: ").append(u.name()).append(": ").append(u.reason()).append('\n');
        }
    }

    private static String seed(RunResult r) {
        return r.seed() == null ? "none" : r.seed().toString();
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Shortest plain form: 0.4 → "0.4", 0.0 → "0". */
    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Alt text from the file name: "heidelberg-3ep_basic_loss.png" → "heidelberg-3ep basic loss". */
    private static String plotTitle(String link) {
        String file = link.substring(link.lastIndexOf('/') + 1);
        return file.replaceFirst("\\.png$", "").replace('_', ' ');
    }

    private static String link(Path folder, Path plot) {
        Path abs = plot.toAbsolutePath();
        Path rel = abs.getRoot() != null && abs.getRoot().equals(folder.getRoot()) ? folder.relativize(abs) : abs;
        return rel.toString().replace('\\', '/');
    }
}
