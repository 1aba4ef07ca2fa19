package dev.tapedeck.converter.export.har;

import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WebSocket frames as Chrome's HAR extension {@code _webSocketMessages} writes them: type (send or
 * receive), time in seconds since the epoch, opcode and data (text frames as text, others base64).
 */
final class WebSocketMessages {

  private static final int TEXT = 1;

  private WebSocketMessages() {}

  static List<Map<String, Object>> of(List<Frame> frames) {
    List<Map<String, Object>> messages = new ArrayList<>(frames.size());
    for (Frame frame : frames) {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("type", frame.getDirection() == Direction.CLIENT_TO_SERVER ? "send" : "receive");
      message.put("time", frame.getTimeUnixMicros() / 1_000_000.0);
      message.put("opcode", frame.getOpcode());
      byte[] data = frame.getData().toByteArray();
      message.put(
          "data",
          frame.getOpcode() == TEXT
              ? new String(data, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(data));
      if (frame.getTruncated()) {
        message.put("_truncated", true);
      }
      messages.add(message);
    }
    return messages;
  }
}
