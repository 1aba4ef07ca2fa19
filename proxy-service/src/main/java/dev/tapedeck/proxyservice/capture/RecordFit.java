package dev.tapedeck.proxyservice.capture;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CaptureLoss;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Frame;

/**
 * Keeps every capture publishable: {@link #fit} cuts a capture down to the broker's record limit,
 * and {@link #stub} reduces one that cannot be published at all to its heads, with a {@link
 * CaptureLoss} saying what was lost and why. Either way the entry is still stored, so the session
 * never has an answered exchange without an entry.
 */
public final class RecordFit {
  /** Kinds of {@link CaptureLoss}. */
  public static final String TRIMMED = "trimmed";

  public static final String STUB = "stub";

  /** Room kept for the {@link CaptureLoss} a cut capture gains. */
  private static final int LOSS_ROOM = 512;

  private RecordFit() {}

  /**
   * The exchange itself when it serializes to at most {@code maxBytes}; otherwise a copy with the
   * largest body or frame data cut (sizes kept, {@code truncated} set) until it does. When even
   * the heads do not fit, the stub.
   */
  public static CapturedExchange fit(CapturedExchange exchange, int maxBytes) {
    int size = exchange.getSerializedSize();
    if (size <= maxBytes) {
      return exchange;
    }
    CapturedExchange.Builder cut = exchange.toBuilder();
    int target = Math.max(0, maxBytes - LOSS_ROOM);
    long lost = 0;
    // Each pass cuts the largest piece of data by what is still too much (plus a little for the
    // length prefixes that shrink with it); a few passes suffice.
    for (int pass = 0; pass < 64 && size > target; pass++) {
      int excess = size - target + 16;
      int taken = cutLargest(cut, excess);
      if (taken == 0) {
        break;
      }
      lost += Math.max(0, taken);
      size = cut.build().getSerializedSize();
    }
    if (size > target) {
      return stub(exchange, "the capture's heads alone exceed the record limit of " + maxBytes + " bytes");
    }
    long framesLost = cut.getLoss().getFramesLost();
    return cut.setLoss(
            CaptureLoss.newBuilder()
                .setKind(TRIMMED)
                .setReason(
                    "cut to fit the Kafka topic's record limit ("
                        + maxBytes
                        + " bytes for a capture; the capture was "
                        + exchange.getSerializedSize()
                        + ")")
                .setBytesLost(lost + (exchange.hasLoss() ? exchange.getLoss().getBytesLost() : 0))
                .setFramesLost(framesLost))
        .build();
  }

  /**
   * Cuts up to {@code excess} bytes from the largest body or frame: the bytes cut, -1 when frames
   * without data were dropped instead, 0 when nothing is left to cut.
   */
  private static int cutLargest(CapturedExchange.Builder x, int excess) {
    int request = x.getRequest().getBody().getData().size();
    int response = x.getResponse().getBody().getData().size();
    int original = x.getOriginalRequest().getBody().getData().size();
    int frameIndex = -1;
    int frame = 0;
    for (int i = 0; i < x.getFramesCount(); i++) {
      int d = x.getFrames(i).getData().size();
      if (d > frame) {
        frame = d;
        frameIndex = i;
      }
    }
    int largest = Math.max(Math.max(request, response), Math.max(original, frame));
    if (largest == 0) {
      // Only metadata left: drop the newest frames whole.
      if (x.getFramesCount() == 0) {
        return 0;
      }
      int drop = Math.max(1, x.getFramesCount() / 4);
      for (int i = 0; i < drop; i++) {
        x.removeFrames(x.getFramesCount() - 1);
      }
      CaptureLoss loss = x.getLoss();
      x.setLoss(loss.toBuilder().setFramesLost(loss.getFramesLost() + drop));
      return -1;
    }
    int take = Math.min(largest, excess);
    if (largest == response) {
      x.getResponseBuilder().setBody(shorten(x.getResponse().getBody(), take));
    } else if (largest == request) {
      x.getRequestBuilder().setBody(shorten(x.getRequest().getBody(), take));
    } else if (largest == original) {
      x.getOriginalRequestBuilder().setBody(shorten(x.getOriginalRequest().getBody(), take));
    } else {
      Frame f = x.getFrames(frameIndex);
      x.setFrames(
          frameIndex,
          f.toBuilder().setData(f.getData().substring(0, f.getData().size() - take)).setTruncated(true));
    }
    return take;
  }

  private static Body shorten(Body body, int by) {
    ByteString data = body.getData();
    return body.toBuilder().setData(data.substring(0, data.size() - by)).setTruncated(true).build();
  }

  /**
   * The exchange's heads only: request and response lines and headers, timings, flags and
   * annotations, without body or frame data (sizes kept) and with the reason it was reduced.
   */
  public static CapturedExchange stub(CapturedExchange exchange, String reason) {
    long bytes = dataBytes(exchange);
    CapturedExchange.Builder stub = exchange.toBuilder().clearFrames();
    if (exchange.hasRequest()) {
      stub.setRequest(withoutBody(exchange.getRequest()));
    }
    if (exchange.hasOriginalRequest()) {
      stub.setOriginalRequest(withoutBody(exchange.getOriginalRequest()));
    }
    if (exchange.hasResponse()) {
      CapturedResponse r = exchange.getResponse();
      stub.setResponse(r.toBuilder().setBody(emptied(r.getBody())));
    }
    return stub.setLoss(
            CaptureLoss.newBuilder()
                .setKind(STUB)
                .setReason(reason)
                .setBytesLost(bytes + (exchange.hasLoss() ? exchange.getLoss().getBytesLost() : 0))
                .setFramesLost(
                    exchange.getFramesCount() + (exchange.hasLoss() ? exchange.getLoss().getFramesLost() : 0)))
        .build();
  }

  private static CapturedRequest withoutBody(CapturedRequest request) {
    return request.toBuilder().setBody(emptied(request.getBody())).build();
  }

  private static Body emptied(Body body) {
    return body.getData().isEmpty() ? body : body.toBuilder().clearData().clearPacking().setTruncated(true).build();
  }

  private static long dataBytes(CapturedExchange x) {
    long bytes =
        x.getRequest().getBody().getData().size()
            + (long) x.getResponse().getBody().getData().size()
            + x.getOriginalRequest().getBody().getData().size();
    for (Frame f : x.getFramesList()) {
      bytes += f.getData().size();
    }
    return bytes;
  }
}
