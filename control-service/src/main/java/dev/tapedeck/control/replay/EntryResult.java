package dev.tapedeck.control.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One entry of a replay: what was sent, how it came out, and the recorded and new answers side by
 * side.
 *
 * @param outcome {@code matched}, {@code mismatched}, {@code failed} (no answer: network, timeout,
 *     egress refusal) or {@code skipped} (not replayable, {@code reason} says why)
 * @param status the recorded and the new status code
 * @param timings the recorded and the new duration in milliseconds
 * @param differences the mismatches (at most 100 listed; {@code differenceCount} counts all)
 * @param noise differences reported as noise, with the reason
 * @param correlated ids of the correlations whose new values this request carried
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryResult(
    String entryId,
    long sequence,
    String method,
    String url,
    String outcome,
    Side status,
    Side timings,
    List<Difference> differences,
    Integer differenceCount,
    List<Difference> noise,
    List<String> correlated,
    Boolean bodyTruncated,
    String reason,
    String error) {
  public static final String MATCHED = "matched";
  public static final String MISMATCHED = "mismatched";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  /** A recorded and a replayed value. */
  public record Side(Number recorded, Number replayed) {}
}
