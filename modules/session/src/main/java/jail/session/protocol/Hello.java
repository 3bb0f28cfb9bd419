package jail.session.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first frame of every connection: what the client asks for. It carries no identity: who the caller is
 * comes from the socket's peer credentials (SO_PEERCRED), never from anything a client says.
 *
 * @param version the lowest protocol version the request needs ({@link #versionFor}), so that old inits still
 *                take what they understand
 * @param mode    a terminal session (pty), a pipes session (stdin/stdout/stderr apart), a status query, or one of
 *                the requests about detached sessions (list, attach, kill)
 * @param login   start the shell as a login shell (argv[0] "-bash")
 * @param command run "$SHELL -c command"; null for a shell reading its terminal or stdin. For ATTACH and KILL:
 *                the session id in decimal (null: ATTACH takes the latest detached session)
 * @param env     NAME=value pairs the client passes (TERM, LANG, LC_*, SSH_*); the init filters them again
 * @param agent   the client has an ssh agent and speaks the AGENT_* frames (flag bit 1; an older init ignores it)
 */
public record Hello(int version, Mode mode, boolean login, int rows, int cols, String command, String term,
                    List<String> env, boolean agent) {

    /** What the connection asks for; the codes are the wire's (docs/protocol.md), never the declaration order. */
    public enum Mode {
        TERMINAL(0, 1), PIPES(1, 1), STATUS(2, 1), LIST(3, 2), ATTACH(4, 2), KILL(5, 2);

        public final int code;
        /** The protocol version that introduced this mode. */
        public final int since;

        Mode(int code, int since) {
            this.code = code;
            this.since = since;
        }

        /** The mode of a wire code, or null if this version does not know it. */
        public static Mode of(int code) {
            for (Mode m : values()) if (m.code == code) return m;
            return null;
        }
    }

    private static final int FLAG_LOGIN = 1;
    private static final int FLAG_AGENT = 2;
    private static final int MAX_ENV = 256;
    private static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern.compile("[1-9][0-9]{0,8}");

    public Hello {
        env = List.copyOf(env);
    }

    /** Without an agent. */
    public Hello(int version, Mode mode, boolean login, int rows, int cols, String command, String term, List<String> env) {
        this(version, mode, login, rows, cols, command, term, env, false);
    }

    /** The same request, saying that the client's agent may be forwarded. */
    public Hello withAgent() {
        return new Hello(version, mode, login, rows, cols, command, term, env, true);
    }

    /** The version a client states for a mode: the lowest that has it. */
    public static int versionFor(Mode mode) {
        return mode.since;
    }

    /** A LIST, ATTACH or KILL request; {@code session} null: none named. */
    public static Hello control(Mode mode, Integer session, int rows, int cols, String term) {
        return new Hello(versionFor(mode), mode, false, rows, cols, session == null ? null : session.toString(),
                term, List.of());
    }

    /** The session an ATTACH or KILL names, or null for none. */
    public Integer targetSession() {
        return command == null ? null : Integer.valueOf(command);
    }

    public Frame toFrame() {
        List<byte[]> strings = new ArrayList<>();
        strings.add(utf8(command == null ? "" : command));
        strings.add(utf8(term == null ? "" : term));
        for (String e : env) strings.add(utf8(e));
        int size = 4 + 2 + 1 + 1 + 2 + 2 + 1 + 2;
        for (byte[] s : strings) size += 4 + s.length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(Protocol.MAGIC).putShort((short) version).put((byte) mode.code).put((byte) ((login ? FLAG_LOGIN : 0) | (agent ? FLAG_AGENT : 0)))
                .putShort((short) rows).putShort((short) cols);
        b.put((byte) (command == null ? 0 : 1));
        putString(b, strings.get(0));
        putString(b, strings.get(1));
        b.putShort((short) env.size());
        for (int i = 2; i < strings.size(); i++) putString(b, strings.get(i));
        return new Frame(FrameType.HELLO, b.array());
    }

    public static Hello parse(Frame frame) throws ProtocolException {
        if (frame.type() != FrameType.HELLO) {
            throw new ProtocolException("expected HELLO, got " + frame.type());
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(frame.payload());
            byte[] magic = new byte[4];
            b.get(magic);
            if (!Arrays.equals(magic, Protocol.MAGIC)) throw new ProtocolException("not a jail client (bad magic)");
            int version = Short.toUnsignedInt(b.getShort());
            if (version < Protocol.MIN_VERSION || version > Protocol.VERSION) {
                throw new ProtocolException("protocol version " + version + " not supported (this init speaks "
                        + Protocol.MIN_VERSION + " to " + Protocol.VERSION + ")");
            }
            int modeCode = Byte.toUnsignedInt(b.get());
            Mode mode = Mode.of(modeCode);
            // A mode newer than the stated version is unknown to that version, as it would be to an old init.
            if (mode == null || mode.since > version) throw new ProtocolException("unknown mode " + modeCode);
            int flags = Byte.toUnsignedInt(b.get());
            int rows = Short.toUnsignedInt(b.getShort());
            int cols = Short.toUnsignedInt(b.getShort());
            boolean hasCommand = b.get() != 0;
            String command = getString(b);
            String term = getString(b);
            int envCount = Short.toUnsignedInt(b.getShort());
            if (envCount > MAX_ENV) throw new ProtocolException("too many environment entries: " + envCount);
            List<String> env = new ArrayList<>(envCount);
            for (int i = 0; i < envCount; i++) env.add(getString(b));
            if (b.hasRemaining()) throw new ProtocolException("trailing bytes after HELLO");
            if ((mode == Mode.ATTACH || mode == Mode.KILL) && hasCommand && !SESSION_ID.matcher(command).matches()) {
                throw new ProtocolException("not a session id: " + command);
            }
            if (mode == Mode.KILL && !hasCommand) throw new ProtocolException("KILL needs a session id");
            return new Hello(version, mode, (flags & FLAG_LOGIN) != 0, rows, cols,
                    hasCommand ? command : null, term, env, (flags & FLAG_AGENT) != 0);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated HELLO");
        }
    }

    private static void putString(ByteBuffer b, byte[] s) {
        b.putInt(s.length).put(s);
    }

    private static String getString(ByteBuffer b) throws ProtocolException {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) throw new ProtocolException("string length " + len + " out of bounds");
        byte[] s = new byte[len];
        b.get(s);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(s)).toString();
            if (text.indexOf('\0') >= 0) throw new ProtocolException("NUL byte in a HELLO string");
            return text;
        } catch (CharacterCodingException e) {
            throw new ProtocolException("HELLO string is not UTF-8");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
