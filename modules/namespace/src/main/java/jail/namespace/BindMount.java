package jail.namespace;

/** An extra host directory or file made visible inside a container, read-only unless asked otherwise. */
public record BindMount(String source, String target, boolean readOnly) {

    /** Parses the init's encoding "SOURCE|TARGET|ro" (or rw). */
    public static BindMount parse(String encoded) {
        String[] f = encoded.split("\\|", -1);
        if (f.length != 3 || !f[0].startsWith("/") || !f[1].startsWith("/") || !(f[2].equals("ro") || f[2].equals("rw"))) {
            throw new IllegalArgumentException("bad bind mount '" + encoded + "': expected SOURCE|TARGET|ro or rw");
        }
        return new BindMount(f[0], f[1], f[2].equals("ro"));
    }
}
