package io.vigil.notifier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A GreenMail SMTP server on a free loopback port that can be stopped and started again on the same port. */
final class Smtp implements AutoCloseable {

    final int port;
    private GreenMail greenMail;

    Smtp() throws IOException {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
    }

    GreenMail start() {
        var setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(10_000);
        greenMail = new GreenMail(setup);
        greenMail.start();
        return greenMail;
    }

    GreenMail mail() {
        return greenMail;
    }

    void stop() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    SmtpSettings settings() {
        return new SmtpSettings("127.0.0.1", port, false, java.util.Optional.empty(), null, "Vigil <vigil@example.com>",
                java.time.Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        stop();
    }
}
