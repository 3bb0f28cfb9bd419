package jail.namespace.io;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class SpliceTest {

    @Test
    void movesWhatThePipeHoldsAndSaysWhenNothingCanMoveOrTheSourceEnded() throws Exception {
        int[] a = Pipes.create(), b = Pipes.create();
        try {
            NativeBuffer buf = new NativeBuffer(16);
            buf.put(0, "hello".getBytes(), 0, 5);
            assertEquals(5, buf.write(a[1], 0, 5));
            assertEquals(5, Pipes.available(a[0]));
            assertEquals(5, Splice.move(a[0], b[1], 100), "what is there, not what was asked");
            assertEquals(0, Pipes.available(a[0]));
            assertEquals(0, Splice.move(a[0], b[1], 100), "an empty pipe: nothing now");
            Fds.close(a[1]);
            a[1] = -1;
            assertEquals(-1, Splice.move(a[0], b[1], 100), "writers gone: end of file");
            assertEquals(5, buf.read(b[0], 0, 16));
            assertArrayEquals("hello".getBytes(), buf.get(0, 5));
        } finally {
            for (int fd : new int[]{a[0], a[1], b[0], b[1]}) Fds.close(fd);
        }
    }

    @Test
    void betweenTwoFilesTheKernelRefusesAndSaysSo() throws Exception {
        Path f = Files.createTempFile("splice", ".txt");
        int[] p = Pipes.create();
        int in = jail.namespace.NativeFd.open(f.toString(), 0, 0), out = jail.namespace.NativeFd.open(f.toString(), 1, 0);
        try {
            Splice.Refused e = assertThrows(Splice.Refused.class, () -> Splice.move(in, out, 10));
            assertEquals(22, e.errno());
            assertEquals("splice", e.call());
            assertEquals(Fds.Kind.REGULAR_FILE, Fds.kind(in));
            assertEquals(Fds.Kind.PIPE, Fds.kind(p[0]));
            assertTrue(Pipes.resize(p[1], 1 << 20) >= 1 << 16, "grown, or the size it had");
        } finally {
            for (int fd : new int[]{in, out, p[0], p[1]}) Fds.close(fd);
            Files.delete(f);
        }
    }
}
