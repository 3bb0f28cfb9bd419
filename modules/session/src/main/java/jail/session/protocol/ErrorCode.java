package jail.session.protocol;

/** Why a connection was refused or ended; the client maps these to its exit status. */
public enum ErrorCode {
    PROTOCOL(1),
    DENIED(2),
    SPAWN_FAILED(3),
    LIMIT(4),
    INTERNAL(5),
    /** Version 2: LIST/ATTACH/KILL named no session of the caller's (or none is detached). */
    NO_SESSION(6);

    public final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) if (c.code == code) return c;
        return INTERNAL;
    }
}
