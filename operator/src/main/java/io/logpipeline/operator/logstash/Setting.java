package io.logpipeline.operator.logstash;

/**
 * One {@code name => value} line of a plugin block. A quoted name ({@code "match" => ...}) is
 * stored without its quotes, as Logstash reads it.
 */
public record Setting(String name, Value value, int line) {}
