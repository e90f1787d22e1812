package spsn.train;

import spsn.model.NeuronFamily;
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
 * @param validation the validation split and model selection (--valid_fraction, --select)
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
        int checkpointEvery,
        ParaLifFlags paraLif,
        ValidationSettings validation) {

    /** SPSN's or ParaLIF's settings without validation ({@link ValidationSettings#NONE}), as the originals run. */
    public RunSettings(Long seed, String dataset, NeuronType neuron, int nbEpochs, double tauMem, double tauSyn,
                       int batchSize, int hiddenSize, int nbLayers, double regThr, LossMode lossMode,
                       boolean dataAugmentation, double hShift, double scale, String dir, boolean saveModel,
                       Path dataDir, Path outputDir, String device, int syntheticTrain, int syntheticTest,
                       Path loadModel, int testEvery, boolean progress, int checkpointEvery, ParaLifFlags paraLif) {
        this(seed, dataset, neuron, nbEpochs, tauMem, tauSyn, batchSize, hiddenSize, nbLayers, regThr, lossMode,
                dataAugmentation, hShift, scale, dir, saveModel, dataDir, outputDir, device, syntheticTrain,
                syntheticTest, loadModel, testEvery, progress, checkpointEvery, paraLif, ValidationSettings.NONE);
    }

    /** SPSN's settings, ParaLIF's flags at their defaults, no validation. */
    public RunSettings(Long seed, String dataset, NeuronType neuron, int nbEpochs, double tauMem, double tauSyn,
                       int batchSize, int hiddenSize, int nbLayers, double regThr, LossMode lossMode,
                       boolean dataAugmentation, double hShift, double scale, String dir, boolean saveModel,
                       Path dataDir, Path outputDir, String device, int syntheticTrain, int syntheticTest,
                       Path loadModel, int testEvery, boolean progress, int checkpointEvery) {
        this(seed, dataset, neuron, nbEpochs, tauMem, tauSyn, batchSize, hiddenSize, nbLayers, regThr, lossMode,
                dataAugmentation, hShift, scale, dir, saveModel, dataDir, outputDir, device, syntheticTrain,
                syntheticTest, loadModel, testEvery, progress, checkpointEvery, ParaLifFlags.DEFAULT,
                ValidationSettings.NONE);
    }

    /** Folder that receives results and model files: outputDir/dir. */
    public Path runDir() {
        return dir.isEmpty() ? outputDir : outputDir.resolve(dir);
    }

    /**
     * The flags of the neuron's run.py with their values, in its order: the head of PARAMS.
     * SPSN's neurons: SPSN's flags (then ParaLIF's where they differ from the defaults, so that
     * an SPSN run's PARAMS stays SPSN's); ParaLIF's neurons: ParaLIF's flags.
     */
    public Map<String, Object> originalFlags() {
        if (neuron.family() == NeuronFamily.PARALIF) {
            return paraLifFlags();
        }
        Map<String, Object> m = coreFlags();
        for (Map.Entry<String, Object> e : paraLif.asMap().entrySet()) {
            if (!java.util.Objects.equals(e.getValue(), ParaLifFlags.DEFAULT.asMap().get(e.getKey()))) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    /** ParaLIF's examples/basic/run.py flags, in its argparse order (then the surrogate). */
    private Map<String, Object> paraLifFlags() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("dataset", dataset);
        m.put("neuron", neuron.cliName());
        m.put("nb_epochs", nbEpochs);
        m.put("tau_mem", tauMem);
        m.put("tau_syn", tauSyn);
        m.put("learn_tau", paraLif.learnTau());
        m.put("batch_size", batchSize);
        m.put("hidden_size", hiddenSize);
        m.put("nb_layers", nbLayers);
        m.put("recurrent", paraLif.recurrent());
        m.put("recurrent_relu", paraLif.recurrentRelu());
        m.put("reg_thr", regThr);
        m.put("reg_thr_r", paraLif.regThrR());
        m.put("loss_mode", lossMode.cliName());
        m.put("data_augmentation", dataAugmentation);
        m.put("shift", hShift);
        m.put("scale", scale);
        m.put("dir", dir);
        m.put("save_model", saveModel);
        m.put("debug", false);
        m.put("window_size", paraLif.windowSize());
        m.put("lr", paraLif.lr());
        m.put("weight_decay", paraLif.weightDecay());
        m.put("scheduler", false);
        m.put("best_config", paraLif.bestConfig());
        m.put("spk_threshold", paraLif.spkThreshold() != null ? paraLif.spkThreshold() : neuron.defaultThreshold());
        m.put("surrogate", paraLif.surrogate());
        m.put("surrogate_scale", paraLif.surrogateScale());
        m.put("per_neuron", paraLif.perNeuron());
        return m;
    }

    /** SPSN's run.py flags with their values, in its order (also the head of a checkpoint's settings). */
    public Map<String, Object> coreFlags() {
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
