package dev.tapedeck.proxyservice.capture;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Tells the producer's errors apart: those no retry mends, and those that end the producer. */
final class KafkaErrors {
  private KafkaErrors() {}

  /** Errors about the record itself: sending it again fails again, so it must never be spooled. */
  static boolean unfixable(Throwable error) {
    return error instanceof RecordTooLargeException
        || error instanceof RecordBatchTooLargeException
        || error instanceof InvalidRecordException
        || error instanceof CorruptRecordException
        || error instanceof SerializationException;
  }

  /** Errors after which the producer takes no more records: a new producer is needed. */
  static boolean fatal(Throwable error) {
    return error instanceof ProducerFencedException
        || error instanceof OutOfOrderSequenceException
        || error instanceof InvalidProducerEpochException
        || error instanceof UnknownProducerIdException
        || error instanceof AuthenticationException
        || error instanceof AuthorizationException
        || error instanceof UnsupportedVersionException
        || error instanceof IllegalStateException;
  }
}
