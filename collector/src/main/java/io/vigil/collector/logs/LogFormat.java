package io.vigil.collector.logs;

import java.util.List;

/** Turns whole lines of a log file into items; one implementation per kind of log. */
public interface LogFormat {

    /**
     * @param bytes      whole lines (the last one may lack its newline when the file has ended)
     * @param length     how many bytes of {@code bytes} to read
     * @param baseOffset the file offset of {@code bytes[0]}; items carry absolute offsets
     * @param file       the file, for the errors
     * @return the items in file order
     */
    List<ShipItem> parse(byte[] bytes, int length, long baseOffset, String file);
}
