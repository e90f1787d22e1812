package spsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

    /** 20 classes with 30..49 samples each (class c has 30 + c), interleaved. */
    private static TrainTest data() {
        List<SpikeSample> samples = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            for (int c = 0; c < 20; c++) {
                if (round < 30 + c) {
                    samples.add(SpikeSample.of(new int[] {round}, new short[] {(short) c}, c));
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            names.add("c" + c);
        }
        SpikeDataset train = new SpikeDataset("train", List.copyOf(samples), 700, List.copyOf(names));
        SpikeDataset test = new SpikeDataset("test", List.of(samples.get(0)), 700, List.copyOf(names));
        return new TrainTest(train, test);
    }

    @Test
    void holdsOutTheFractionOfEveryClassKeepingFileOrder() {
        TrainTest data = data();
        TrainTest split = ValidationSplit.carve(data, 0.1, 42);
        assertSame(data.test(), split.test());
        int[] held = new int[20];
        split.valid().samples().forEach(s -> held[s.label()]++);
        for (int c = 0; c < 20; c++) {
            assertEquals(Math.round(0.1 * (30 + c)), held[c], "class " + c);
        }
        // Every sample lands in exactly one part, and each part keeps the training file's order.
        Map<SpikeSample, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < data.train().size(); i++) {
            position.put(data.train().get(i), i);
        }
        assertEquals(data.train().size(), split.train().size() + split.valid().size());
        for (SpikeDataset part : List.of(split.train(), split.valid())) {
            int last = -1;
            for (SpikeSample s : part.samples()) {
                int p = position.remove(s);
                assertTrue(p > last, "file order");
                last = p;
            }
        }
        assertTrue(position.isEmpty());
        assertEquals(700, split.valid().nbChannels());
        assertEquals(data.train().classNames(), split.valid().classNames());
    }

    @Test
    void theSeedChoosesTheSamples() {
        TrainTest data = data();
        List<SpikeSample> a = ValidationSplit.carve(data, 0.2, 1).valid().samples();
        List<SpikeSample> again = ValidationSplit.carve(data, 0.2, 1).valid().samples();
        List<SpikeSample> other = ValidationSplit.carve(data, 0.2, 2).valid().samples();
        assertEquals(a, again);
        assertNotEquals(a, other);
    }

    @Test
    void refusesAnEmptyPart() {
        TrainTest data = data();
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.carve(data, 0.001, 1));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.carve(data, 0, 1));
    }
}
