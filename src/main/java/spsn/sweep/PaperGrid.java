package spsn.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed README's ten commands (the paper's tables) as one axis: the four neurons plain and
 * with data augmentation, and the two SPSN neurons with augmentation and a spike-rate threshold.
 * Each keeps the folder the scripts use ({@code --dir basic/}, {@code data_aug/}, {@code regul/}).
 */
final class PaperGrid {

    private static final List<String> NEURONS = List.of("LIF", "SPSN-SB", "SPSN-GS", "Non-Spiking");

    private PaperGrid() {
    }

    static Grid grid() {
        List<Grid.Value> configs = new ArrayList<>();
        for (String neuron : NEURONS) {
            configs.add(config("basic-" + neuron, neuron, "basic/"));
        }
        for (String neuron : NEURONS) {
            configs.add(config("data_aug-" + neuron, neuron, "data_aug/", new Flag("data_augmentation", "True")));
        }
        configs.add(config("regul-SPSN-SB", "SPSN-SB", "regul/", new Flag("data_augmentation", "True"),
                new Flag("reg_thr", "0.4")));
        configs.add(config("regul-SPSN-GS", "SPSN-GS", "regul/", new Flag("data_augmentation", "True"),
                new Flag("reg_thr", "0.1")));
        return new Grid(List.of(), List.of(new Grid.Axis("config", List.copyOf(configs))));
    }

    private static Grid.Value config(String label, String neuron, String dir, Flag... more) {
        List<Flag> flags = new ArrayList<>(List.of(new Flag("neuron", neuron)));
        flags.addAll(List.of(more));
        flags.add(new Flag("dir", dir));
        return new Grid.Value(label, List.copyOf(flags));
    }
}
