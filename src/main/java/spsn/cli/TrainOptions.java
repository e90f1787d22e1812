package spsn.cli;

import picocli.CommandLine.Option;
import spsn.model.NeuronType;

import java.nio.file.Path;

/**
 * Every flag of the original run.py, with the same names, types and defaults, plus the flags
 * this port adds. Each option is a setting of {@link spsn.train.RunSettings} under its name
 * (without "--"), which holds its default ({@link SettingsDefaults}); {@link TrainOptionsValidator}
 * maps the options onto the settings and checks them.
 */
public final class TrainOptions {

    // ---- the original's flags -------------------------------------------------------------
    @Option(names = "--seed", description = "Random seed (default: none, a different run each time).")
    public Long seed;

    @Option(names = "--dataset",
            description = "heidelberg (SHD files in --data_dir; also: shd), ssc (SSC files), synthetic (built in,"
                    + " SHD-shaped), synthetic-ssc (built in, SSC-shaped: 35 classes, a validation split) or"
                    + " synthetic-order (built in: 6 classes that differ only in time order)."
                    + " Default: ${DEFAULT-VALUE}.")
    public String dataset;

    @Option(names = "--neuron", completionCandidates = NeuronType.Names.class,
            description = "One of ${COMPLETION-CANDIDATES} (SPSN's neurons, then ParaLIF's, then this port's:"
                    + " each described under Neurons below; see README). Default: ${DEFAULT-VALUE}.")
    public String neuron;

    @Option(names = "--nb_epochs", description = "Training epochs. Default: ${DEFAULT-VALUE}.")
    public int nbEpochs;

    @Option(names = "--tau_mem", description = "Membrane time constant, seconds. Default: ${DEFAULT-VALUE}.")
    public double tauMem;

    @Option(names = "--tau_syn", description = "Synaptic time constant, seconds. Default: ${DEFAULT-VALUE}.")
    public double tauSyn;

