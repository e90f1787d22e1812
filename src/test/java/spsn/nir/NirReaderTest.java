package spsn.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIR's own reader, really run, on a file exported now: with a NIR source checkout named by the
 * environment variable NIR_SOURCE (and Debian's /usr/bin/python3 with numpy and h5py), nir.read()
 * must read exactly the record committed in fixed_model.read_by_nir.json. CI has no NIR checkout
 * (no network), so there {@link NirExportTest} checks the export against that record instead.
 *
 * <pre>NIR_SOURCE=/path/to/NIR mvn -B -q test -Dtest=NirReaderTest</pre>
 */
class NirReaderTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    @Test
    void nirsReaderReadsTheExportAsRecorded() throws IOException, InterruptedException {
        String source = System.getenv("NIR_SOURCE");
        assumeTrue(source != null && Files.isRegularFile(Path.of(source, "nir", "serialization.py")),
                "NIR_SOURCE does not name a NIR source checkout (github.com/neuromorphs/NIR)");
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Path file = tmp.resolve("fixed_model.nir");
        NirFile.write(file, NirFixtures.fixedGraph());
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "tools/nir/read_nir.py", file.toString());
        pb.environment().put("PYTHONPATH", source);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        assumeTrue(process.waitFor(120, TimeUnit.SECONDS), "the reader did not finish");
        assertEquals(0, process.exitValue(), "read_nir.py failed: " + new String(out, StandardCharsets.UTF_8));
        JsonNode read = new ObjectMapper().readTree(out);
        assertEquals(NirFixtures.json("fixed_model.read_by_nir.json"), read);
    }
}
