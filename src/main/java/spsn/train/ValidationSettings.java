package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a run validates and which epoch's parameters it keeps: one group of {@link RunSettings}.
 *
 * @param fraction share of the training set held out for validation, per class (--valid_fraction;
 *     0: none, as the original). A dataset with its own validation split (SSC) uses that instead.
 * @param select the parameters tested and saved at the end (--select)
 */
public record ValidationSettings(
        @JsonProperty("valid_fraction") double fraction,
        @JsonProperty("select") ModelSelection select) {

    /** The original's behaviour: no validation, the last epoch's parameters. */
    public static final ValidationSettings NONE = new ValidationSettings(0, ModelSelection.LAST);
}
