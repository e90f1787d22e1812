package spsn.data.registry;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import spsn.SpsnException;
import spsn.data.FileLayout;
import spsn.data.SyntheticDataset;
import spsn.data.TemporalOrderDataset;

/**
 * The registry of datasets: the Heidelberg spiking datasets (Cramer et al. 2020; same HDF5
 * layout, 700 cochlea channels, float16 times) and the generated stand-ins for demos and tests.
 * A new dataset in the SHD layout is one entry here (and its archives in
 * {@link spsn.data.fetch.DatasetSources}).
 */
public final class Datasets {

    /** Spiking Heidelberg Digits: spoken digits 0-9 in English and German. The original's only dataset. */
    public static final DatasetSpec SHD = new DatasetSpec("heidelberg", List.of("shd"),
            "SHD (Spiking Heidelberg Digits)", "shd",
            new FileLayout("shd_train.h5", null, "shd_test.h5", 700), 700, 20,
            new DatasetSpec.Sizes(8156, 0, 2264));

    /** Spiking Speech Commands: 35 words of Google Speech Commands v2, with its own validation split. */
    public static final DatasetSpec SSC = new DatasetSpec("ssc", List.of(),
            "SSC (Spiking Speech Commands)", "ssc",
            new FileLayout("ssc_train.h5", "ssc_valid.h5", "ssc_test.h5", 700), 700, 35,
            new DatasetSpec.Sizes(75_466, 9_981, 20_382));

    /** Generated, SHD-shaped (sizes from --synthetic_train / --synthetic_test). */
    public static final DatasetSpec SYNTHETIC = new DatasetSpec("synthetic", List.of(),
            "synthetic SHD-like set", null, null, SyntheticDataset.NB_CHANNELS, SyntheticDataset.NB_CLASSES,
            new DatasetSpec.Sizes(SyntheticDataset.DEFAULT_TRAIN, 0, SyntheticDataset.DEFAULT_TEST));

    /** Generated, SSC-shaped: 35 classes and a validation split as large as the test split. */
    public static final DatasetSpec SYNTHETIC_SSC = new DatasetSpec("synthetic-ssc", List.of(),
            "synthetic SSC-like set", null, null, SyntheticDataset.NB_CHANNELS, 35,
            new DatasetSpec.Sizes(SyntheticDataset.DEFAULT_TRAIN, SyntheticDataset.DEFAULT_TEST,
                    SyntheticDataset.DEFAULT_TEST));

    /**
     * Generated, SHD-shaped, whose 6 classes differ only in the time order of the same three
     * bursts (see {@link TemporalOrderDataset}): for comparing recurrent and feed-forward neurons.
     */
    public static final DatasetSpec SYNTHETIC_ORDER = new DatasetSpec("synthetic-order", List.of(),
            "synthetic temporal-order set", null, null, TemporalOrderDataset.NB_CHANNELS,
            TemporalOrderDataset.NB_CLASSES,
            new DatasetSpec.Sizes(SyntheticDataset.DEFAULT_TRAIN, 0, SyntheticDataset.DEFAULT_TEST),
            TemporalOrderDataset::generate);

    private static final List<DatasetSpec> ALL = List.of(SHD, SSC, SYNTHETIC, SYNTHETIC_SSC, SYNTHETIC_ORDER);

    private Datasets() {
    }

    public static List<DatasetSpec> all() {
        return ALL;
    }

    /**
     * The dataset called {@code name} (or one of its aliases), case-insensitively.
     *
     * @param flag where the name was given, for the message (e.g. --dataset)
     * @throws SpsnException (usage) listing the names when there is none
     */
    public static DatasetSpec byName(String flag, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (DatasetSpec d : ALL) {
            if (d.name().equals(wanted) || d.aliases().contains(wanted)) {
                return d;
            }
        }
        throw SpsnException.usage(flag + ": unknown dataset '" + name + "'; choose " + names());
    }

    /** "heidelberg, ssc, synthetic, synthetic-ssc or synthetic-order". */
    public static String names() {
        List<String> names = ALL.stream().map(DatasetSpec::name).toList();
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", "))
                + " or " + names.get(names.size() - 1);
    }
}
