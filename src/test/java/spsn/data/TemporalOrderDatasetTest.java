package spsn.data;

import org.junit.jupiter.api.Test;
import spsn.data.registry.Datasets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The temporal-order set: its classes differ only in time order (the same random draw under two
 * classes has the same spikes on the same channels, at other times), a classifier that ignores
 * time is at chance while one that sees early against late is not, and it loads through the
 * registry like the other generated sets.
 */
class TemporalOrderDatasetTest {

    @Test
    void aSampleUnderAnotherClassHasTheSameSpikesAtOtherTimes() {
        for (int other = 1; other < TemporalOrderDataset.NB_CLASSES; other++) {
            SpikeSample a = TemporalOrderDataset.sample(0, new SplittableRandom(42));
            SpikeSample b = TemporalOrderDataset.sample(other, new SplittableRandom(42));
            short[] ua = a.units().clone();
            short[] ub = b.units().clone();
            Arrays.sort(ua);
            Arrays.sort(ub);
            assertArrayEquals(ua, ub, "the same channels, spike for spike, class " + other);
            assertEquals(a.bins().length, b.bins().length);
            assertFalse(Arrays.equals(a.bins(), b.bins()) && Arrays.equals(a.units(), b.units()),
                    "but not at the same times, class " + other);
        }
    }

    /** Spike counts of the three bands in the first and second half of the sample. */
    private static double[] features(SpikeSample s, boolean withTime) {
        int end = s.bins()[s.bins().length - 1] + 1;
        double[] f = new double[withTime ? 6 : 3];
        for (int i = 0; i < s.units().length; i++) {
            int band = s.units()[i] < 260 ? 0 : s.units()[i] < 440 ? 1 : 2;
            int half = withTime && s.bins()[i] >= end / 2 ? 3 : 0;
            f[band + half]++;
        }
        return f;
    }

    /** Accuracy of the nearest class centroid (train centroids, test samples). */
    private static double nearestCentroid(TrainTest data, boolean withTime) {
        int classes = TemporalOrderDataset.NB_CLASSES;
        int dims = withTime ? 6 : 3;
        double[][] centroid = new double[classes][dims];
        int[] count = new int[classes];
        for (SpikeSample s : data.train().samples()) {
            double[] f = features(s, withTime);
            for (int d = 0; d < dims; d++) {
                centroid[s.label()][d] += f[d];
            }
            count[s.label()]++;
        }
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < dims; d++) {
                centroid[c][d] /= count[c];
            }
        }
        int right = 0;
        for (SpikeSample s : data.test().samples()) {
            double[] f = features(s, withTime);
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < classes; c++) {
                double dist = 0;
                for (int d = 0; d < dims; d++) {
                    dist += (f[d] - centroid[c][d]) * (f[d] - centroid[c][d]);
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = c;
                }
            }
            right += best == s.label() ? 1 : 0;
        }
        return right / (double) data.test().size();
    }

    @Test
    void onlyTimeOrderTellsTheClassesApart() {
        TrainTest data = TemporalOrderDataset.generate("order", 3, 6, 600, 0, 600);
        double chance = 1.0 / 6;
        double withoutTime = nearestCentroid(data, false);
        double withTime = nearestCentroid(data, true);
        // 600 test samples: the binomial sd at chance is 0.015
        assertTrue(Math.abs(withoutTime - chance) < 0.06, "band counts alone: " + withoutTime);
        assertTrue(withTime > 0.4, "band counts per half: " + withTime);
    }

    @Test
    void loadsThroughTheRegistryWithBalancedClasses() {
        TrainTest data = Datasets.byName("--dataset", "synthetic-order").load(Path.of("unused"), BinningRule.SPSN, 7, 60,
                30);
        assertEquals(60, data.train().size());
        assertEquals(30, data.test().size());
        assertEquals(6, data.train().nbClasses());
        assertEquals("order-CBA", data.train().classNames().get(5));
        int[] perClass = new int[6];
        for (SpikeSample s : data.train().samples()) {
            perClass[s.label()]++;
            for (short u : s.units()) {
                assertTrue(u >= 0 && u < 700);
            }
        }
        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10}, perClass);
        TrainTest again = Datasets.SYNTHETIC_ORDER.load(Path.of("unused"), BinningRule.SPSN, 7, 60, 30);
        assertArrayEquals(data.test().samples().get(4).bins(), again.test().samples().get(4).bins(), "same seed, same set");
        TrainTest other = Datasets.SYNTHETIC_ORDER.load(Path.of("unused"), BinningRule.SPSN, 8, 60, 30);
        assertNotEquals(data.test().samples().get(4).bins().length, other.test().samples().get(4).bins().length);
    }
}
