package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Random channel shift and scale of training samples: one group of {@link RunSettings}.
 *
 * @param enabled --data_augmentation
 * @param shift shift, fraction of the channels (SPSN's --h_shift, ParaLIF's --shift); null until
 *     validated: the neuron family's default
 * @param scale scale range; null until validated: the neuron family's default
 */
public record AugmentationSettings(
        @JsonProperty("data_augmentation") boolean enabled,
        @JsonProperty("h_shift") Double shift,
        @JsonProperty("scale") Double scale) {

    /** The defaults of {@code spsn}'s flags: off, shift and scale by neuron family. */
    public static final AugmentationSettings DEFAULT = new AugmentationSettings(false, null, null);
}
