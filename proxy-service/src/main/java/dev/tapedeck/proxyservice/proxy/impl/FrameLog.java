package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.StreamPart;
import dev.tapedeck.proxyservice.capture.EntryIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The frames of a stream (WebSocket, SSE, gRPC), each stamped with its time. Frames are held
 * until they reach the part budget (half the sink's record budget); then they go out as one part,
 * an entry of their own linked to the others by {@link StreamPart}, so a long stream costs at most
 * one part of memory and no record outgrows the broker's limit. Without a part consumer, frames
 * past {@link #MAX_FRAMES} are counted, not kept. Used from the exchange's event loop only.
 */
final class FrameLog {
  /** The most frames one entry holds. */
  static final int MAX_FRAMES = 10_000;

  private final List<Frame> frames = new ArrayList<>();
  private final Consumer<CapturedExchange> parts;
  private final Supplier<CapturedExchange.Builder> partHead;
  private final int partBudget;
  private long frameBytes;
  private String streamId;
  private int partsSent;
  private long dropped;

  /**
   * @param parts where full parts go; null to keep every frame in one entry
   * @param partHead a part's entry as known so far (ids, request, response, timings), frames apart
   * @param recordBudget the most bytes one capture may serialize to
   */
  FrameLog(Consumer<CapturedExchange> parts, Supplier<CapturedExchange.Builder> partHead, int recordBudget) {
    this.parts = parts;
    this.partHead = partHead;
    this.partBudget = Math.max(64 * 1024, recordBudget / 2);
  }

  /**
   * Adds a frame stamped with the time now. When the frames held would pass the part budget or
   * the frame cap, those held go out first as a part.
   */
  void add(Frame.Builder frame) {
    Frame built = frame.setTimeUnixMicros(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now())).build();
    long size = built.getSerializedSize() + 8L;
    if (!frames.isEmpty() && (frames.size() >= MAX_FRAMES || frameBytes + size > partBudget)) {
      if (parts == null) {
        if (frames.size() >= MAX_FRAMES) {
          dropped++;
          return;
        }
      } else {
        sendPart();
      }
    }
    frames.add(built);
    frameBytes += size;
  }

  private void sendPart() {
    if (streamId == null) {
      streamId = EntryIds.next();
    }
    partsSent++;
    CapturedExchange part =
        partHead
            .get()
            .setEntryId(partsSent == 1 ? streamId : EntryIds.next())
            .addAllFrames(frames)
            .setStream(StreamPart.newBuilder().setStreamId(streamId).setPart(partsSent))
            .build();
    frames.clear();
    frameBytes = 0;
    parts.accept(part);
  }

  /** The frames held (since the last part). */
  List<Frame> frames() {
    return frames;
  }

  /** The last part's link, or null when no part went out (the entry holds the whole stream). */
  StreamPart lastPart() {
    return streamId == null ? null : StreamPart.newBuilder().setStreamId(streamId).setPart(partsSent + 1).setLast(true).build();
  }

  /** Frames counted past the cap, not kept. */
  long dropped() {
    return dropped;
  }
}
