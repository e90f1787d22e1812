package spsn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;

/** Grids, seeds, the paper's configurations and the checks made before a sweep starts; no run starts here. */
class SweepPlanTest {

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void yamlAndJsonGridsGiveTheSameRunsInProductOrder() throws IOException {
        Path yaml = write("g.yaml", """
                flags:
                  dataset: synthetic
                  --nb_epochs: 3
                axes:
                  neuron: [SPSN-SB, LIF]
                  data_augmentation: [false, true]
                """);
        Path json = write("g.json", """
                {"flags": {"dataset": "synthetic", "nb_epochs": 3},
                 "axes": {"neuron": ["SPSN-SB", "LIF"], "data_augmentation": [false, true]}}
                """);
        List<GridPoint> fromYaml = SweepPlan.plan(GridFile.read(yaml), List.of(), tmp);
        List<GridPoint> fromJson = SweepPlan.plan(GridFile.read(json), List.of(), tmp);
        assertEquals(fromYaml, fromJson);
        assertEquals(List.of("neuron-SPSN-SB_data_augmentation-False", "neuron-SPSN-SB_data_augmentation-True",
                "neuron-LIF_data_augmentation-False", "neuron-LIF_data_augmentation-True"),
                fromYaml.stream().map(GridPoint::key).toList());
        assertEquals(List.of("--dataset", "synthetic", "--nb_epochs", "3", "--neuron", "LIF", "--data_augmentation",
                "True", "--progress", "False"), fromYaml.get(3).flags());
    }

    @Test
    void seedsAreTheFastestAxisAndFlagsAfterDoubleDashOverrideFixedOnes() throws IOException {
        Grid grid = GridFile.read(write("g.yaml", "flags: {dataset: synthetic, nb_epochs: 200}\naxes: {neuron: [LIF]}\n"))
                .withSeeds(SeedList.parse("0-2,7"), "the grid file");
        List<GridPoint> points = SweepPlan.plan(grid, SweepPlan.parseExtra(List.of("--nb_epochs", "5", "--tau_mem=0.03")),
                tmp);
        assertEquals(List.of("neuron-LIF_seed-0", "neuron-LIF_seed-1", "neuron-LIF_seed-2", "neuron-LIF_seed-7"),
                points.stream().map(GridPoint::key).toList());
        assertEquals(List.of("--dataset", "synthetic", "--neuron", "LIF", "--seed", "7", "--nb_epochs", "5",
                "--tau_mem", "0.03", "--progress", "False"), points.get(3).flags());
    }

    @Test
    void thePaperGridIsTheSeedReadmesTenCommandsInTheScriptsFolders() {
        List<GridPoint> points = SweepPlan.plan(PaperGrid.grid().withSeeds(List.of(0L), "--paper"),
                SweepPlan.parseExtra(List.of("--dataset", "synthetic")), tmp);
        Set<String> commands = new TreeSet<>();
        for (GridPoint p : points) {
            commands.add(String.join(" ", p.flags()));
        }
        // the seed README's commands (../shared/spec/seed-README.txt), with the scripts' --dir
        Set<String> expected = new TreeSet<>();
        for (String neuron : List.of("LIF", "SPSN-SB", "SPSN-GS", "Non-Spiking")) {
            expected.add("--neuron " + neuron + " --dir basic/ --seed 0 --dataset synthetic --progress False");
            expected.add("--neuron " + neuron + " --data_augmentation True --dir data_aug/ --seed 0 --dataset synthetic"
                    + " --progress False");
        }
        expected.add("--neuron SPSN-SB --data_augmentation True --reg_thr 0.4 --dir regul/ --seed 0 --dataset synthetic"
                + " --progress False");
        expected.add("--neuron SPSN-GS --data_augmentation True --reg_thr 0.1 --dir regul/ --seed 0 --dataset synthetic"
                + " --progress False");
        assertEquals(expected, commands);
    }

    @Test
    void thePaperScriptsRunTheSameTenCommands() throws IOException {
        // scripts/{basic,data_aug,regul}.sh: every `train NEURON DIR FLAGS` line is one configuration
        Path scripts = Path.of("scripts");
        Set<String> fromScripts = new TreeSet<>();
        Pattern train = Pattern.compile("^\\s*train (\\S+) (\\S+)(.*)$", Pattern.MULTILINE);
        for (String script : List.of("basic.sh", "data_aug.sh", "regul.sh")) {
            String text = Files.readString(scripts.resolve(script));
            Matcher loop = Pattern.compile("for neuron in ([^;]+);").matcher(text);
            List<String> neurons = loop.find() ? List.of(loop.group(1).trim().split("\\s+")) : List.of();
            Matcher m = train.matcher(text);
            while (m.find()) {
                for (String neuron : m.group(1).equals("\"$neuron\"") ? neurons : List.of(m.group(1))) {
                    fromScripts.add(neuron + " " + m.group(2) + m.group(3));
                }
            }
        }
        Set<String> fromGrid = new TreeSet<>();
        for (Grid.Value v : PaperGrid.grid().axes().get(0).values()) {
            String neuron = v.flags().get(0).value();
            String dir = v.flags().get(v.flags().size() - 1).value();
            StringBuilder rest = new StringBuilder();
            v.flags().subList(1, v.flags().size() - 1).forEach(f -> rest.append(' ').append(f.option()).append(' ')
                    .append(f.value()));
            fromGrid.add(neuron + " " + dir + rest);
        }
        assertEquals(10, fromGrid.size());
        assertEquals(fromScripts, fromGrid);
    }

