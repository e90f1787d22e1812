package spsn.data;

import java.util.random.RandomGenerator;
import spsn.SpsnException;

/**
 * The original's training augmentation: torchvision RandomAffine(degrees=0,
 * translate=(hShift, 0), scale=(1-scale, 1+scale)), nearest, fill 0, applied to each dense
 * [T, channels] sample seen as an image of height T and width = channels (700 for SHD). It shifts the
 * sample along the channel axis by a whole number of channels and zooms both axes about the
 * image centre; the output keeps the sample's length T. Values are sampled, not summed: a
 * zoom-in duplicates pixels, a zoom-out or a shift drops some.
 *
 * <p>Works on the sparse sample: each output row/column reads one source row/column
 * ({@link AffineGrid}), so every source spike is copied to the output pixels that read it.
 */
public final class Augmenter {

    private final double hShift;
    private final double scale;

    /**
     * @param hShift largest channel shift as a fraction of the channel count (--h_shift)
     * @param scale largest relative zoom (--scale): the factor is drawn in [1-scale, 1+scale)
     */
    public Augmenter(double hShift, double scale) {
        if (!(hShift >= 0 && hShift <= 1)) {
            throw SpsnException.usage("--h_shift must be between 0 and 1, got " + hShift);
        }
        if (!(scale >= 0 && scale < 1)) {
            throw SpsnException.usage("--scale must be >= 0 and < 1, got " + scale);
        }
        this.hShift = hShift;
        this.scale = scale;
    }

    /**
     * Draws a shift and a zoom as RandomAffine.get_params does and applies them to a sample seen
     * as an image {@code width} channels wide (the dataset's channel count).
     */
    public SpikeSample augment(SpikeSample s, int width, RandomGenerator rng) {
        Draw d = draw(width, rng);
        return apply(s, d.shift(), d.scale(), width);
    }

    /** One draw of RandomAffine's parameters: a whole channel shift and a zoom factor. */
    record Draw(int shift, double scale) {
    }

    Draw draw(int width, RandomGenerator rng) {
        double maxDx = hShift * width;
        // torchvision: tx = int(round(uniform(-max_dx, max_dx))); Python's round is half-to-even.
        int tx = maxDx > 0 ? (int) Math.rint(rng.nextDouble(-maxDx, maxDx)) : 0;
        double factor = scale > 0 ? rng.nextDouble(1 - scale, 1 + scale) : 1.0;
        return new Draw(tx, factor);
    }

    /**
     * Equals torchvision.transforms.functional.affine(dense[None], angle=0,
     * translate=[shiftChannels, 0], scale=scaleFactor, shear=[0, 0], NEAREST, fill=0) on the dense
     * [length, width] sample, returned sparse with the same length and label.
     */
    public static SpikeSample apply(SpikeSample s, int shiftChannels, double scaleFactor, int width) {
        if (!(scaleFactor > 0) || Double.isInfinite(scaleFactor)) {
            throw new IllegalArgumentException("scale factor must be positive and finite, got " + scaleFactor);
        }
        int height = s.length();
        if (s.spikeCount() == 0 || height == 0) {
            return s;
        }
        Inverse rows = Inverse.of(AffineGrid.sourceRows(height, scaleFactor), height);
        Inverse cols = Inverse.of(AffineGrid.sourceColumns(width, shiftChannels, scaleFactor), width);

        int[] bins = s.bins();
        int n = bins.length;
        int count = 0;
        // Pass 1 counts the output spikes; pass 2 fills them, row by row so bins stay sorted.
        for (int k = 0; k < n; k++) {
            count += rows.count(bins[k]) * cols.count(s.unit(k));
        }
        int[] outBins = new int[count];
        short[] outUnits = new short[count];
        int at = 0;
        int groupStart = 0;
        while (groupStart < n) {
            int bin = bins[groupStart];
            int groupEnd = groupStart;
            while (groupEnd < n && bins[groupEnd] == bin) {
                groupEnd++;
            }
            // Source rows map to disjoint, increasing ranges of output rows (the map is monotone).
            for (int r = rows.first(bin); r < rows.end(bin); r++) {
                int outRow = rows.target(r);
                for (int k = groupStart; k < groupEnd; k++) {
                    int u = s.unit(k);
                    for (int c = cols.first(u); c < cols.end(u); c++) {
                        outBins[at] = outRow;
                        outUnits[at] = (short) cols.target(c);
                        at++;
                    }
                }
            }
            groupStart = groupEnd;
        }
        return new SpikeSample(outBins, outUnits, s.label(), height);
    }

    /** For each source index, the output indices that read it (CSR layout). */
    private record Inverse(int[] start, int[] targets) {

        static Inverse of(int[] sourceOf, int size) {
            int[] start = new int[size + 1];
            for (int src : sourceOf) {
                if (src >= 0) {
                    start[src + 1]++;
                }
            }
            for (int i = 0; i < size; i++) {
                start[i + 1] += start[i];
            }
            int[] fill = start.clone();
            int[] targets = new int[start[size]];
            for (int out = 0; out < sourceOf.length; out++) {
                int src = sourceOf[out];
                if (src >= 0) {
                    targets[fill[src]++] = out;
                }
            }
            return new Inverse(start, targets);
        }

        int count(int src) {
            return start[src + 1] - start[src];
        }

        int first(int src) {
            return start[src];
        }

        int end(int src) {
            return start[src + 1];
        }

        int target(int i) {
            return targets[i];
        }
    }
}
