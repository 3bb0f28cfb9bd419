package jail.namespace;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

class ThrowawayThreadTest {
    @Test
    void theStepRunsOnAThreadOfItsOwnAndItsResultComesBack() throws Exception {
        Thread caller = Thread.currentThread();
        Thread ran = ThrowawayThread.run("step", Thread::currentThread);
        assertNotSame(caller, ran);
        assertEquals("step", ran.getName());
        assertFalse(ran.isAlive(), "the thread ends with its step");
    }

    @Test
    void exceptionsComeBackAsThrownAndErrorsWrapped() {
        IOException io = new IOException("no such file");
        assertSame(io, assertThrows(IOException.class, () -> ThrowawayThread.run("step", () -> { throw io; })));
        StackOverflowError error = new StackOverflowError("deep");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class,
                () -> ThrowawayThread.run("step", () -> { throw error; }));
        assertSame(error, wrapped.getCause());
    }
}
