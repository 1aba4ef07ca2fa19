package dev.tapedeck.control.ui;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web UI's entry points. Its files are static resources of this jar
 * ({@code META-INF/resources/ui/}), served without a key: they hold no data, and every API call
 * they make carries the key the user gives. {@code /} and {@code /ui} redirect to {@code /ui/} with
 * a relative {@code Location}, so the redirect stays right behind an Ingress that serves the API
 * under a path prefix. The Content-Security-Policy of {@code /ui/} is set in application.properties.
 */
@ApplicationScoped
public class UiRoutes {
  void routes(@Observes Router router) {
    // Exact paths (a plain "/ui" route would also match "/ui/" and redirect it to itself).
    router.getWithRegex("/").handler(rc -> redirect(rc.response(), "ui/"));
    router.getWithRegex("/ui").handler(rc -> redirect(rc.response(), "ui/"));
  }

  private static void redirect(io.vertx.core.http.HttpServerResponse response, String location) {
    response.setStatusCode(302).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
  }
}
