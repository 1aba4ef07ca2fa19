package dev.tapedeck.proxyservice.proxy.impl;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.GrpcInfo;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What is recorded of a gRPC call (a request of content type {@code application/grpc}, {@code
 * application/grpc+proto}, {@code application/grpc+json}, ...): the service and method its path
 * names, each message both ways as a frame, and the status from the grpc-status and grpc-message
 * trailers, or from the headers of a trailers-only response.
 */
final class GrpcCapture {
  /** Recorded when the call ended without a grpc-status (the upstream broke off, or is no gRPC server). */
  static final int NO_STATUS = -1;

  private final String service;
  private final String method;
  private final GrpcMessages requests;
  private final GrpcMessages responses;

  private GrpcCapture(String service, String method, int limit) {
    this.service = service;
    this.method = method;
    this.requests = new GrpcMessages(limit);
    this.responses = new GrpcMessages(limit);
  }

  /** The capture for a request with this content type and path, or null when it is no gRPC call. */
  static GrpcCapture of(String contentType, String path, int limit) {
    if (!isGrpc(contentType)) {
      return null;
    }
    // /package.Service/Method; anything else keeps the whole path as the service.
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      return new GrpcCapture(path, "", limit);
    }
    return new GrpcCapture(path.substring(1, slash), path.substring(slash + 1), limit);
  }

  static boolean isGrpc(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.trim().toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/grpc")) {
      return false;
    }
    String rest = type.substring("application/grpc".length());
    // grpc-web frames its trailers into the body and is not parsed as gRPC here.
    return rest.isEmpty() || rest.startsWith("+") || rest.startsWith(";");
  }

  /** Frames for the messages a request chunk completes. */
  List<Frame.Builder> requestChunk(Buffer chunk) {
    return frames(Direction.CLIENT_TO_SERVER, requests.feed(chunk));
  }

  /** Frames for the messages a response chunk completes. */
  List<Frame.Builder> responseChunk(Buffer chunk) {
    return frames(Direction.SERVER_TO_CLIENT, responses.feed(chunk));
  }

  /**
   * The call's details. The status comes from the trailers, or from the headers when the upstream
   * answered trailers-only; {@link #NO_STATUS} when neither has one.
   */
  GrpcInfo info(MultiMap headers, MultiMap trailers) {
    MultiMap source = trailers != null && trailers.contains("grpc-status") ? trailers : headers;
    GrpcInfo.Builder info = GrpcInfo.newBuilder().setService(service).setMethod(method).setStatusCode(NO_STATUS);
    String status = source == null ? null : source.get("grpc-status");
    if (status != null) {
      try {
        info.setStatusCode(Integer.parseInt(status.trim()));
      } catch (NumberFormatException e) {
        // not a status code: recorded as none
      }
      String message = source.get("grpc-message");
      if (message != null) {
        info.setStatusMessage(percentDecoded(message));
      }
    }
    return info.build();
  }

  private static List<Frame.Builder> frames(Direction direction, List<GrpcMessages.Message> messages) {
    if (messages.isEmpty()) {
      return List.of();
    }
    List<Frame.Builder> frames = new ArrayList<>(messages.size());
    for (GrpcMessages.Message m : messages) {
      frames.add(
          Frame.newBuilder()
              .setDirection(direction)
              .setOpcode(m.compressed() ? 1 : 0)
              .setData(ByteString.copyFrom(m.data().getBytes()))
              .setSize(m.size())
              .setTruncated(m.truncated()));
    }
    return frames;
  }

  /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2, "Responses"); '+' is no space there. */
  private static String percentDecoded(String message) {
    try {
      return URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }
}
