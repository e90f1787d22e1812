package spsn.report;

/**
 * The three columns of the paper's tables, plus {@link #OTHER} for runs that fit none of them
 * (regularisation without augmentation, non-default hyper-parameters, an unknown neuron).
 */
public enum Configuration {
    BASIC("Basic", "basic"),
    DATA_AUGMENTATION("Data augmentation", "data_aug"),
    DATA_AUGMENTATION_REGULARIZATION("Data augmentation + Regularization", "data_aug_reg"),
    OTHER("Other", "other");

    /** The columns of the paper's tables, in the paper's order. */
    public static final Configuration[] COLUMNS = {BASIC, DATA_AUGMENTATION, DATA_AUGMENTATION_REGULARIZATION};

    private final String title;
    private final String slug;

    Configuration(String title, String slug) {
        this.title = title;
        this.slug = slug;
    }

    /** Column heading, as in the paper. */
    public String title() {
        return title;
    }

    /** Short name used in plot file names. */
    public String slug() {
        return slug;
    }
}
