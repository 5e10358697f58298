package io.vigil.notifier;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured channels by kind; a kind without configuration (no Twilio account…) is absent. */
public final class Channels {

    private final Map<ChannelKind, Channel> byKind = new EnumMap<>(ChannelKind.class);

    public Channels(List<? extends Channel> channels) {
        for (Channel c : channels) {
            if (byKind.put(c.kind(), c) != null) {
                throw new IllegalArgumentException("two channels for " + c.kind().id());
            }
        }
    }

    public static Channels of(Channel... channels) {
        return new Channels(List.of(channels));
    }

    public Optional<Channel> get(ChannelKind kind) {
        return Optional.ofNullable(byKind.get(kind));
    }
}
