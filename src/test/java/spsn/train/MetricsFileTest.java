package spsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsFileTest {

    private static RunHistory twoEpochs() {
        RunHistory h = new RunHistory();
        h.addEpoch(new EpochResult(0.5, 0.25, 1.5, List.of(3.0)));
        h.addEpoch(new EpochResult(0.25, 0.5, 2.0, List.of(4.0)));
        return h;
    }

    @Test
    void withoutValidationTheColumnsAreTheOriginalRunsOnes() {
        assertEquals("""
                epoch,loss,train_accuracy,test_accuracy,seconds,learning_rate,spikes_layer_1
                1,0.5,0.25,,1.5,0.001,3.0
                2,0.25,0.5,0.75,2.0,0.001,4.0
                """, MetricsFile.render(twoEpochs(), e -> 0.001, 0.75));
    }

    @Test
    void aValidationSetAddsItsAccuracyAndLossPerEpoch() {
        RunHistory h = twoEpochs();
        h.validAccuracies.addAll(List.of(0.125, 0.375));
        h.validLossHist.addAll(List.of(2.5, 1.25));
        assertEquals("""
                epoch,loss,train_accuracy,test_accuracy,valid_accuracy,valid_loss,seconds,learning_rate,spikes_layer_1
                1,0.5,0.25,,0.125,2.5,1.5,0.001,3.0
                2,0.25,0.5,0.75,0.375,1.25,2.0,0.001,4.0
                """, MetricsFile.render(h, e -> 0.001, 0.75));
    }
}
