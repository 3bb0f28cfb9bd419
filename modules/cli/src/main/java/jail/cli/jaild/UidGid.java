package jail.cli.jaild;

import picocli.CommandLine;

/** The value of -u: "UID" or "UID:GID". */
record UidGid(int uid, Integer gid) {
    static final class Converter implements CommandLine.ITypeConverter<UidGid> {
        @Override
        public UidGid convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length > 2) throw new CommandLine.TypeConversionException("'" + value + "' is not UID or UID:GID");
            int uid = id(parts[0], "UID", value);
            Integer gid = parts.length == 2 ? id(parts[1], "GID", value) : null;
            return new UidGid(uid, gid);
        }

        private static int id(String s, String what, String value) {
            try {
                long v = Long.parseLong(s);
                if (v < 0 || v > Integer.MAX_VALUE) throw new NumberFormatException();
                return (int) v;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a valid " + what
                        + " (expected UID or UID:GID, numbers)");
            }
        }
    }
}
