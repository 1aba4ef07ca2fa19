package dev.tapedeck.storage.entry;

/**
 * Where a record sits in Kafka.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in the partition
 */
public record RecordPosition(String topic, int partition, long offset) {

  /** The key of the record's partition in the {@code ingested_offsets} collection. */
  String partitionKey() {
    return topic + "-" + partition;
  }
}
