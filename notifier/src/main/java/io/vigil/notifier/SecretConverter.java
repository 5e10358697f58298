package io.vigil.notifier;

import io.vigil.model.Secret;
import org.eclipse.microprofile.config.spi.Converter;

/** Reads tokens and passwords from configuration straight into a {@link Secret}, so no String copy is kept around to be logged. */
public final class SecretConverter implements Converter<Secret> {

    @Override
    public Secret convert(String value) {
        return Secret.of(value);
    }
}
