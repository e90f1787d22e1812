package spsn.train;

import spsn.model.NeuronType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated settings of one training run (what the command line asked for).
 *
 * @param seed null for an unseeded run
 * @param dataset "heidelberg" or "synthetic"
 * @param dir sub-folder of {@code outputDir}, as the original's --dir (may be empty)
 * @param device "auto", "cpu" or "gpu"
 * @param checkpointEvery write a checkpoint every this many epochs (0: only when interrupted)
 */
public record RunSettings(
        Long seed,
        String dataset,
        NeuronType neuron,
        int nbEpochs,
        double tauMem,
        double tauSyn,
        int batchSize,
        int hiddenSize,
        int nbLayers,
        double regThr,
        LossMode lossMode,
        boolean dataAugmentation,
        double hShift,
        double scale,
        String dir,
        boolean saveModel,
        Path dataDir,
        Path outputDir,
        String device,
        int syntheticTrain,
        int syntheticTest,
        Path loadModel,
        int testEvery,
        boolean progress,
        int checkpointEvery) {

    /** Folder that receives results and model files: outputDir/dir. */
    public Path runDir() {
        return dir.isEmpty() ? outputDir : outputDir.resolve(dir);
    }

    /** The original run.py's flags with their values, in its order: the head of PARAMS. */
    public Map<String, Object> originalFlags() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("dataset", dataset);
        m.put("neuron", neuron.cliName());
        m.put("nb_epochs", nbEpochs);
        m.put("tau_mem", tauMem);
        m.put("tau_syn", tauSyn);
        m.put("batch_size", batchSize);
        m.put("hidden_size", hiddenSize);
        m.put("nb_layers", nbLayers);
        m.put("reg_thr", regThr);
        m.put("loss_mode", lossMode.cliName());
        m.put("data_augmentation", dataAugmentation);
        m.put("h_shift", hShift);
        m.put("scale", scale);
        m.put("dir", dir);
        m.put("save_model", saveModel);
        return m;
    }
}