    @Option(names = "--batch_size", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    public int batchSize;

    @Option(names = "--hidden_size", description = "Neurons per hidden layer. Default: ${DEFAULT-VALUE}.")
    public int hiddenSize;

    @Option(names = "--nb_layers", description = "Hidden layers. Default: ${DEFAULT-VALUE}.")
    public int nbLayers;

    @Option(names = "--reg_thr",
            description = "Spike-rate regularisation threshold (0: off). Default: ${DEFAULT-VALUE}.")
    public double regThr;

    @Option(names = "--loss_mode",
            description = "Reduction of the output over time: last, max, mean or cumsum (ParaLIF's: softmax"
                    + " at every step, summed). Default: ${DEFAULT-VALUE}.")
    public String lossMode;

    @Option(names = "--data_augmentation", arity = "0..1",
            parameterConsumer = StoreTrueOrValue.class,
            description = "True or False: random channel shift and scale of training samples. Default: ${DEFAULT-VALUE}.")
    public boolean dataAugmentation;

    @Option(names = "--h_shift",
            description = "Augmentation shift, fraction of the channels, in [0,1). Default: 0.1 (SPSN's neurons),"
                    + " 0.05 (ParaLIF's, whose run.py names it --shift).")
    public Double hShift;

    @Option(names = "--scale",
            description = "Augmentation scale range, in [0,1). Default: 0.3 (SPSN's neurons), 0.15 (ParaLIF's).")
    public Double scale;

    @Option(names = "--dir",
            description = "Sub-folder of the output folder, with a trailing slash (e.g. regul/). Default: none.")
    public String dir;

    @Option(names = "--save_model", arity = "0..1",
            parameterConsumer = StoreTrueOrValue.class,
            description = "True or False: save the trained model as a PyTorch state_dict (.pt). Default: ${DEFAULT-VALUE}.")
    public boolean saveModel;

    // ---- ParaLIF's run.py flags (examples/basic), same names and defaults --------------------
    // Booleans are store_true there: given alone they mean True; True/False also work.
    @Option(names = "--shift", description = "ParaLIF's name of --h_shift. Default: as --h_shift.")
    public Double shift;

    @Option(names = "--learn_tau", arity = "0..1",
            parameterConsumer = StoreTrueOrValue.class,
            description = "Learn the time constants (ParaLIF's sigmoid parametrisation, see README). Default: False.")
    public boolean learnTau;

    @Option(names = "--recurrent", arity = "0..1",
            parameterConsumer = StoreTrueOrValue.class, description = "Recurrent hidden layers (fc_recu). Default: False.")
    public boolean recurrent;

    @Option(names = "--recurrent_relu", arity = "0..1",
            parameterConsumer = StoreTrueOrValue.class,
            description = "Feed back relu of the membrane instead of spikes. Default: False.")
    public boolean recurrentRelu;

    @Option(names = "--reg_thr_r",
            description = "Regularisation threshold of the recurrent spike rates (0: off). Default: ${DEFAULT-VALUE}.")
    public double regThrR;

    @Option(names = "--lr", description = "Adamax learning rate. Default: ${DEFAULT-VALUE}.")
    public double lr;

    @Option(names = "--weight_decay", description = "Adamax weight decay (L2). Default: ${DEFAULT-VALUE}.")
    public double weightDecay;

    @Option(names = "--best_config", arity = "0..1",
            parameterConsumer = StoreTrueOrValue.class,
            description = "ParaLIF's best SHD setup: 3x128 feed-forward or 1x256 recurrent, 200 epochs, batch 64,"
                    + " augmentation, model saved, --dir heidelberg/<feedforward|recurrent>/<neuron>/. Default: False.")
    public boolean bestConfig;

    @Option(names = "--window_size",
            description = "Bin width of SHD spike times, seconds (the neuron's time step stays 1 ms)."
                    + " Default: ${DEFAULT-VALUE}.")
    public double windowSize;

    @Option(names = "--spk_threshold",
            description = "Firing threshold. Default: 0.1 for ParaLIF's delta modes, 1.0 otherwise.")
    public Double spkThreshold;

    @Option(names = "--surrogate",
            description = "Surrogate gradient of threshold spikes: fastsig (1/(k|x|+1)^2) or atan. Default: ${DEFAULT-VALUE}.")
    public String surrogate;

    @Option(names = "--surrogate_scale",
            description = "The surrogate's k. Default: 100 (fastsig), 2 (atan).")
    public Double surrogateScale;

    @Option(names = "--per_neuron", arity = "0..1",
            parameterConsumer = StoreTrueOrValue.class,
            description = "One threshold and one pair of time constants per neuron ([H] tensors, ParaLIF's list form;"
                    + " not a run.py flag) instead of one per layer; parallel neurons only. Default: False.")
    public boolean perNeuron;

    // ---- flags this port adds -------------------------------------------------------------
    @Option(names = "--data_dir",
            description = "Folder holding the dataset's files (shd_train.h5, shd_test.h5; ssc_train.h5, ssc_valid.h5,"
                    + " ssc_test.h5). Default: ${DEFAULT-VALUE}.")
    public Path dataDir;

    @Option(names = "--download", defaultValue = "False", arity = "1", converter = PythonBoolean.class,
            description = "True or False: fetch the dataset's files into --data_dir first if they are missing (as"
                    + " 'datasets fetch' does; a mirror from $SPSN_DATASETS_URL). Default: ${DEFAULT-VALUE}.")
    public boolean download;

    @Option(names = "--output_dir",
            description = "Folder for results and models (--dir is appended). Default: ${DEFAULT-VALUE}.")
    public Path outputDir;

    @Option(names = "--device",
            description = "auto (a GPU when a CUDA libtorch 2.7.1 is found, see README), cpu or gpu."
                    + " Default: ${DEFAULT-VALUE}.")
    public String device;

    @Option(names = "--synthetic_train",
            description = "Training samples of --dataset synthetic. Default: ${DEFAULT-VALUE}.")
    public int syntheticTrain;

    @Option(names = "--synthetic_test", description = "Test samples of --dataset synthetic. Default: ${DEFAULT-VALUE}.")
    public int syntheticTest;

    @Option(names = "--load_model", description = "Start from this model: a PyTorch state_dict (.pt), ours or the"
            + " original's, or a NIR graph (.nir, see docs/NIR.md).")
    public Path loadModel;

    @Option(names = "--test_every",
            description = "Also test every N epochs (0: only after training). Default: ${DEFAULT-VALUE}.")
    public int testEvery;

    @Option(names = "--progress", arity = "1", converter = PythonBoolean.class,
            description = "True or False: show progress bars (in a terminal; a log gets plain lines). Default: ${DEFAULT-VALUE}.")
    public boolean progress;

    @Option(names = "--checkpoint_every",
            description = "Save a checkpoint every N epochs (0: only when stopped by Ctrl-C or SIGTERM)."
                    + " Default: ${DEFAULT-VALUE}.")
    public int checkpointEvery;

    @Option(names = "--valid_fraction",
            description = "Hold out this share of each class of the training set for validation (seeded; 0: none,"
                    + " as the original). Datasets with their own validation split (ssc) use it instead."
                    + " Default: ${DEFAULT-VALUE}.")
    public double validFraction;

    @Option(names = "--select",
            description = "last (the parameters after the last epoch, as the original) or best (those of the epoch"
                    + " with the best validation accuracy; needs a validation set). Default: ${DEFAULT-VALUE}.")
    public String select;

    @Option(names = "--resume", description = "Continue the run saved in this checkpoint (outputs/<dir>checkpoint_"
            + "<neuron>_<id>.json) with its saved settings; only --nb_epochs, --progress, --device, --data_dir,"
            + " --output_dir and --checkpoint_every may be given with it.")
    public Path resume;
}
