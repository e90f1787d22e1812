package spsn.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Test resources written by tools/fixtures/make_shd_fixtures.py. */
final class Fixtures {

    private Fixtures() {
    }

    static Path shd(String name) {
        URL url = Fixtures.class.getResource("/shd/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource shd/" + name
                    + ": run /usr/bin/python3 tools/fixtures/make_shd_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(shd(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
