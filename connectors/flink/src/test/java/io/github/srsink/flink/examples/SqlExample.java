package io.github.srsink.flink.examples;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * README, "SQL": an exactly-once upsert of an aggregate into a StarRocks Primary Key table.
 * StarRocks side: CREATE TABLE shop.order_totals (customer VARCHAR(32), orders BIGINT,
 * amount DECIMAL(20, 2)) PRIMARY KEY (customer) DISTRIBUTED BY HASH (customer);
 * Run: SqlExample fe-host:8030 user password
 */
public final class SqlExample {
  public static void main(String[] args) throws Exception {
    String loadUrl = args[0];
    String user = args[1];
    String password = args.length > 2 ? args[2] : "";
    TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    // Exactly-once needs checkpointing: transactions commit when a checkpoint completes.
    t.getConfig().set("execution.checkpointing.interval", "10 s");

    t.executeSql("CREATE TABLE orders (customer STRING, amount DECIMAL(10, 2)) WITH ("
        + " 'connector' = 'datagen', 'number-of-rows' = '1000',"
        + " 'fields.customer.length' = '1', 'fields.amount.min' = '1', 'fields.amount.max' = '100')");
    // The official connector's options: only 'connector' differs.
    t.executeSql("CREATE TABLE order_totals ("
        + "  customer STRING,"
        + "  orders BIGINT,"
        + "  amount DECIMAL(20, 2),"
        + "  PRIMARY KEY (customer) NOT ENFORCED"
        + ") WITH ("
        + "  'connector' = 'starrocks-sink',"
        + "  'load-url' = '" + loadUrl + "',"
        + "  'database-name' = 'shop',"
        + "  'table-name' = 'order_totals',"
        + "  'username' = '" + user + "',"
        + "  'password' = '" + password + "',"
        + "  'sink.semantic' = 'exactly-once',"
        + "  'sink.label-prefix' = 'order_totals'"
        + ")");
    t.executeSql("INSERT INTO order_totals SELECT customer, COUNT(*), SUM(amount) FROM orders GROUP BY customer").await();
  }
}
