package spsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Against torchvision 0.14 (affine_cases.json from tools/fixtures/make_shd_fixtures.py). */
class AugmenterTest {

    @Test
    void pixelMapsMatchTorchvision() {
        JsonNode maps = Fixtures.json("affine_cases.json").get("maps");
        assertTrue(maps.size() >= 40);
        for (JsonNode c : maps) {
            int height = c.get("height").asInt();
            int shift = c.get("shift").asInt();
            double scale = c.get("scale").asDouble();
            String what = "height " + height + ", shift " + shift + ", scale " + scale;
            assertArrayEquals(decode(c.get("rows"), height), AffineGrid.sourceRows(height, scale), what + " rows");
            assertArrayEquals(decode(c.get("cols"), 700), AffineGrid.sourceColumns(700, shift, scale), what + " cols");
        }
    }

    @Test
    void samplesMatchTorchvisionIncludingCounts() {
        JsonNode samples = Fixtures.json("affine_cases.json").get("samples");
        for (JsonNode js : samples) {
            int[] bins = Fixtures.ints(js.get("bins"));
            int[] units = Fixtures.ints(js.get("units"));
            short[] u = new short[units.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = (short) units[i];
            }
            SpikeSample s = new SpikeSample(bins, u, 4, js.get("length").asInt());
            for (JsonNode out : js.get("outputs")) {
                int shift = out.get("shift").asInt();
                double scale = out.get("scale").asDouble();
                SpikeSample a = Augmenter.apply(s, shift, scale, 700);
                assertEquals(s.length(), a.length());
                assertEquals(4, a.label());
                assertTrue(SpikeSorter.isSorted(a.bins()));
                TreeMap<Long, Integer> expected = new TreeMap<>();
                int[] rr = Fixtures.ints(out.get("rows"));
                int[] cc = Fixtures.ints(out.get("cols"));
                int[] vv = Fixtures.ints(out.get("values"));
                for (int i = 0; i < rr.length; i++) {
                    expected.put((long) rr[i] * 700 + cc[i], vv[i]);
                }
                assertEquals(expected, counts(a), "shift " + shift + ", scale " + scale);
            }
        }
    }

    @Test
    void loneSpikeLandsWhereTheAffineMapPutsIt() {
        SpikeSample lone = new SpikeSample(new int[] {40}, new short[] {300}, 1, 100);
        // Scale 1: a pure shift along the channel axis, time untouched.
        assertEquals(key(40, 330), single(Augmenter.apply(lone, 30, 1.0, 700)));
        assertEquals(key(40, 245), single(Augmenter.apply(lone, -55, 1.0, 700)));
        assertTrue(counts(Augmenter.apply(lone, -301, 1.0, 700)).isEmpty());
        // Scale 2 about the image centre (49.5, 349.5), then +10 channels: the pixel [39.5, 40.5] x
        // [299.5, 300.5] covers rows [29.5, 31.5] and columns [259.5, 261.5], i.e. a 2x2 block.
        TreeMap<Long, Integer> twice = counts(Augmenter.apply(lone, 10, 2.0, 700));
        TreeMap<Long, Integer> block = new TreeMap<>();
        for (int row = 30; row <= 31; row++) {
            for (int col = 260; col <= 261; col++) {
                block.put(key(row, col), 1);
            }
        }
        assertEquals(block, twice);
        // Scale 0.75, -20 channels: (41, 301) moves to (49.5 + 0.75 * (41 - 49.5),
        // 349.5 + 0.75 * (301 - 349.5) - 20) = (43.125, 293.125); output pixel (43, 293) reads
        // source (40.83, 300.83), the only output pixel that reads (41, 301).
        SpikeSample other = new SpikeSample(new int[] {41}, new short[] {301}, 1, 100);
        assertEquals(key(43, 293), single(Augmenter.apply(other, -20, 0.75, 700)));
    }

    @Test
    void drawsCoverTheShiftAndScaleRanges() {
        Augmenter aug = new Augmenter(0.1, 0.3);
        SplittableRandom rng = new SplittableRandom(1);
        int[] shiftCounts = new int[141];
        double min = 2;
        double max = 0;
        double sum = 0;
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            Augmenter.Draw d = aug.draw(700, rng);
            assertTrue(d.shift() >= -70 && d.shift() <= 70, "shift " + d.shift());
            shiftCounts[d.shift() + 70]++;
            assertTrue(d.scale() >= 0.7 && d.scale() < 1.3, "scale " + d.scale());
            min = Math.min(min, d.scale());
            max = Math.max(max, d.scale());
            sum += d.scale();
        }
        // round(uniform(-70, 70)): interior values have probability 1/140, the two ends 1/280.
        double expected = n / 140.0;
        for (int v = -69; v <= 69; v++) {
            int count = shiftCounts[v + 70];
            assertTrue(count > 0.7 * expected && count < 1.3 * expected, "shift " + v + ": " + count);
        }
        assertTrue(shiftCounts[0] > 0.3 * expected && shiftCounts[0] < 0.7 * expected);
        assertTrue(shiftCounts[140] > 0.3 * expected && shiftCounts[140] < 0.7 * expected);
        assertTrue(min < 0.705 && max > 1.295, min + " " + max);
        assertEquals(1.0, sum / n, 0.01);
    }

    @Test
    void augmentKeepsLengthAndLabelAndNoAugmentationIsIdentity() {
        SpikeSample s = SyntheticDataset.generate(3, 1, 1).train().get(0);
        SpikeSample a = new Augmenter(0.1, 0.3).augment(s, 700, new SplittableRandom(9));
        assertEquals(s.length(), a.length());
        assertEquals(s.label(), a.label());
        assertTrue(SpikeSorter.isSorted(a.bins()));
        SpikeSample same = new Augmenter(0, 0).augment(s, 700, new SplittableRandom(9));
        assertEquals(counts(s), counts(same));
        SpikeSample empty = new SpikeSample(new int[0], new short[0], 2, 0);
        assertSame(empty, Augmenter.apply(empty, 5, 1.2, 700));
    }

    private static long key(int row, int col) {
        return (long) row * 700 + col;
    }

    private static long single(SpikeSample s) {
        TreeMap<Long, Integer> c = counts(s);
        assertEquals(1, c.size(), c.toString());
        return c.firstKey();
    }

    /** Dense view as a map from row*700+col to the count there. */
    private static TreeMap<Long, Integer> counts(SpikeSample s) {
        TreeMap<Long, Integer> map = new TreeMap<>();
        int[] bins = s.bins();
        for (int k = 0; k < s.spikeCount(); k++) {
            map.merge(key(bins[k], s.unit(k)), 1, Integer::sum);
        }
        return map;
    }

    /** Inverse of make_shd_fixtures.encode_map. */
    private static int[] decode(JsonNode m, int size) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < m.get("lead").asInt(); i++) {
            out.add(-1);
        }
        int v = m.get("start").asInt();
        if (v >= 0) {
            out.add(v);
            for (char ch : m.get("steps").asText().toCharArray()) {
                v += ch - '0';
                out.add(v);
            }
        }
        for (int i = 0; i < m.get("trail").asInt(); i++) {
            out.add(-1);
        }
        assertEquals(size, out.size());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
