/**
 * Shared fixtures for end-to-end tests: {@link dev.tapedeck.testkit.TapedeckSystem} (the dev stack
 * and the four services as processes, once per JVM), {@link dev.tapedeck.testkit.UpstreamServer}
 * (a real HTTP server to record against), free {@link dev.tapedeck.testkit.Ports} and the {@link
 * dev.tapedeck.testkit.RepoRoot}.
 */
package dev.tapedeck.testkit;
