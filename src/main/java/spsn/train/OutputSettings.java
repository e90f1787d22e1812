package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the run keeps, as the original's flags say it: one group of {@link RunSettings}.
 *
 * @param dir sub-folder of the output folder, as the original's --dir (may be empty)
 * @param saveModel save the trained model as a PyTorch state_dict
 */
public record OutputSettings(
        @JsonProperty("dir") String dir,
        @JsonProperty("save_model") boolean saveModel) {

    /** The defaults of {@code spsn}'s flags. */
    public static final OutputSettings DEFAULT = new OutputSettings("", false);
}
