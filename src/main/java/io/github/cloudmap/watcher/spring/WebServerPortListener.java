package io.github.cloudmap.watcher.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Tells the {@link CloudMapInstanceRegistration} the port of the application's main web server
 * when it starts listening (the web server's lifecycle runs in an earlier phase than the
 * registration's). The management server on a port of its own (server namespace
 * {@code management}) is not the one clients call, so it is ignored.
 *
 * <p>Thread-safe. Not part of the public API.
 */
final class WebServerPortListener implements ApplicationListener<WebServerInitializedEvent> {

    private final ObjectProvider<CloudMapInstanceRegistration> registration;

    WebServerPortListener(ObjectProvider<CloudMapInstanceRegistration> registration) {
        this.registration = registration;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            registration.ifAvailable(r -> r.serverStarted(event.getWebServer().getPort()));
        }
    }
}
