package spsn.io;

import static spsn.io.IoTestSupport.assertDataError;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Files written by real PyTorch (tools/reference/torch_state_dict.py write-fixture). */
class TorchFixtureTest {

    @Test
    void torchWrittenFileGivesTheValuesTorchReported() throws IOException {
        StateDict expected = IoTestSupport.readExpectedJson(IoTestSupport.resource("torch_written.json"));
        StateDict read = TorchStateDictReader.read(IoTestSupport.resource("torch_written.pt"));
        // Covers torch's own pickle (memo, SETITEMS, _metadata), views with offsets and strides
        // sharing one storage, float64/float16/bfloat16 conversion, a scalar and an empty tensor.
        IoTestSupport.assertSameTensors(expected, read);
    }

    @Test
    void integerTensorIsRejectedNamingKeyAndDtype() {
        assertDataError(() -> TorchStateDictReader.read(IoTestSupport.resource("torch_int64.pt")),
                "torch_int64.pt", "key bn.num_batches_tracked has dtype int64");
    }

    @Test
    void legacyFormatIsRecognised() {
        assertDataError(() -> TorchStateDictReader.read(IoTestSupport.resource("torch_legacy.pt")),
                "torch_legacy.pt", "legacy torch.save format", "PyTorch >= 1.6");
    }
}
