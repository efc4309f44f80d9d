package io.github.srsink.flink.examples;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.github.srsink.Op;
import io.github.srsink.flink.Semantic;
import io.github.srsink.flink.StarRocksSink;
import io.github.srsink.flink.StarRocksSinkOptions;

/**
 * README, "DataStream": squares into shop.squares (n BIGINT, square BIGINT, PRIMARY KEY (n)),
 * exactly-once. Run: DataStreamExample fe-host:8030 user password
 */
public final class DataStreamExample {
  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(10_000); // transactions commit when a checkpoint completes

    StarRocksSink<Long> sink = StarRocksSink.<Long>builder()
        .options(StarRocksSinkOptions.builder()
            .loadUrl(args[0])
            .database("shop")
            .table("squares")
            .username(args[1])
            .password(args.length > 2 ? args[2] : "")
            .semantic(Semantic.EXACTLY_ONCE)
            .labelPrefix("squares")
            .build())
        .columns("n", "square")
        .primaryKey("n") // checked against the table when the writers open
        .serializer((n, out) -> {
          // One JSON object per element (a delete returns Op.DELETE and needs only the key).
          out.ascii("{\"n\":" + n + ",\"square\":" + n * n + "}");
          return Op.UPSERT;
        })
        .sinkUid("squares") // stable across restarts; part of every transaction label
        .build();

    env.fromSequence(1, 1000).sinkTo(sink).uid("squares-sink");
    env.execute("squares into StarRocks");
  }
}
