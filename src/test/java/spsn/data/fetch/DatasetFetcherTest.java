package spsn.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;

/**
 * Downloads against a real HTTP server on 127.0.0.1 serving small generated archives, with the
 * file table given by the test (the real table is only used by the command line).
 */
class DatasetFetcherTest {

    @TempDir
    Path data;

    private LocalServer server;
    private final StringWriter log = new StringWriter();
    /** What the archives unpack to (random bytes: the fetcher never reads them as HDF5). */
    private final byte[] trainContent = random(300_000, 1);
    private final byte[] testContent = random(120_000, 2);

    @BeforeEach
    void start() throws IOException {
        server = new LocalServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DatasetFetcher fetcher(Duration timeout) {
        return new DatasetFetcher(server.base(), timeout, false, new PrintWriter(log, true));
    }

    private void fetch(List<RemoteFile> files) {
        fetcher(Duration.ofSeconds(10)).fetch("TEST", files, data);
    }

    /** Serves both files' zips in {@code mode}; returns the table of files with their true MD5s. */
    private List<RemoteFile> serveZips(LocalServer.Mode mode) throws IOException {
        byte[] train = zip("t_train.h5", trainContent);
        byte[] test = zip("t_test.h5", testContent);
        server.serve("t_train.h5.zip", train, mode).serve("t_test.h5.zip", test, LocalServer.Mode.NORMAL);
        return List.of(new RemoteFile("t_train.h5.zip", md5(train), "t_train.h5"),
                new RemoteFile("t_test.h5.zip", md5(test), "t_test.h5"));
    }

    @Test
    void fetchesChecksAndUnpacksEveryFile() throws IOException {
        List<RemoteFile> files = serveZips(LocalServer.Mode.NORMAL);
        fetch(files);
        assertArrayEquals(trainContent, Files.readAllBytes(data.resolve("t_train.h5")));
        assertArrayEquals(testContent, Files.readAllBytes(data.resolve("t_test.h5")));
        assertEquals(List.of("t_test.h5", "t_train.h5"), names(), "no archive, part or temporary file is left");
        assertTrue(log.toString().contains("MD5 " + files.get(0).md5() + " ok"), log.toString());
        // Present files are kept as they are: no request at all the second time.
        int before = server.requests().size();
        fetch(files);
        assertEquals(before, server.requests().size());
        assertTrue(DatasetFetcher.present(files, data));
    }

    @Test
    void corruptedBodyIsDeletedAndSaidSo() throws IOException {
        byte[] good = zip("t_train.h5", trainContent);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x40;
        server.serve("t_train.h5.zip", bad, LocalServer.Mode.NORMAL);
        List<RemoteFile> files = List.of(new RemoteFile("t_train.h5.zip", md5(good), "t_train.h5"));
        SpsnException e = assertThrows(SpsnException.class, () -> fetch(files));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertTrue(e.getMessage().startsWith("checksum mismatch: "), e.getMessage());
        assertTrue(e.getMessage().contains(md5(bad)) && e.getMessage().contains(md5(good)), e.getMessage());
        assertTrue(e.getMessage().contains("the download is deleted"), e.getMessage());
        assertEquals(List.of(), names(), "nothing is left: neither the download nor an .h5");
    }

    @Test
    void transferCutInTheMiddleIsResumedWithRange() throws IOException {
        List<RemoteFile> files = serveZips(LocalServer.Mode.CUT_ONCE);
        SpsnException e = assertThrows(SpsnException.class, () -> fetch(files));
        assertTrue(e.getMessage().contains("run the same command again to resume"), e.getMessage());
        Path part = data.resolve("t_train.h5.zip.part");
        long half = zip("t_train.h5", trainContent).length / 2;
        assertEquals(half, Files.size(part), "the bytes received are kept");
        assertFalse(Files.exists(data.resolve("t_train.h5")), "no .h5 from half a download");

        fetch(files);
        assertTrue(server.requests().contains("t_train.h5.zip bytes=" + half + "-"), server.requests().toString());
        assertArrayEquals(trainContent, Files.readAllBytes(data.resolve("t_train.h5")));
        assertEquals(List.of("t_test.h5", "t_train.h5"), names());
    }

    @Test
    void serverIgnoringRangeIsReadFromTheStart() throws IOException {
        List<RemoteFile> files = serveZips(LocalServer.Mode.IGNORE_RANGE);
        // A part left by an earlier attempt; its bytes are wrong, so appending to it would fail the checksum.
        Files.write(data.resolve("t_train.h5.zip.part"), random(5000, 9));
        fetch(files);
        assertTrue(server.requests().contains("t_train.h5.zip bytes=5000-"), server.requests().toString());
        assertArrayEquals(trainContent, Files.readAllBytes(data.resolve("t_train.h5")));
        assertTrue(log.toString().contains("does not resume"), log.toString());
    }

    @Test
    void completePartIsCheckedNotDownloadedAgain() throws IOException {
        List<RemoteFile> files = serveZips(LocalServer.Mode.NORMAL);
        byte[] whole = zip("t_train.h5", trainContent);
        Files.write(data.resolve("t_train.h5.zip.part"), whole);
        fetch(files);
        assertTrue(server.requests().contains("t_train.h5.zip bytes=" + whole.length + "-"));
        assertArrayEquals(trainContent, Files.readAllBytes(data.resolve("t_train.h5")));
    }

    @Test
    void notFoundSaysSoAndLeavesNothing() throws IOException {
        List<RemoteFile> files = List.of(new RemoteFile("t_train.h5.zip", md5(new byte[0]), "t_train.h5"));
        SpsnException e = assertThrows(SpsnException.class, () -> fetch(files));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("t_train.h5.zip: not found (HTTP 404)"), e.getMessage());
        assertTrue(e.getMessage().contains("--url"), e.getMessage());
        assertEquals(List.of(), names());
    }

