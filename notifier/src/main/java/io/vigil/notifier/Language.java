package io.vigil.notifier;

import java.util.Locale;

/** The languages messages are rendered in; the tag is what Twilio's {@code <Say language>} expects. */
public enum Language {
    ZH_CN("zh-CN"), EN_US("en-US");

    private final String tag;

    Language(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** Accepts {@code zh-CN}, {@code zh_cn}, {@code en-US}… */
    public static Language of(String tag) {
        String t = tag.trim().replace('_', '-').toLowerCase(Locale.ROOT);
        for (Language l : values()) {
            if (l.tag.toLowerCase(Locale.ROOT).equals(t)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown language '" + tag + "': expected zh-CN or en-US");
    }
}