    @Test
    void everyRunIsCheckedByTheTrainingCommandsOwnValidationNamingTheRun() throws IOException {
        Path grid = write("g.yaml", "flags: {dataset: synthetic}\naxes: {tau_mem: [0.02, 0.0]}\n");
        SpsnException e = assertThrows(SpsnException.class, () -> SweepPlan.plan(GridFile.read(grid), List.of(), tmp));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith("run tau_mem-0.0 ("), e.getMessage());
        assertTrue(e.getMessage().contains("--tau_mem: must be a positive number of seconds, got 0.0"), e.getMessage());

        Path unknown = write("u.yaml", "axes: {neurons: [LIF]}\n");
        e = assertThrows(SpsnException.class, () -> SweepPlan.plan(GridFile.read(unknown), List.of(), tmp));
        assertTrue(e.getMessage().contains("Unknown options: '--neurons'"), e.getMessage());
    }

    @Test
    void flagsTheSweepOwnsOrThatWouldCollapseTheGridAreRefused() throws IOException {
        Grid grid = GridFile.read(write("g.yaml", "flags: {dataset: synthetic}\naxes: {seed: [0, 1]}\n"));
        assertTrue(assertThrows(SpsnException.class, () -> SweepPlan.plan(grid,
                SweepPlan.parseExtra(List.of("--output_dir", "x")), tmp)).getMessage().contains("--output_dir cannot be"));
        assertTrue(assertThrows(SpsnException.class, () -> SweepPlan.plan(grid,
                SweepPlan.parseExtra(List.of("--seed", "3")), tmp)).getMessage().contains("the grid varies it"));
        assertTrue(assertThrows(SpsnException.class, () -> grid.withSeeds(List.of(1L), "the grid file"))
                .getMessage().contains("already varies the seed"));
        assertTrue(assertThrows(SpsnException.class, () -> SweepPlan.plan(grid,
                SweepPlan.parseExtra(List.of("--nb_epochs")), tmp)).getMessage().contains("--nb_epochs"));
        // a boolean in its store_true form stands alone; a negative number is a value
        assertEquals(List.of(new Flag("save_model", null), new Flag("reg_thr", "-1"), new Flag("nb_epochs", "2")),
                SweepPlan.parseExtra(List.of("--save_model", "--reg_thr", "-1", "--nb_epochs", "2")));
        List<GridPoint> storeTrue = SweepPlan.plan(grid, SweepPlan.parseExtra(List.of("--save_model", "--nb_epochs",
                "2")), tmp);
        assertEquals(List.of("--dataset", "synthetic", "--seed", "0", "--save_model", "--nb_epochs", "2", "--progress",
                "False"), storeTrue.get(0).flags());
        assertThrows(SpsnException.class, () -> SeedList.parse("4-0"));
        assertThrows(SpsnException.class, () -> SeedList.parse("a"));
        assertEquals(List.of(0L, 1L, 2L, 9L), SeedList.parse("0-2, 9"));
    }

    @Test
    void heidelbergRunsNeedTheirDataBeforeTheSweepStarts() {
        SpsnException e = assertThrows(SpsnException.class, () -> SweepPlan.plan(PaperGrid.grid(),
                SweepPlan.parseExtra(List.of("--data_dir", tmp.resolve("nowhere").toString())), tmp));
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().contains("shd_train.h5 not found"), e.getMessage());
    }

    @Test
    void theArrayScriptNamesNoPathButTheJarAndTheSweepFolder() {
        Path jar = Path.of("/opt/tools/spsn.jar");
        Path sweep = Path.of("/shared/sw");
        String script = SlurmScript.text(jar, sweep, SlurmScript.indices(List.of(0, 1, 2, 3, 7, 9, 10)), 4,
                java.util.Map.of("partition", "gpu", "time", "12:00:00", "cpus_per_task", "4", "mem", "8G",
                        "gres", "gpu:1"));
        assertTrue(script.contains("#SBATCH --array=0-3,7,9-10%4\n"), script);
        for (String directive : List.of("--partition=gpu", "--time=12:00:00", "--cpus-per-task=4", "--mem=8G",
                "--gres=gpu:1", "--output=/shared/sw/logs/task-%a.log", "--requeue")) {
            assertTrue(script.contains("#SBATCH " + directive + "\n"), directive + " in\n" + script);
        }
        assertTrue(script.startsWith("#!/bin/bash\n"), script);
        Matcher paths = Pattern.compile("(?<![\\w$}])/[\\w./%-]+").matcher(script.substring(script.indexOf('\n')));
        while (paths.find()) {
            String path = paths.group();
            assertTrue(path.equals(jar.toString()) || path.startsWith(sweep.toString()), path + " in\n" + script);
        }
        assertFalse(script.contains(System.getProperty("user.dir")), script);
    }
}