    @Test
    void stalledServerTimesOutAndKeepsWhatCame() throws IOException {
        List<RemoteFile> files = serveZips(LocalServer.Mode.STALL);
        SpsnException e = assertThrows(SpsnException.class,
                () -> fetcher(Duration.ofSeconds(1)).fetch("TEST", files, data));
        assertTrue(e.getMessage().contains("the server stopped sending (no data for 1 s)"), e.getMessage());
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        assertFalse(Files.exists(data.resolve("t_train.h5")));
        assertEquals(zip("t_train.h5", trainContent).length / 2, Files.size(data.resolve("t_train.h5.zip.part")));
    }

    @Test
    void connectionRefusedIsOneClearLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        DatasetFetcher fetcher = new DatasetFetcher(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(5),
                false, new PrintWriter(log, true));
        SpsnException e = assertThrows(SpsnException.class, () -> fetcher.fetch("TEST",
                List.of(new RemoteFile("t_train.h5.zip", md5(new byte[0]), "t_train.h5")), data));
        assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused; check the network connection, or"
                + " use a mirror with --url or SPSN_DATASETS_URL", e.getMessage());
    }

    @Test
    void fullDiskIsOneClearLine() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "no /dev/full on this system");
        List<RemoteFile> files = serveZips(LocalServer.Mode.NORMAL);
        // The part file is a link to /dev/full, where every write fails with ENOSPC.
        Files.createSymbolicLink(data.resolve("t_train.h5.zip.part"), full);
        SpsnException e = assertThrows(SpsnException.class, () -> fetch(files));
        assertTrue(e.getMessage().contains("the disk is full"), e.getMessage());
        assertFalse(Files.exists(data.resolve("t_train.h5")));
    }

    @Test
    void olderGzipLayoutIsCheckedAgainstMd5sums() throws IOException {
        byte[] gz = gzip(trainContent);
        server.serve("t_train.h5.gz", gz, LocalServer.Mode.NORMAL).serve("md5sums.txt",
                (md5(random(10, 5)) + "  other.h5.gz\n" + md5(gz) + "  t_train.h5.gz\n").getBytes(StandardCharsets.UTF_8),
                LocalServer.Mode.NORMAL);
        fetch(List.of(new RemoteFile("t_train.h5.zip", "0".repeat(32), "t_train.h5")));
        assertArrayEquals(trainContent, Files.readAllBytes(data.resolve("t_train.h5")));
        assertEquals(List.of("t_train.h5"), names());
    }

    @Test
    void archivesAlreadyInTheFolderAreUsedWithoutNetwork() throws IOException {
        byte[] zip = zip("t_train.h5", trainContent);
        Files.write(data.resolve("t_train.h5.zip"), zip);
        Files.write(data.resolve("t_test.h5.gz"), gzip(testContent));
        fetch(List.of(new RemoteFile("t_train.h5.zip", md5(zip), "t_train.h5"),
                new RemoteFile("t_test.h5.zip", "0".repeat(32), "t_test.h5")));
        assertEquals(List.of(), server.requests());
        assertArrayEquals(trainContent, Files.readAllBytes(data.resolve("t_train.h5")));
        assertArrayEquals(testContent, Files.readAllBytes(data.resolve("t_test.h5")));
        assertTrue(Files.exists(data.resolve("t_train.h5.zip")), "a file put there by hand is kept");
    }

    @Test
    void damagedArchiveContentIsRefusedWithoutAnH5() throws IOException {
        // An archive whose MD5 matches the table but whose entry fails its CRC.
        byte[] zip = storedZipWithWrongCrc("t_train.h5", trainContent);
        server.serve("t_train.h5.zip", zip, LocalServer.Mode.NORMAL);
        SpsnException e = assertThrows(SpsnException.class,
                () -> fetch(List.of(new RemoteFile("t_train.h5.zip", md5(zip), "t_train.h5"))));
        assertTrue(e.getMessage().contains("the archive is damaged"), e.getMessage());
        assertFalse(Files.exists(data.resolve("t_train.h5")));
        try (Stream<Path> left = Files.list(data)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void md5sumsLinesAreParsed() {
        String sums = "d47c9825dee33347913e8ce0f2be08b0  shd_train.h5.gz\n3062A80EC0C5719404D5B02E166543B1 *shd_test.h5.gz";
        assertEquals("d47c9825dee33347913e8ce0f2be08b0", DatasetFetcher.md5Of(sums, "shd_train.h5.gz"));
        assertEquals("3062a80ec0c5719404d5b02e166543b1", DatasetFetcher.md5Of(sums, "shd_test.h5.gz"));
        assertEquals(null, DatasetFetcher.md5Of(sums, "ssc_test.h5.gz"));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> list = Files.list(data)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] zip(String entry, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry e = new ZipEntry(entry);
            // a fixed time: an entry takes the clock's by default, in 2-second steps, so two
            // archives of the same content made across a step would differ
            e.setTimeLocal(LocalDateTime.of(2020, 1, 1, 0, 0));
            zip.putNextEntry(e);
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] storedZipWithWrongCrc(String entry, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry e = new ZipEntry(entry);
            e.setMethod(ZipEntry.STORED);
            e.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(content);
            zip.closeEntry();
        }
        byte[] out = bytes.toByteArray();
        // Flip a content byte (the local header is ~30 + name bytes long): the stored CRC no longer fits.
        out[100] ^= 0x01;
        return out;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        return bytes.toByteArray();
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
