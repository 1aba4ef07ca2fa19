package dev.tapedeck.policy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The named network conditions, as NectoProxy offers them. Figures follow the common browser
 * throttling profiles (1 KBps = 1 KiB/s): 2G 250/50 kbit/s, 3G 1.6/0.75 Mbit/s, 4G 12/5 Mbit/s,
 * Wi-Fi 30/15 Mbit/s.
 */
public final class NetworkPresets {
  private static final Map<String, NetworkProfile> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put("offline", new NetworkProfile("offline", null, null, null, null, null, true));
    PRESETS.put("2g", new NetworkProfile("2g", 500, 100, 31, 6, 0.02, null));
    PRESETS.put("3g", new NetworkProfile("3g", 200, 50, 200, 94, 0.01, null));
    PRESETS.put("4g", new NetworkProfile("4g", 50, 20, 1536, 640, null, null));
    PRESETS.put("wifi", new NetworkProfile("wifi", 10, 5, 3840, 1920, null, null));
  }

  private NetworkPresets() {}

  /** The preset called {@code name} (case-insensitive; {@code wi-fi} is {@code wifi}). */
  public static Optional<NetworkProfile> named(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("wi-fi", "wifi");
    return Optional.ofNullable(PRESETS.get(key));
  }

  /** The preset names, in order of speed. */
  public static java.util.Set<String> names() {
    return PRESETS.keySet();
  }
}
