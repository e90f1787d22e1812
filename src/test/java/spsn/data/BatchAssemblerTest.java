package spsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    private static SpikeSample sample(int label, int[] bins, int[] units) {
        short[] u = new short[units.length];
        for (int i = 0; i < units.length; i++) {
            u[i] = (short) units[i];
        }
        return SpikeSample.of(bins, u, label);
    }

    @Test
    void padsAtTheStartAndAddsDuplicates() {
        SpikeSample shortOne = sample(3, new int[] {0, 2, 2, 2}, new int[] {1, 0, 0, 3});   // length 3
        SpikeSample longOne = sample(7, new int[] {1, 4, 4}, new int[] {2, 3, 3});           // length 5
        DenseBatch batch = BatchAssembler.assemble(List.of(shortOne, longOne), 4);

        assertEquals(2, batch.batchSize());
        assertEquals(5, batch.steps());
        assertEquals(4, batch.channels());
        assertArrayEquals(new long[] {3, 7}, batch.labels());
        float[] expected = {
            // sample 0: two zero rows first, then its 3 rows
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 1, 0, 0,
            0, 0, 0, 0,
            2, 0, 0, 1,
            // sample 1: no padding
            0, 0, 0, 0,
            0, 0, 1, 0,
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 2,
        };
        assertArrayEquals(expected, batch.data());
        assertEquals(2f, batch.get(0, 4, 0));
    }

    @Test
    void sparseBatchEqualsDenseBatch() {
        TrainTest data = SyntheticDataset.generate(5, 8, 1);
        List<SpikeSample> samples = data.train().samples();
        DenseBatch dense = BatchAssembler.assemble(samples, 700);
        SparseBatch sparse = BatchAssembler.assembleSparse(samples, 700);
        assertEquals(dense.steps(), sparse.steps());
        assertEquals(dense.batchSize(), sparse.batchSize());
        assertEquals(dense.channels(), sparse.channels());
        assertArrayEquals(dense.labels(), sparse.labels());
        int spikes = samples.stream().mapToInt(SpikeSample::spikeCount).sum();
        assertEquals(spikes, sparse.spikeCount());
        assertArrayEquals(dense.data(), sparse.toDense());
        double sum = 0;
        for (float v : dense.data()) {
            sum += v;
        }
        assertEquals(spikes, sum);
    }

    @Test
    void rejectsSpikesOutsideTheChannels() {
        SpikeSample s = sample(0, new int[] {0}, new int[] {5});
        assertThrows(IllegalArgumentException.class, () -> BatchAssembler.assemble(List.of(s), 4));
        assertThrows(IllegalArgumentException.class, () -> BatchAssembler.assemble(List.of(), 4));
    }
}
