package spsn.train;

/** Command lines whose PARAMS today's main wrote into src/test/resources/settings/params (name, flags...). */
final class SettingsCases {

    static final String[][] CASES = {
        {"spsn-defaults", "--dataset", "synthetic"},
        {"spsn-everything", "--dataset", "synthetic", "--neuron", "SPSN-SB", "--seed", "9223372036854775807",
            "--nb_epochs", "7", "--tau_mem", "3e-2", "--tau_syn", "1e-2", "--batch_size", "32", "--hidden_size", "64",
            "--nb_layers", "2", "--reg_thr", "0.25", "--loss_mode", "max", "--data_augmentation", "True",
            "--h_shift", "0.2", "--scale", "0.1", "--dir", "regul/", "--save_model", "True", "--data_dir", "some/where",
            "--synthetic_train", "100", "--synthetic_test", "50", "--load_model", "models/m.pt", "--test_every", "3",
            "--device", "cpu", "--valid_fraction", "0.2", "--select", "best", "--progress", "False",
            "--checkpoint_every", "0", "--output_dir", "elsewhere"},
        {"spsn-with-paralif-flags", "--dataset", "synthetic", "--neuron", "SPSN-GS", "--seed", "5", "--lr", "2e-3",
            "--weight_decay", "0.01", "--surrogate", "atan", "--spk_threshold", "0.5", "--window_size", "2e-3",
            "--surrogate_scale", "3", "--best_config"},
        {"lif-recurrent", "--dataset", "synthetic", "--neuron", "LIF", "--recurrent", "--reg_thr_r", "0.1",
            "--learn_tau"},
        {"non-spiking", "--dataset", "synthetic", "--neuron", "Non-Spiking", "--seed", "0", "--loss_mode", "last"},
        {"paralif-sd-recurrent", "--dataset", "synthetic", "--neuron", "ParaLIF-SD", "--seed", "3", "--nb_layers", "2",
            "--recurrent", "--learn_tau", "--reg_thr_r", "0.05", "--loss_mode", "cumsum", "--shift", "0.07",
            "--data_augmentation"},
        {"paralif-gs-flags", "--dataset", "synthetic", "--neuron", "ParaLIF-GS", "--spk_threshold", "0.7",
            "--surrogate", "atan", "--surrogate_scale", "3", "--lr", "1e-2", "--window_size", "4e-3",
            "--recurrent", "--recurrent_relu", "--best_config", "--scale", "0.2"},
        {"paralif-t-defaults", "--dataset", "synthetic", "--neuron", "ParaLIF-T"},
        {"ssc-split", "--dataset", "synthetic-ssc", "--neuron", "SPSN-SB", "--select", "best"},
    };

    private SettingsCases() {
    }
}
