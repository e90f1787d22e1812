package spsn.data;

import java.util.List;

/**
 * A labelled set of spike-train samples, e.g. one split of SHD.
 *
 * @param name where it came from (a file path or "synthetic train"), used in messages
 * @param samples the samples, in file order
 * @param nbChannels input channels (700 for SHD)
 * @param classNames one name per class; its size is the number of classes
 */
public record SpikeDataset(String name, List<SpikeSample> samples, int nbChannels, List<String> classNames) {

    public int size() {
        return samples.size();
    }

    public int nbClasses() {
        return classNames.size();
    }

    public SpikeSample get(int i) {
        return samples.get(i);
    }

    /** Longest sample in time steps (the original's max_duration is the max over both splits). */
    public int maxLength() {
        int max = 0;
        for (SpikeSample s : samples) {
            max = Math.max(max, s.length());
        }
        return max;
    }
}
